package io.churnserving.serving;

import java.util.List;

/** An explicit load in which versions the policy picks failed their checks; what served before keeps serving. */
public final class ModelLoadFailed extends RuntimeException {
  private final List<String> reasons;

  public ModelLoadFailed(String model, List<String> reasons) {
    super("model " + model + ": " + String.join("; ", reasons), null, false, false);
    this.reasons = List.copyOf(reasons);
  }

  public List<String> reasons() {
    return reasons;
  }
}
