package io.churnserving.config;

/** A configuration that cannot be used; the message names the file or key at fault and is shown to the operator as is. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
