package io.churnserving.http;

import io.churnserving.events.PredictionEvents;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.model.Prediction;
import io.churnserving.observability.CorrelationId;
import io.churnserving.scoring.Scorer;
import io.churnserving.serving.ServedModels;
import io.churnserving.serving.ServedVersion;
import io.churnserving.serving.VersionScorers;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /predict}: one instance in, one prediction out, from the default model's default version. */
final class PredictHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(PredictHandler.class);

  private final ServedModels models;
  private final VersionScorers scorers;
  private final PredictionEvents events;

  private PredictHandler(ServedModels models, VersionScorers scorers, PredictionEvents events) {
    this.models = models;
    this.scorers = scorers;
    this.events = events;
  }

  static PredictHandler create(ServedModels models, VersionScorers scorers, PredictionEvents events) {
    return new PredictHandler(models, scorers, events);
  }

  @Override
  public void handle(RoutingContext ctx) {
    // A parse or validation failure throws; vertx-web passes it to the one failure handler.
    long started = System.nanoTime();
    // Looked up per request, so a request is validated and scored by the one version that is the default then.
    ServedVersion version = models.defaultVersion();
    Scorer scorer = scorers.of(version);
    ServingMetrics metrics = version.metrics();
    long deadline = RequestDeadline.of(ctx, scorer);
    var instance = version.validator().instance(ctx.body().buffer());
    scorer.score(instance, deadline).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Prediction p = ar.result();
      Responses.json(ctx, 200, p);
      metrics.answered("http", ServingMetrics.OK, 200, p.riskTier());
      events.published("http", version.name(), CorrelationId.current(), instance, p, started);
      if (LOG.isDebugEnabled()) {
        LOG.atDebug().addKeyValue("churn_probability", p.churnProbability())
            .addKeyValue("duration_ms", (System.nanoTime() - started) / 1e6).log("prediction.complete");
      }
    });
  }
}
