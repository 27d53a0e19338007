package io.churnserving.events;

import io.churnserving.model.Prediction;
import io.churnserving.validation.Instance;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Publishes prediction events on {@link #PREDICTIONS}:
 * {@code {correlation_id, model, model_version, instance, prediction, transport, latency_ms}}. Called after the answer is
 * written, and publishing only enqueues, so it never delays an answer. Thread-safe.
 */
public final class PredictionEvents {
  /** Where every (sampled) prediction is published. */
  public static final String PREDICTIONS = "churn.predictions";
  /** Request/reply address of the drift monitor's snapshot. */
  public static final String MONITOR_SNAPSHOT = "churn.monitor.snapshot";

  private final Vertx vertx;
  private final int samplePercent;

  public PredictionEvents(Vertx vertx, int samplePercent) {
    this.vertx = vertx;
    this.samplePercent = samplePercent;
  }

  /**
   * Publishes one prediction, if sampled.
   *
   * @param model the name of the model that scored; the prediction names the version
   */
  public void published(String transport, String model, String correlationId, Instance instance,
                        Prediction prediction, long startedNanos) {
    if (samplePercent == 0 || (samplePercent < 100 && ThreadLocalRandom.current().nextInt(100) >= samplePercent)) {
      return;
    }
    JsonObject event = new JsonObject()
        .put("correlation_id", correlationId)
        .put("model", model)
        .put("model_version", prediction.modelVersion())
        .put("instance", instance.toJson())
        // The float's own shortest decimal, as the HTTP answer writes it, not its wider double expansion.
        .put("prediction", new JsonObject()
            .put("churn_probability", Double.parseDouble(Float.toString(prediction.churnProbability())))
            .put("churn_prediction", prediction.churnPrediction()).put("risk_tier", prediction.riskTier())
            .put("model_version", prediction.modelVersion()).put("predicted_at", prediction.predictedAt())
            .put("recommendation", prediction.recommendation()))
        .put("transport", transport)
        .put("latency_ms", (System.nanoTime() - startedNanos) / 1e6);
    vertx.eventBus().publish(PREDICTIONS, event);
  }
}
