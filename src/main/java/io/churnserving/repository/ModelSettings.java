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

  /**
   * The version routes without one get, of those served: the {@code stable} label's when it is set and served, else
   * the newest; null when none is served.
   */
  public Long defaultOf(java.util.NavigableSet<Long> served) {
    Long stable = labels.get(STABLE);
    return stable != null && served.contains(stable) ? stable : served.isEmpty() ? null : served.last();
  }

  /**
   * A label as the config and the load API take it: a letter, then up to 63 letters, digits, {@code _} or {@code -},
   * so that no label reads as a version number.
   *
   * @throws IllegalArgumentException saying what a label is
   */
  public static String label(String text) {
    if (!text.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
      throw new IllegalArgumentException("label '" + text + "' must start with a letter and hold only letters, "
          + "digits, _ and - (a version number is not a label)");
    }
    return text;
  }

  /** The same settings with other labels. */
  public ModelSettings withLabels(Map<String, Long> newLabels) {
    return new ModelSettings(policy, newLabels, required, workers);
  }
}
