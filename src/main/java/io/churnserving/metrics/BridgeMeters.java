package io.churnserving.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The event-bus bridge's meters: {@code bridge_connections}, {@code bridge_refusals_total{reason}} (one per err frame
 * the bridge sends of its own, by its code, such as {@code unauthorized} or {@code rate_limited}) and
 * {@code bridge_events_dropped_total} (events not written to a subscriber that was not reading). The reasons are the
 * bridge's fixed codes, so the cardinality is bounded.
 */
public final class BridgeMeters {
  private final MeterRegistry registry;
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
  private final Counter dropped;

  public BridgeMeters(MeterRegistry registry) {
    this.registry = registry;
    this.dropped = Counter.builder("bridge.events.dropped")
        .description("Events not written to a bridge subscriber whose connection was not reading").register(registry);
  }

  /** Reports the open connections as {@code bridge_connections}. */
  public void watch(IntSupplier connections) {
    Gauge.builder("bridge.connections", connections::getAsInt).description("Open event-bus bridge connections")
        .register(registry);
  }

  public void refused(String reason) {
    refusals.computeIfAbsent(reason, r -> Counter.builder("bridge.refusals").tag("reason", r)
        .description("Frames and connections the event-bus bridge refused, by reason").register(registry))
        .increment();
  }

  public void dropped() {
    dropped.increment();
  }
}
