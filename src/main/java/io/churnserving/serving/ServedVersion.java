package io.churnserving.serving;

import io.churnserving.metrics.ServingMetrics;
import io.churnserving.repository.ModelVersion;
import io.churnserving.scoring.ModelCircuit;
import io.churnserving.scoring.ScorerFactory;
import io.churnserving.validation.RequestValidator;

/**
 * One served model version and its own scoring stack. Transports take a scorer for it per event loop
 * ({@link VersionScorers}); nothing of one version's load, failures or circuit reaches another's.
 *
 * @param model   the loaded version
 * @param address the event-bus address of its scoring workers
 * @param circuit its breaker
 * @param scorers makes each transport verticle's scorer, over its one backlog
 * @param metrics its meters, labelled with its model and version
 */
public record ServedVersion(ModelVersion model, String address, ModelCircuit circuit, ScorerFactory scorers,
                            ServingMetrics metrics) {

  public String name() {
    return model.name();
  }

  public String version() {
    return model.version();
  }

  public RequestValidator validator() {
    return model.validator();
  }
}
