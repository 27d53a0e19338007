package io.churnserving.http;

import io.churnserving.health.ServerHealth;
import io.churnserving.observability.Readiness;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Liveness and readiness probes; no key needed, never rate limited. */
final class HealthHandlers {
  private static final JsonObject UP = new JsonObject().put("status", "UP");
  private static final JsonObject DOWN = new JsonObject().put("status", "DOWN");
  private static final JsonObject V2_LIVE = new JsonObject().put("live", true);
  private static final JsonObject V2_READY = new JsonObject().put("ready", true);
  private static final JsonObject V2_NOT_READY = new JsonObject().put("ready", false);

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

  /** {@code /health}: every check, and healthy (200), degraded (200) or unhealthy (503). */
  static Handler<RoutingContext> full(ServerHealth health) {
    return ctx -> health.check().onSuccess(report -> {
      ctx.response().setStatusCode(report.httpStatus());
      Responses.body(ctx, Responses.JSON, report.toJson().toBuffer());
    }).onFailure(ctx::fail);
  }

  /** Open Inference Protocol (KServe v2) liveness: {@code {"live": true}}. */
  static Handler<RoutingContext> v2Live() {
    return ctx -> Responses.json(ctx, 200, V2_LIVE.getMap());
  }

  /** Open Inference Protocol (KServe v2) readiness: {@code {"ready": true}} with 200, or false with 503. */
  static Handler<RoutingContext> v2Ready(Readiness readiness) {
    return ctx -> Responses.json(ctx, readiness.isReady() ? 200 : 503,
        (readiness.isReady() ? V2_READY : V2_NOT_READY).getMap());
  }
}
