package io.churnserving.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.churnserving.model.Prediction;
import io.churnserving.events.PredictionEvents;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.CorrelationId;
import io.churnserving.scoring.Scorer;
import io.churnserving.serving.ServedModels;
import io.churnserving.serving.ServedVersion;
import io.churnserving.serving.VersionScorers;
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

  private final ServedModels models;
  private final VersionScorers scorers;
  private final PredictionEvents events;

  private BatchPredictHandler(ServedModels models, VersionScorers scorers, PredictionEvents events) {
    this.models = models;
    this.scorers = scorers;
    this.events = events;
  }

  static BatchPredictHandler create(ServedModels models, VersionScorers scorers, PredictionEvents events) {
    return new BatchPredictHandler(models, scorers, events);
  }

  @Override
  public void handle(RoutingContext ctx) {
    // An unknown model, version or label is a 404 (ModelNotFound), thrown to the route's failure handler.
    ServedVersion served = models.resolve(ctx.pathParam("model"), ctx.pathParam("version"));
    Scorer scorer = scorers.of(served);
    ServingMetrics metrics = served.metrics();
    long started = System.nanoTime();
    long deadline = RequestDeadline.of(ctx, scorer);
    var instances = served.validator().batch(ctx.body().buffer());
    scorer.scoreAll(instances, deadline).onSuccess(predictions -> {
      Responses.json(ctx, 200, new BatchResponse(served.name(), served.version(), predictions));
      metrics.answeredAll("http-batch", predictions.size(), i -> predictions.get(i).riskTier());
      String id = CorrelationId.current();
      for (int i = 0; i < predictions.size(); i++) {
        events.published("http-batch", served.name(), id, instances.get(i), predictions.get(i), started);
      }
      if (LOG.isDebugEnabled()) {
        LOG.atDebug().addKeyValue("instances", predictions.size())
            .addKeyValue("duration_ms", (System.nanoTime() - started) / 1e6).log("batch.complete");
      }
    }).onFailure(ctx::fail);
  }
}
