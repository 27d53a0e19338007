package io.churnserving.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.churnserving.model.Prediction;
import io.churnserving.observability.CorrelationId;
import io.churnserving.serving.PredictionService;
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

  private final PredictionService service;

  private BatchPredictHandler(PredictionService service) {
    this.service = service;
  }

  static BatchPredictHandler create(PredictionService service) {
    return new BatchPredictHandler(service);
  }

  @Override
  public void handle(RoutingContext ctx) {
    // An unknown model, version or label is a 404 (ModelNotFound), thrown to the route's failure handler.
    PredictionService.Target target = service.target(ctx.pathParam("model"), ctx.pathParam("version"));
    long started = System.nanoTime();
    long deadline = RequestDeadline.of(ctx, target.scorer());
    var instances = target.validator().batch(ctx.body().buffer());
    service.predictAll(target, "http-batch", CorrelationId.current(), instances, deadline, started, predictions -> {
      Responses.json(ctx, 200, new BatchResponse(target.served().name(), target.served().version(), predictions));
      if (LOG.isDebugEnabled()) {
        LOG.atDebug().addKeyValue("instances", predictions.size())
            .addKeyValue("duration_ms", (System.nanoTime() - started) / 1e6).log("batch.complete");
      }
    }).onFailure(ctx::fail);
  }
}
