package io.churnserving.http;

import io.churnserving.events.PredictionEvents;
import io.churnserving.serving.ServedModels;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/models/{model}/monitor}: the named model's drift window (its versions' summed, and each one's),
 * asked of the drift monitor over the event bus. A model that is not served is a 404.
 */
final class MonitorHandler implements Handler<RoutingContext> {
  private final ServedModels models;

  private MonitorHandler(ServedModels models) {
    this.models = models;
  }

  static MonitorHandler create(ServedModels models) {
    return new MonitorHandler(models);
  }

  @Override
  public void handle(RoutingContext ctx) {
    // Throws ModelNotFound (a 404) to the route's failure handler.
    String model = models.model(ctx.pathParam("model")).name();
    ctx.vertx().eventBus().<JsonObject>request(PredictionEvents.MONITOR_SNAPSHOT, model,
            new DeliveryOptions().setLocalOnly(true))
        .onSuccess(reply -> Responses.body(ctx, Responses.JSON, reply.body().toBuffer()))
        .onFailure(ctx::fail);
  }
}
