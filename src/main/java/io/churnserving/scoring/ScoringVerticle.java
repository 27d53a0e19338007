package io.churnserving.scoring;

import io.churnserving.model.ChurnModel;
import io.churnserving.model.ModelScorer;
import io.churnserving.model.Prediction;
import io.churnserving.model.PredictionPolicy;
import io.churnserving.observability.CorrelationId;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scoring worker: deploy with {@code ThreadingModel.WORKER}. It owns one model predictor (not thread-safe, so one
 * per worker) over the shared model, and answers {@link ScoreBatch} messages with one model call per batch.
 */
public final class ScoringVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringVerticle.class);

  private final ChurnModel model;
  private ModelScorer scorer;
  private MessageConsumer<ScoreBatch> consumer;

  public ScoringVerticle(ChurnModel model) {
    this.model = model;
  }

  @Override
  public Future<?> start() {
    scorer = model.newScorer();
    consumer = vertx.eventBus().consumer(ScoringBus.SCORE_ADDRESS, this::handle);
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
    long waitedNanos = System.nanoTime() - batch.sentNanos();
    String predictedAt = PredictionPolicy.timestamp(Instant.now());
    ScoreResult result;
    try {
      result = new ScoreResult(scorer.score(batch.rows(), predictedAt), Collections.nCopies(batch.rows().size(), null));
    } catch (Exception batchFailure) {
      result = scoreRowByRow(batch, predictedAt, batchFailure);
    }
    if (LOG.isDebugEnabled()) {
      logRows(batch, result, waitedNanos);
    }
    message.reply(result);
  }

  /** A failed batch is retried one row at a time, so a row that fails fails only its own request. */
  private ScoreResult scoreRowByRow(ScoreBatch batch, String predictedAt, Exception batchFailure) {
    LOG.atWarn().addKeyValue("batch_size", batch.rows().size()).setCause(batchFailure)
        .log("Model call failed for a batch; scoring its rows one by one");
    List<Prediction> predictions = new ArrayList<>(batch.rows().size());
    List<String> errors = new ArrayList<>(batch.rows().size());
    for (int i = 0; i < batch.rows().size(); i++) {
      try {
        predictions.add(scorer.score(batch.rows().subList(i, i + 1), predictedAt).get(0));
        errors.add(null);
      } catch (Exception e) {
        predictions.add(null);
        errors.add("model call failed: " + e.getClass().getSimpleName());
        CorrelationId.bind(batch.correlationIds().get(i));
        LOG.atError().setCause(e).log("Model call failed for a row");
      }
    }
    return new ScoreResult(predictions, errors);
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
