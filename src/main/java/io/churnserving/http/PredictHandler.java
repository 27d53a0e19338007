package io.churnserving.http;

import io.churnserving.observability.CorrelationId;
import io.churnserving.serving.PredictionService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /predict}: one instance in, one prediction out, from the default model's default version. */
final class PredictHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(PredictHandler.class);

  private final PredictionService service;

  private PredictHandler(PredictionService service) {
    this.service = service;
  }

  static PredictHandler create(PredictionService service) {
    return new PredictHandler(service);
  }

  @Override
  public void handle(RoutingContext ctx) {
    // A parse or validation failure throws; vertx-web passes it to the one failure handler.
    long started = System.nanoTime();
    // Looked up per request, so a request is validated and scored by the one version that is the default then.
    PredictionService.Target target = service.defaultTarget();
    long deadline = RequestDeadline.of(ctx, target.scorer());
    var instance = target.validator().instance(ctx.body().buffer());
    service.predict(target, "http", CorrelationId.current(), instance, deadline, started, p -> {
      Responses.json(ctx, 200, p);
      if (LOG.isDebugEnabled()) {
        LOG.atDebug().addKeyValue("churn_probability", p.churnProbability())
            .addKeyValue("duration_ms", (System.nanoTime() - started) / 1e6).log("prediction.complete");
      }
    }).onFailure(ctx::fail);
  }
}
