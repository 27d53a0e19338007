package io.churnserving.events;

import io.churnserving.metrics.ServingMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The drift monitor as a subscriber of {@link PredictionEvents#PREDICTIONS}, answering snapshots by request and
 * exposing its window as gauges. The monitor is confined to this verticle; the gauges read a snapshot it takes every
 * second, so a scrape never touches the window itself.
 */
public final class DriftMonitorVerticle extends VerticleBase {
  private static final long GAUGE_REFRESH_MS = 1000;

  private final DriftMonitor monitor;
  private final ServingMetrics metrics;
  private volatile JsonObject latest;

  public DriftMonitorVerticle(int windowSeconds, ServingMetrics metrics) {
    this.monitor = new DriftMonitor(windowSeconds);
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    var events = vertx.eventBus().<JsonObject>consumer(PredictionEvents.PREDICTIONS, message -> {
      JsonObject prediction = message.body().getJsonObject("prediction");
      monitor.record(System.currentTimeMillis(), prediction.getDouble("churn_probability"),
          prediction.getString("risk_tier"));
    });
    var snapshots = vertx.eventBus().<Void>consumer(PredictionEvents.MONITOR_SNAPSHOT,
        message -> message.reply(monitor.snapshot(System.currentTimeMillis())));
    latest = monitor.snapshot(System.currentTimeMillis());
    vertx.setPeriodic(GAUGE_REFRESH_MS, id -> latest = monitor.snapshot(System.currentTimeMillis()));
    metrics.gauge("drift_window_predictions", "Predictions in the drift monitor's sliding window (sampled events)",
        () -> latest.getInteger("count"));
    metrics.gauge("drift_window_mean_churn_probability", "Mean churn probability in the drift monitor's window",
        () -> latest.getDouble("mean_churn_probability") == null ? Double.NaN
            : latest.getDouble("mean_churn_probability"));
    for (String tier : List.of("low", "medium", "high")) {
      metrics.gauge("drift_window_tier_predictions", "Predictions per risk tier in the drift monitor's window",
          () -> latest.getJsonObject("risk_tiers").getInteger(tier, 0), "tier", tier);
    }
    return Future.all(events.completion(), snapshots.completion());
  }
}
