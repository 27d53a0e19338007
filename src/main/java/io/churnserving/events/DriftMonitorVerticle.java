package io.churnserving.events;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The drift monitor as a subscriber of {@link PredictionEvents#PREDICTIONS}, answering snapshots by request. */
public final class DriftMonitorVerticle extends VerticleBase {
  private final DriftMonitor monitor;

  public DriftMonitorVerticle(int windowSeconds) {
    this.monitor = new DriftMonitor(windowSeconds);
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
    return Future.all(events.completion(), snapshots.completion());
  }
}
