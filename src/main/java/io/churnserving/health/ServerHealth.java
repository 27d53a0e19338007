package io.churnserving.health;

import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.Readiness;
import io.churnserving.scoring.ModelCircuit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Instant;
import java.util.List;

/**
 * The checks of the original design, each reporting {@code status} ok, degraded or unhealthy with its figures:
 * <ul>
 *   <li>{@code model_loaded}: the model is loaded and the scoring workers are up (unhealthy otherwise);</li>
 *   <li>{@code memory}: heap used under 80% of the maximum (degraded above);</li>
 *   <li>{@code last_prediction}: age of the last prediction; informational, never fails (an idle server is fine);</li>
 *   <li>{@code recent_errors}: at most 5 server-side errors in the last 60 s (degraded above);</li>
 *   <li>{@code circuit_breaker}: closed is ok, half-open degraded, open unhealthy.</li>
 * </ul>
 * The server is unhealthy if any check is, else degraded if any is, else healthy.
 */
public final class ServerHealth {
  static final double MAX_HEAP_USED = 0.80;
  static final int MAX_RECENT_ERRORS = 5;

  /** The answer: overall status, and each check's figures. */
  public record Report(String status, JsonObject checks) {
    /** 503 for unhealthy, so a load balancer stops sending; 200 for healthy or degraded. */
    public int httpStatus() {
      return "unhealthy".equals(status) ? 503 : 200;
    }

    public JsonObject toJson() {
      return new JsonObject().put("status", status).put("checks", checks);
    }
  }

  private final HealthChecks checks;

  public ServerHealth(Vertx vertx, Readiness readiness, ServingMetrics metrics, ModelCircuit circuit) {
    this.checks = HealthChecks.create(vertx)
        .register("model_loaded", p -> {
          JsonObject data = new JsonObject().put("loaded", readiness.isReady());
          List<String> missing = readiness.missingModels();
          if (!missing.isEmpty()) {
            // On an HTTP node of a cluster: the required models no live scoring node serves.
            data.put("models_without_scoring_node", new io.vertx.core.json.JsonArray(missing));
          }
          p.complete(status(readiness.isReady() ? "ok" : "unhealthy", data));
        })
        .register("memory", p -> {
          MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
          double used = heap.getMax() > 0 ? (double) heap.getUsed() / heap.getMax() : 0;
          p.complete(status(used < MAX_HEAP_USED ? "ok" : "degraded", new JsonObject()
              .put("heap_used_bytes", heap.getUsed()).put("heap_max_bytes", heap.getMax())
              .put("heap_used_ratio", Math.round(used * 1000) / 1000.0)));
        })
        .register("last_prediction", p -> {
          long last = metrics.lastPredictionMillis();
          JsonObject data = last < 0 ? new JsonObject().put("idle", true) : new JsonObject()
              .put("at", Instant.ofEpochMilli(last).toString())
              .put("age_s", (System.currentTimeMillis() - last) / 1000.0);
          p.complete(status("ok", data));
        })
        .register("recent_errors", p -> {
          int errors = metrics.recentServerErrors();
          p.complete(status(errors <= MAX_RECENT_ERRORS ? "ok" : "degraded", new JsonObject()
              .put("server_errors_last_60s", errors).put("limit", MAX_RECENT_ERRORS)));
        })
        .register("circuit_breaker", p -> p.complete(status(switch (circuit.state()) {
          case "closed" -> "ok";
          case "half_open" -> "degraded";
          default -> "unhealthy";
        }, new JsonObject().put("state", circuit.state()))));
  }

  private static Status status(String level, JsonObject data) {
    JsonObject withLevel = data.copy().put("status", level);
    return "unhealthy".equals(level) ? Status.KO(withLevel) : Status.OK(withLevel);
  }

  /** Runs every check. */
  public Future<Report> check() {
    return checks.checkStatus().map(ServerHealth::report);
  }

  static Report report(CheckResult all) {
    JsonObject checks = new JsonObject();
    String overall = "healthy";
    for (CheckResult check : all.getChecks()) {
      JsonObject data = check.getData() == null ? new JsonObject() : check.getData().copy();
      String level = data.getString("status", check.getUp() ? "ok" : "unhealthy");
      data.put("status", level);
      checks.put(check.getId(), data);
      if ("unhealthy".equals(level)) {
        overall = "unhealthy";
      } else if ("degraded".equals(level) && !"unhealthy".equals(overall)) {
        overall = "degraded";
      }
    }
    return new Report(overall, checks);
  }
}
