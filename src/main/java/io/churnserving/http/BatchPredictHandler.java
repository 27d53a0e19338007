package io.churnserving.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.churnserving.errors.ClientProblem;
import io.churnserving.model.Prediction;
import io.churnserving.events.PredictionEvents;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.CorrelationId;
import io.churnserving.scoring.Scorer;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /v1/models/{model}[/versions/{version}]:predict}: {@code {"instances": [...]}} in, predictions out. */
final class BatchPredictHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(BatchPredictHandler.class);

  /** The answer, in the TF-Serving / KServe V1 form. */
  record BatchResponse(@JsonProperty("model_name") String modelName, @JsonProperty("model_version") String version,
                       List<Prediction> predictions) {
  }

  private final RequestValidator validator;
  private final Scorer scorer;
  private final String modelName;
  private final String modelVersion;
  private final PredictionEvents events;
  private final ServingMetrics metrics;

  private BatchPredictHandler(RequestValidator validator, Scorer scorer, String modelName, String modelVersion,
                              PredictionEvents events, ServingMetrics metrics) {
    this.metrics = metrics;
    this.validator = validator;
    this.scorer = scorer;
    this.modelName = modelName;
    this.modelVersion = modelVersion;
    this.events = events;
  }

  static BatchPredictHandler create(RequestValidator validator, Scorer scorer, String modelName, String version,
                                    PredictionEvents events, ServingMetrics metrics) {
    return new BatchPredictHandler(validator, scorer, modelName, version, events, metrics);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    String version = ctx.pathParam("version");
    if (!modelName.equals(model) || (version != null && !modelVersion.equals(version))) {
      ctx.fail(ClientProblem.of(404, "Model '" + model + (version == null ? "" : "' version '" + version)
          + "' is not served here; this server serves '" + modelName + "' version '" + modelVersion + "'"));
      return;
    }
    long started = System.nanoTime();
    long deadline = RequestDeadline.of(ctx, scorer);
    var instances = validator.batch(ctx.body().buffer());
    scorer.scoreAll(instances, deadline).onSuccess(predictions -> {
      Responses.json(ctx, 200, new BatchResponse(modelName, modelVersion, predictions));
      metrics.answeredAll("http-batch", predictions.size(), i -> predictions.get(i).riskTier());
      String id = CorrelationId.current();
      for (int i = 0; i < predictions.size(); i++) {
        events.published("http-batch", id, instances.get(i), predictions.get(i), started);
      }
      if (LOG.isDebugEnabled()) {
        LOG.atDebug().addKeyValue("instances", predictions.size())
            .addKeyValue("duration_ms", (System.nanoTime() - started) / 1e6).log("batch.complete");
      }
    }).onFailure(ctx::fail);
  }
}
