package io.churnserving.validation;

import io.vertx.core.Future;
import java.util.List;

/**
 * The outcome of validating a request: the value, or every field at fault. Invalid input is an ordinary outcome
 * here, not an exception, so a transport that answers errors in-band (a WebSocket frame, an event-bus reply) pays
 * for no throwable; {@link #orElseThrow()} and {@link #toFuture()} turn it into a {@link RequestValidationException}
 * for those that fail a request with one.
 *
 * @param <T> the validated value's type
 */
public sealed interface Validated<T> permits Validated.Valid, Validated.Invalid {

  /** A valid outcome. */
  static <T> Validated<T> valid(T value) {
    return new Valid<>(value);
  }

  /** An invalid outcome; {@code errors} must not be empty. */
  static <T> Validated<T> invalid(List<FieldError> errors) {
    return new Invalid<>(errors);
  }

  /** True for {@link Valid}. */
  boolean isValid();

  /** The errors; empty when valid. */
  List<FieldError> errors();

  /**
   * The value.
   *
   * @throws RequestValidationException with the errors, when invalid
   */
  T orElseThrow();

  /** A succeeded future with the value, or one failed with a {@link RequestValidationException}. */
  default Future<T> toFuture() {
    return isValid() ? Future.succeededFuture(orElseThrow())
        : Future.failedFuture(new RequestValidationException(errors()));
  }

  /** The value passed validation. */
  record Valid<T>(T value) implements Validated<T> {
    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public List<FieldError> errors() {
      return List.of();
    }

    @Override
    public T orElseThrow() {
      return value;
    }
  }

  /** At least one field is at fault; {@code errors} lists them in a stable order. */
  record Invalid<T>(List<FieldError> errors) implements Validated<T> {
    public Invalid {
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("an invalid outcome needs at least one error");
      }
      errors = List.copyOf(errors);
    }

    @Override
    public boolean isValid() {
      return false;
    }

    @Override
    public T orElseThrow() {
      throw new RequestValidationException(errors);
    }
  }
}
