package io.churnserving.scoring;

import io.churnserving.metrics.ServingMetrics;
import io.churnserving.model.ModelEdge;
import io.churnserving.observability.ScoringSpans;
import io.vertx.core.Vertx;

/**
 * Makes the {@link Scorer} of each transport verticle: its own micro-batcher, and what they all share: the one
 * circuit breaker, so a failing model opens the circuit for every transport at once, and the one backlog, because
 * every event loop queues for the same workers. Make one per server, in the composition root.
 */
public final class ScorerFactory {
  private final ModelEdge model;
  private final BatchingScorer.Settings settings;
  private final ModelCircuit circuit;
  private final ScoringSpans spans;
  private final Backlog backlog;
  private volatile boolean closed;

  /**
   * @param model    what the scorers encode rows with and make answers from: the loaded model's
   *                 {@code ChurnModel.edge()}
   * @param settings batching, deadline and admission settings
   * @param circuit  the breaker around model execution
   * @param metrics  where the backlog's rows in flight and scoring rate are reported
   * @param spans    the scoring span of each exported request
   */
  public ScorerFactory(ModelEdge model, BatchingScorer.Settings settings, ModelCircuit circuit,
                       ServingMetrics metrics, ScoringSpans spans) {
    this.model = model;
    this.settings = settings;
    this.circuit = circuit;
    this.spans = spans;
    this.backlog = new Backlog(settings.maxInFlight(), settings.queueRows());
    metrics.trackInFlight(() -> (int) Math.min(Integer.MAX_VALUE, backlog.queued()));
    String rate = "Rows per second all workers score, measured from recent model calls, as admission expects: "
        + "single rows (micro-batched) or a batch request's rows (in full chunks)";
    metrics.gauge("scoring_rate_rows_per_second", rate, () -> backlog.rowsPerSecond(backlog.singles), "rows", "single");
    metrics.gauge("scoring_rate_rows_per_second", rate, () -> backlog.rowsPerSecond(backlog.chunks), "rows", "batch");
  }

  /** A scorer for the verticle whose start method calls this. */
  public Scorer create(Vertx vertx) {
    return new BatchingScorer(vertx, model, settings, circuit, spans, backlog);
  }

  /** Rows admitted by this factory's scorers and not yet answered: a version drains until this is 0. */
  public long queued() {
    return backlog.queued();
  }

  /** Whether a worker is there to score with now (always, in this JVM; on an HTTP node, a live scoring node). */
  public boolean reachable() {
    return settings.dispatch().reachable();
  }

  /** Marks the version these scorers serve as unloaded: transports drop their scorers for it. */
  public void close() {
    closed = true;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }
}
