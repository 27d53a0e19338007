package io.churnserving.scoring;

import io.churnserving.model.ChurnModel;
import io.churnserving.model.ModelScorer;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.CorrelationId;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scoring worker: deploy with {@code ThreadingModel.WORKER}. It owns one model predictor (not thread-safe, so one
 * per worker) over the shared model, and answers {@link ScoreBatch} messages with one model call per batch: encoded
 * rows in, the model's outputs out. The answer is made from them at the edge, so a worker could run in another JVM.
 */
public final class ScoringVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringVerticle.class);

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
    call = faults.apply(scorer::outputs);
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
    int n = batch.rows();
    int outputColumns = scorer.outputColumns();
    // Rows whose deadline has passed are answered 504 without touching the model: their callers have gone.
    byte[] codes = new byte[n];
    int[] live = new int[n];
    int liveCount = 0;
    for (int i = 0; i < n; i++) {
      if (batch.deadline(i) - now > 0) {
        live[liveCount++] = i;
      } else {
        codes[i] = RowCode.EXPIRED.value();
      }
    }
    float[] outputs = new float[n * outputColumns];
    boolean modelFailed = false;
    if (liveCount > 0) {
      float[] features = liveCount == n ? batch.features() : liveRows(batch, live, liveCount);
      try {
        long started = System.nanoTime();
        float[] scored = call.score(features, liveCount);
        metrics.batch(liveCount, waitedNanos, System.nanoTime() - started);
        if (liveCount == n) {
          outputs = scored;
        } else {
          for (int j = 0; j < liveCount; j++) {
            System.arraycopy(scored, j * outputColumns, outputs, live[j] * outputColumns, outputColumns);
          }
        }
      } catch (Exception batchFailure) {
        modelFailed = scoreRowByRow(batch, live, liveCount, batchFailure, outputs, codes);
      }
    }
    ScoreResult result = new ScoreResult(outputs, outputColumns, codes, modelFailed, System.nanoTime() - now);
    if (LOG.isDebugEnabled()) {
      logRows(batch, result, waitedNanos);
    }
    message.reply(result);
  }

  private static float[] liveRows(ScoreBatch batch, int[] live, int liveCount) {
    int columns = batch.columns();
    float[] out = new float[liveCount * columns];
    for (int j = 0; j < liveCount; j++) {
      System.arraycopy(batch.features(), live[j] * columns, out, j * columns, columns);
    }
    return out;
  }

  /**
   * A failed batch is retried one row at a time, so a row that fails fails only its own request.
   *
   * @return true if every row failed: the model itself is failing, not one odd input
   */
  private boolean scoreRowByRow(ScoreBatch batch, int[] live, int liveCount, Exception batchFailure,
                                float[] outputs, byte[] codes) {
    LOG.atWarn().addKeyValue("batch_size", liveCount).setCause(batchFailure)
        .log("Model call failed for a batch; scoring its rows one by one");
    int columns = batch.columns();
    int outputColumns = scorer.outputColumns();
    int failed = 0;
    for (int j = 0; j < liveCount; j++) {
      int i = live[j];
      try {
        float[] row = Arrays.copyOfRange(batch.features(), i * columns, (i + 1) * columns);
        System.arraycopy(call.score(row, 1), 0, outputs, i * outputColumns, outputColumns);
      } catch (Exception e) {
        failed++;
        codes[i] = RowCode.FAILED.value();
        CorrelationId.bind(batch.correlationIds()[i]);
        LOG.atError().setCause(e).log("Model call failed for a row");
      }
    }
    return failed == liveCount;
  }

  private void logRows(ScoreBatch batch, ScoreResult result, long waitedNanos) {
    double waitedMs = waitedNanos / 1e6;
    int positive = model.edge().positiveColumn();
    for (int i = 0; i < batch.rows(); i++) {
      CorrelationId.bind(batch.correlationIds()[i]);
      Float p = result.code(i) == RowCode.OK ? result.outputs()[i * result.outputColumns() + positive] : null;
      LOG.atDebug().addKeyValue("batch_size", batch.rows()).addKeyValue("queue_wait_ms", waitedMs)
          .addKeyValue("churn_probability", p)
          .log("prediction.scored");
    }
  }
}
