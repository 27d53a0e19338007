package io.churnserving.validation;

import java.util.List;

/**
 * The request was well-formed JSON but broke its schema; {@link #errors()} lists every field at fault (at most
 * {@link RequestValidator#MAX_ERRORS}). Transports map it to their "unprocessable" answer: HTTP 422 with FastAPI's
 * {@code detail}-style list. It carries no stack trace, since it reports the client's mistake, not a fault here.
 */
public final class RequestValidationException extends RuntimeException {
  private final List<FieldError> errors;

  /** @param errors the fields at fault; must not be empty */
  public RequestValidationException(List<FieldError> errors) {
    super(errors.size() == 1 ? "1 invalid field" : errors.size() + " invalid fields", null, false, false);
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** The fields at fault, in a stable order. */
  public List<FieldError> errors() {
    return errors;
  }
}
