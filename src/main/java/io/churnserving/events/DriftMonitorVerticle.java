package io.churnserving.events;

import io.churnserving.metrics.ServingMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The drift monitor as a subscriber of {@link PredictionEvents#PREDICTIONS}, answering snapshots by request and
 * exposing its windows as gauges. It keeps one window per model version, keyed by the event's {@code model} and
 * {@code model_version}: a snapshot of a model ({@link PredictionEvents#MONITOR_SNAPSHOT}, asked with the model's
 * name) is the sum of its versions' windows, each version's own beside it, so a canary's distribution can be told
 * from the stable one's. The windows are confined to this verticle; the gauges read snapshots it takes every
 * second, so a scrape never touches a window itself.
 */
public final class DriftMonitorVerticle extends VerticleBase {
  private static final long GAUGE_REFRESH_MS = 1000;
  private static final List<String> TIERS = List.of("low", "medium", "high");

  private final int windowSeconds;
  private final ServingMetrics metrics;
  /** Model, then version, then its window. */
  private final Map<String, Map<String, DriftMonitor>> windows = new HashMap<>();
  /** The versions' snapshots the gauges read, by {@code model/version}; replaced whole every refresh. */
  private volatile Map<String, JsonObject> latest = Map.of();

  /**
   * @param metrics the server's meters; the window of its model and version is kept from the start, so its gauges
   *                are there before the first prediction
   */
  public DriftMonitorVerticle(int windowSeconds, ServingMetrics metrics) {
    this.windowSeconds = windowSeconds;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    window(metrics.model(), metrics.version());
    var events = vertx.eventBus().<JsonObject>consumer(PredictionEvents.PREDICTIONS, message -> {
      JsonObject event = message.body();
      JsonObject prediction = event.getJsonObject("prediction");
      window(event.getString("model", metrics.model()), event.getString("model_version", ""))
          .record(System.currentTimeMillis(), prediction.getDouble("churn_probability"),
              prediction.getString("risk_tier"));
    });
    // This node's own monitor answers: on a clustered bus, another node's would be asked in turn otherwise.
    var snapshots = vertx.eventBus().<String>localConsumer(PredictionEvents.MONITOR_SNAPSHOT,
        message -> message.reply(snapshot(message.body(), System.currentTimeMillis())));
    refresh();
    vertx.setPeriodic(GAUGE_REFRESH_MS, id -> refresh());
    return Future.all(events.completion(), snapshots.completion());
  }

  /** A version's window, made (with its gauges) on its first prediction. */
  private DriftMonitor window(String model, String version) {
    Map<String, DriftMonitor> versions = windows.computeIfAbsent(model, m -> new TreeMap<>());
    DriftMonitor window = versions.get(version);
    if (window == null) {
      window = new DriftMonitor(windowSeconds);
      versions.put(version, window);
      gauges(model, version);
    }
    return window;
  }

  /**
   * A model's window: the sum of its versions', and under {@code versions} each one's. A model with no prediction in
   * the window has counts of 0.
   */
  private JsonObject snapshot(String model, long nowMillis) {
    Map<String, DriftMonitor> versions = windows.getOrDefault(model, Map.of());
    JsonObject byVersion = new JsonObject();
    versions.forEach((version, window) -> byVersion.put(version, window.snapshot(nowMillis)));
    return DriftMonitor.snapshot(windowSeconds, nowMillis, versions.values()).put("model", model)
        .put("versions", byVersion);
  }

  /**
   * Takes the snapshots the gauges read, and forgets a window that has been empty for a whole window, so that
   * versions loaded and unloaded over the server's life do not each keep one.
   */
  private void refresh() {
    long now = System.currentTimeMillis();
    Map<String, JsonObject> taken = new HashMap<>();
    windows.forEach((model, versions) -> versions.entrySet().removeIf(e -> {
      JsonObject snapshot = e.getValue().snapshot(now);
      taken.put(model + "/" + e.getKey(), snapshot);
      return snapshot.getLong("count") == 0 && !(model.equals(metrics.model()) && e.getKey().equals(metrics.version()));
    }));
    windows.values().removeIf(Map::isEmpty);
    latest = taken;
  }

  /**
   * The gauges of one version's window, labelled with its model and version. Registering again, when a forgotten
   * window comes back, finds the gauges already there, reading the same key.
   */
  private void gauges(String model, String version) {
    String key = model + "/" + version;
    String[] labels = {"model", model, "version", version};
    metrics.gauge("drift_window_predictions", "Predictions in the drift monitor's sliding window (sampled events)",
        () -> read(key).getInteger("count", 0), labels);
    metrics.gauge("drift_window_mean_churn_probability", "Mean churn probability in the drift monitor's window",
        () -> {
          Double mean = read(key).getDouble("mean_churn_probability");
          return mean == null ? Double.NaN : mean;
        }, labels);
    for (String tier : TIERS) {
      metrics.gauge("drift_window_tier_predictions", "Predictions per risk tier in the drift monitor's window",
          () -> {
            JsonObject tiers = read(key).getJsonObject("risk_tiers");
            return tiers == null ? 0 : tiers.getInteger(tier, 0);
          }, "model", model, "version", version, "tier", tier);
    }
  }

  private JsonObject read(String key) {
    JsonObject snapshot = latest.get(key);
    return snapshot == null ? new JsonObject() : snapshot;
  }
}
