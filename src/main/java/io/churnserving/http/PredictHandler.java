package io.churnserving.http;

import io.churnserving.events.PredictionEvents;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.model.Prediction;
import io.churnserving.observability.CorrelationId;
import io.churnserving.scoring.Scorer;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /predict}: one customer in, one prediction out. */
final class PredictHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(PredictHandler.class);

  private final RequestValidator validator;
  private final Scorer scorer;
  private final PredictionEvents events;
  private final ServingMetrics metrics;

  private PredictHandler(RequestValidator validator, Scorer scorer, PredictionEvents events, ServingMetrics metrics) {
    this.validator = validator;
    this.scorer = scorer;
    this.events = events;
    this.metrics = metrics;
  }

  static PredictHandler create(RequestValidator validator, Scorer scorer, PredictionEvents events,
                               ServingMetrics metrics) {
    return new PredictHandler(validator, scorer, events, metrics);
  }

  @Override
  public void handle(RoutingContext ctx) {
    // A parse or validation failure throws; vertx-web passes it to the one failure handler.
    long started = System.nanoTime();
    long deadline = RequestDeadline.of(ctx, scorer);
    var instance = validator.instance(ctx.body().buffer());
    scorer.score(instance, deadline).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Prediction p = ar.result();
      Responses.json(ctx, 200, p);
      metrics.answered("http", ServingMetrics.OK, 200, p.riskTier());
      events.published("http", CorrelationId.current(), instance, p, started);
      if (LOG.isDebugEnabled()) {
        LOG.atDebug().addKeyValue("churn_probability", p.churnProbability())
            .addKeyValue("duration_ms", (System.nanoTime() - started) / 1e6).log("prediction.complete");
      }
    });
  }
}
