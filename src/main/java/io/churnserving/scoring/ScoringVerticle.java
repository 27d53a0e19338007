package io.churnserving.scoring;

import io.churnserving.model.ChurnModel;
import io.churnserving.model.FeatureRow;
import io.churnserving.model.ModelScorer;
import io.churnserving.model.Prediction;
import io.churnserving.model.PredictionPolicy;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.CorrelationId;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scoring worker: deploy with {@code ThreadingModel.WORKER}. It owns one model predictor (not thread-safe, so one
 * per worker) over the shared model, and answers {@link ScoreBatch} messages with one model call per batch.
 */
public final class ScoringVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringVerticle.class);
  private static final ScoringException EXPIRED =
      new ScoringException.TimedOut("the deadline passed before the row reached the model");

  private final ChurnModel model;
  private final String address;
  private final UnaryOperator<ModelCall> faults;
  private final ServingMetrics metrics;
  private ModelScorer scorer;
  private ModelCall call;
  private MessageConsumer<ScoreBatch> consumer;

  /**
   * @param model  the loaded model, shared by every worker
   * @param address the event-bus address of this model version's workers
   * @param faults wraps this worker's model call: identity in the server, a fault injector in tests
   * @param metrics  where batch size, queue wait and inference time go
   */
  public ScoringVerticle(ChurnModel model, String address, UnaryOperator<ModelCall> faults, ServingMetrics metrics) {
    this.model = model;
    this.address = address;
    this.faults = faults;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    scorer = model.newScorer();
    call = faults.apply(scorer::score);
    consumer = vertx.eventBus().consumer(address, this::handle);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister().eventually(() -> {
      scorer.close();
      return Future.succeededFuture();
    });
  }

  private void handle(Message<ScoreBatch> message) {
    ScoreBatch batch = message.body();
    long now = System.nanoTime();
    long waitedNanos = now - batch.sentNanos();
    String predictedAt = PredictionPolicy.timestamp(Instant.now());
    int n = batch.rows().size();
    // Rows whose deadline has passed are answered 504 without touching the model: their callers have gone.
    List<Integer> live = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (batch.deadlines()[i] - now > 0) {
        live.add(i);
      }
    }
    List<Prediction> predictions = new ArrayList<>(Collections.nCopies(n, null));
    List<ScoringException> failures = new ArrayList<>(Collections.nCopies(n, EXPIRED));
    boolean modelFailed = false;
    if (!live.isEmpty()) {
      List<? extends FeatureRow> rows = live.size() == n ? batch.rows() : live.stream().map(batch.rows()::get).toList();
      try {
        long started = System.nanoTime();
        List<Prediction> scored = call.score(rows, predictedAt);
        metrics.batch(rows.size(), waitedNanos, System.nanoTime() - started);
        for (int j = 0; j < live.size(); j++) {
          predictions.set(live.get(j), scored.get(j));
          failures.set(live.get(j), null);
        }
      } catch (Exception batchFailure) {
        modelFailed = scoreRowByRow(batch, live, predictedAt, batchFailure, predictions, failures);
      }
    }
    ScoreResult result = new ScoreResult(predictions, failures, modelFailed, System.nanoTime() - now);
    if (LOG.isDebugEnabled()) {
      logRows(batch, result, waitedNanos);
    }
    message.reply(result);
  }

  /**
   * A failed batch is retried one row at a time, so a row that fails fails only its own request.
   *
   * @return true if every row failed: the model itself is failing, not one odd input
   */
  private boolean scoreRowByRow(ScoreBatch batch, List<Integer> live, String predictedAt, Exception batchFailure,
                                List<Prediction> predictions, List<ScoringException> failures) {
    LOG.atWarn().addKeyValue("batch_size", live.size()).setCause(batchFailure)
        .log("Model call failed for a batch; scoring its rows one by one");
    int failed = 0;
    for (int i : live) {
      try {
        predictions.set(i, call.score(batch.rows().subList(i, i + 1), predictedAt).get(0));
        failures.set(i, null);
      } catch (Exception e) {
        failed++;
        failures.set(i, new ScoringException.Failed("model call failed: " + e.getClass().getSimpleName()));
        CorrelationId.bind(batch.correlationIds().get(i));
        LOG.atError().setCause(e).log("Model call failed for a row");
      }
    }
    return failed == live.size();
  }

  private void logRows(ScoreBatch batch, ScoreResult result, long waitedNanos) {
    double waitedMs = waitedNanos / 1e6;
    for (int i = 0; i < batch.rows().size(); i++) {
      CorrelationId.bind(batch.correlationIds().get(i));
      Prediction p = result.predictions().get(i);
      LOG.atDebug().addKeyValue("batch_size", batch.rows().size()).addKeyValue("queue_wait_ms", waitedMs)
          .addKeyValue("churn_probability", p == null ? null : p.churnProbability())
          .log("prediction.scored");
    }
  }
}
