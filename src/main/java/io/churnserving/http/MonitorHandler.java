package io.churnserving.http;

import io.churnserving.events.PredictionEvents;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/models/{model}/monitor}: the drift monitor's window, asked of it over the event bus. */
final class MonitorHandler implements Handler<RoutingContext> {
  static MonitorHandler create() {
    return new MonitorHandler();
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.vertx().eventBus().<JsonObject>request(PredictionEvents.MONITOR_SNAPSHOT, null)
        .onSuccess(reply -> Responses.body(ctx, Responses.JSON, reply.body().toBuffer()))
        .onFailure(ctx::fail);
  }
}
