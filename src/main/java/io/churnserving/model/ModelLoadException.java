package io.churnserving.model;

/** The model could not be loaded; the message names the file at fault and is shown to the operator as is. */
public final class ModelLoadException extends RuntimeException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
