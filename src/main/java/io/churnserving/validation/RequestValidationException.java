package io.churnserving.validation;

import java.util.List;

/** The request was well-formed JSON but broke the schema; every field at fault is listed. Maps to 422. */
public final class RequestValidationException extends RuntimeException {
  private final List<FieldError> errors;

  public RequestValidationException(List<FieldError> errors) {
    super(errors.size() + " invalid field(s)", null, false, false);
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
