package io.churnserving.validation;

/**
 * The body is not exactly one well-formed JSON value in UTF-8 within the parser's limits. Transports map it to
 * their "bad request" answer (HTTP 400). The message is short, from a fixed vocabulary plus a position, and never
 * echoes the client's bytes, so it is safe to show as the problem's detail. It carries no stack trace.
 */
public final class MalformedJsonException extends RuntimeException {
  /** @param message what is wrong, safe to show to the client */
  public MalformedJsonException(String message) {
    super(message, null, false, false);
  }
}
