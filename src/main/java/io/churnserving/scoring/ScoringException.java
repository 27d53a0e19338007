package io.churnserving.scoring;

/**
 * Why a score could not be given. A small closed set, so each transport maps every case to one status in one place.
 */
public abstract sealed class ScoringException extends RuntimeException
    permits ScoringException.ModelUnavailable, ScoringException.Overloaded, ScoringException.TimedOut,
    ScoringException.CircuitOpen, ScoringException.Failed {

  ScoringException(String message) {
    super(message, null, false, false);
  }

  /** No scoring worker is there to answer (not started, or gone). */
  public static final class ModelUnavailable extends ScoringException {
    public ModelUnavailable(String message) {
      super(message);
    }
  }

  /** The scoring queue is full; the caller should retry later. */
  public static final class Overloaded extends ScoringException {
    public Overloaded(String message) {
      super(message);
    }
  }

  /** The score did not come within the request's deadline. */
  public static final class TimedOut extends ScoringException {
    public TimedOut(String message) {
      super(message);
    }
  }

  /** The circuit breaker around the model is open after repeated failures. */
  public static final class CircuitOpen extends ScoringException {
    private final long retryAfterSeconds;

    public CircuitOpen(String message, long retryAfterSeconds) {
      super(message);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When the breaker will next let a probe through, in whole seconds. */
    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /** The model failed on this input; a server-side fault. */
  public static final class Failed extends ScoringException {
    public Failed(String message) {
      super(message);
    }
  }
}
