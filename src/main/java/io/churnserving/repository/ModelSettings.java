package io.churnserving.repository;

import java.util.Map;

/**
 * How one model is served.
 *
 * @param policy   which of its versions are loaded
 * @param labels   names for versions ({@code stable}, {@code canary}...): a route may name a label instead of a
 *                 version, and {@code stable}, when set, is the model's default version
 * @param required whether the server is ready only while this model has a ready version
 * @param workers  scoring worker verticles (and threads) per version of this model
 */
public record ModelSettings(VersionPolicy policy, Map<String, Long> labels, boolean required, int workers) {
  /** The label that, when set, names a model's default version. */
  public static final String STABLE = "stable";

  public ModelSettings {
    labels = Map.copyOf(labels);
  }

  /** The same settings with other labels. */
  public ModelSettings withLabels(Map<String, Long> newLabels) {
    return new ModelSettings(policy, newLabels, required, workers);
  }
}
