package io.churnserving.serving;

/** A route named a model, version or label that is not served (a 404). */
public final class ModelNotFound extends RuntimeException {
  public ModelNotFound(String message) {
    super(message, null, false, false);
  }
}
