package io.churnserving.validation;

import java.util.List;

/**
 * The request was well-formed JSON but broke its schema; {@link #errors()} lists the fields at fault, at most
 * {@link RequestValidator#MAX_ERRORS} of them (the first ones), and {@link #total()} says how many there were.
 * Transports map it to their "unprocessable" answer: HTTP 422 with FastAPI's {@code detail}-style list. It carries
 * no stack trace, since it reports the client's mistake, not a fault here.
 */
public final class RequestValidationException extends RuntimeException {
  private final List<FieldError> errors;
  private final int total;

  /**
   * @param errors the fields at fault; must not be empty. Only the first {@link RequestValidator#MAX_ERRORS} are
   *               kept, so 6,000 unknown keys in one body cannot make a half-megabyte answer.
   */
  public RequestValidationException(List<FieldError> errors) {
    super(errors.size() == 1 ? "1 invalid field" : errors.size() + " invalid fields", null, false, false);
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one error");
    }
    this.total = errors.size();
    this.errors = List.copyOf(total > RequestValidator.MAX_ERRORS
        ? errors.subList(0, RequestValidator.MAX_ERRORS) : errors);
  }

  /** The fields at fault, in a stable order: the first {@link RequestValidator#MAX_ERRORS} at most. */
  public List<FieldError> errors() {
    return errors;
  }

  /** How many fields were at fault, listed or not. */
  public int total() {
    return total;
  }
}
