package io.churnserving.validation;

/** The body is not one well-formed JSON value within the parser's limits. Maps to 400. */
public final class MalformedJsonException extends RuntimeException {
  public MalformedJsonException(String message) {
    super(message, null, false, false);
  }
}
