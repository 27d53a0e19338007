package io.churnserving.scoring;

import io.vertx.core.Vertx;

/**
 * Makes the {@link Scorer} of each transport verticle: its own micro-batcher and admission count, and the one
 * circuit breaker they all share, so a failing model opens the circuit for every transport at once.
 *
 * @param settings batching, deadline and admission settings
 * @param circuit  the breaker around model execution
 */
public record ScorerFactory(BatchingScorer.Settings settings, ModelCircuit circuit) {
  /** A scorer for the verticle whose start method calls this. */
  public Scorer create(Vertx vertx) {
    return new BatchingScorer(vertx, settings, circuit);
  }
}
