package io.churnserving.scoring;

import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.ScoringSpans;
import io.vertx.core.Vertx;

/**
 * Makes the {@link Scorer} of each transport verticle: its own micro-batcher and admission count, and the one
 * circuit breaker they all share, so a failing model opens the circuit for every transport at once.
 *
 * @param settings batching, deadline and admission settings
 * @param circuit  the breaker around model execution
 * @param metrics  where the scorers' in-flight rows are reported
 * @param spans    the scoring span of each exported request
 */
public record ScorerFactory(BatchingScorer.Settings settings, ModelCircuit circuit, ServingMetrics metrics,
                            ScoringSpans spans) {
  /** A scorer for the verticle whose start method calls this; its admitted rows count in the in-flight gauge. */
  public Scorer create(Vertx vertx) {
    BatchingScorer scorer = new BatchingScorer(vertx, settings, circuit, spans);
    metrics.trackInFlight(scorer::admitted);
    return scorer;
  }
}
