package io.churnserving.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DriftMonitorTest {
  @Test
  void countsByTierAndProbabilityBinOverASlidingWindow() {
    DriftMonitor monitor = new DriftMonitor(60);
    long t0 = 1_000_000_000L;
    monitor.record(t0, 0.05, "low");
    monitor.record(t0 + 500, 0.45, "medium");
    monitor.record(t0 + 30_000, 0.95, "high");
    monitor.record(t0 + 30_000, 1.0, "high");
    JsonObject at30 = monitor.snapshot(t0 + 30_000);
    assertThat(at30.getLong("count")).isEqualTo(4);
    assertThat(at30.getJsonObject("risk_tiers").getMap()).containsEntry("low", 1L).containsEntry("medium", 1L)
        .containsEntry("high", 2L);
    assertThat(at30.getJsonArray("churn_probability_histogram").getJsonObject(9).getLong("count")).isEqualTo(2);
    assertThat(at30.getDouble("mean_churn_probability")).isEqualTo((0.05 + 0.45 + 0.95 + 1.0) / 4, within());

    JsonObject at70 = monitor.snapshot(t0 + 70_000);
    assertThat(at70.getLong("count")).as("the first two fell out of the window").isEqualTo(2);
    assertThat(monitor.snapshot(t0 + 200_000).getLong("count")).isZero();
    assertThat(monitor.snapshot(t0 + 200_000).getValue("mean_churn_probability")).isNull();
  }

  @Test
  void severalWindowsSumAsOne() {
    long t0 = 1_000_000_000L;
    DriftMonitor v1 = new DriftMonitor(60);
    DriftMonitor v2 = new DriftMonitor(60);
    v1.record(t0, 0.05, "low");
    v2.record(t0, 0.95, "high");
    v2.record(t0 + 1_000, 0.85, "high");
    JsonObject both = DriftMonitor.snapshot(60, t0 + 1_000, java.util.List.of(v1, v2));
    assertThat(both.getLong("count")).isEqualTo(3);
    assertThat(both.getJsonObject("risk_tiers").getMap()).containsEntry("low", 1L).containsEntry("high", 2L);
    assertThat(both.getDouble("mean_churn_probability")).isEqualTo((0.05 + 0.95 + 0.85) / 3, within());
    JsonObject none = DriftMonitor.snapshot(60, t0, java.util.List.of());
    assertThat(none.getLong("count")).isZero();
    assertThat(none.getInteger("window_s")).isEqualTo(60);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
