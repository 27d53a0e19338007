package io.churnserving.http;

import io.churnserving.observability.Readiness;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Liveness and readiness probes; no key needed, never rate limited. */
final class HealthHandlers {
  private static final JsonObject UP = new JsonObject().put("status", "UP");
  private static final JsonObject DOWN = new JsonObject().put("status", "DOWN");

  private HealthHandlers() {
  }

  /** 200 while the process serves HTTP at all. */
  static Handler<RoutingContext> live() {
    return ctx -> Responses.json(ctx, 200, UP.getMap());
  }

  /** 200 once the model is loaded and warmed and the workers are up; 503 before that and while shutting down. */
  static Handler<RoutingContext> ready(Readiness readiness) {
    return ctx -> Responses.json(ctx, readiness.isReady() ? 200 : 503, (readiness.isReady() ? UP : DOWN).getMap());
  }
}
