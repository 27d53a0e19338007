package io.churnserving.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The HTTP server's meters, under the names and labels of vertx-micrometer-metrics' own HTTP server meters
 * ({@code vertx_http_server_requests_total} and {@code vertx_http_server_response_time_seconds} by {@code route}
 * template and {@code code}, {@code vertx_http_server_active_requests}), so dashboards and alerts read the same.
 *
 * <p>Why not Vert.x's own: its HTTP server metrics resolve four meters from the registry on every request (merging
 * tags and looking up meter ids each time, for the response time, the count and two byte sizes), which cost about
 * a fifth of {@code /predict}'s throughput on this machine, twice the budget for all metrics. Here each route and
 * status resolves its counter and timer once; after that a request costs an increment and a timer record.
 *
 * <p>Thread-safe; one per registry. Cardinality is bounded: routes are the route table's templates (and
 * {@value #UNMATCHED}), statuses 100 to 599.
 */
public final class HttpMeters {
  /** The route label of a request no route matched. */
  public static final String UNMATCHED = "unmatched";
  /**
   * Where the HTTP layer leaves an upgrade request's {@link Ending} in its routing context: a request that becomes
   * a WebSocket never ends as a response does, so the handler that upgrades it ends its measurement.
   */
  public static final String ENDING = "churn.http.metrics.ending";

  /** Ends one request's measurement; only the first call counts. */
  @FunctionalInterface
  public interface Ending {
    void end(int status);
  }

  private final MeterRegistry registry;
  private final AtomicInteger active = new AtomicInteger();
  private final Map<String, AtomicReferenceArray<Meters>> byRoute = new ConcurrentHashMap<>();
  private final Map<Refusal, Counter> refusals = new EnumMap<>(Refusal.class);

  private record Meters(Counter requests, Timer responseTime) {
  }

  public HttpMeters(MeterRegistry registry) {
    this.registry = registry;
    for (Refusal reason : Refusal.values()) {
      refusals.put(reason, Counter.builder("http.refusals")
          .description("Connections and requests the HTTP layer refused or closed to bound what it holds, by reason")
          .tag("reason", reason.label()).register(registry));
    }
    Gauge.builder("vertx.http.server.active.requests", active, AtomicInteger::get)
        .description("Number of requests being processed").register(registry);
  }

  /** A request's head has arrived. */
  public void begin() {
    active.incrementAndGet();
  }

  /** The request has been answered (or its connection lost) after {@code nanos}, with {@code status}. */
  public void end(String route, int status, long nanos) {
    active.decrementAndGet();
    Meters meters;
    if (status >= 100 && status <= 599) {
      AtomicReferenceArray<Meters> statuses = byRoute.computeIfAbsent(route, r -> new AtomicReferenceArray<>(500));
      meters = statuses.get(status - 100);
      if (meters == null) {
        meters = register(route, status);
        statuses.compareAndSet(status - 100, null, meters); // a racing thread registered the same meters
      }
    } else {
      meters = register(route, status); // never sent by this server; not worth a slot
    }
    meters.requests().increment();
    meters.responseTime().record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Why the HTTP layer refused a connection or a request, or closed a connection, to bound what it holds. */
  public enum Refusal {
    /** A connection past the limit of open connections, closed at once. */
    CONNECTION_LIMIT,
    /** A request that would take its connection past its share of the buffers. */
    CONNECTION_BUFFER,
    /** A request that would take the server past its buffers, with no stalled connection left to close. */
    SERVER_BUFFER,
    /** A connection closed because its client did not take an answer within the write timeout. */
    NOT_READING,
    /** A connection closed to make room, because it had held memory longest without progress. */
    EVICTED;

    /** As the {@code reason} label writes it. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Counts one refusal or closed connection of the HTTP layer. */
  public void refused(Refusal reason) {
    refusals.get(reason).increment();
  }

  /**
   * Gauges of what clients make the HTTP layer hold: {@code http_connections} and {@code http_buffer_bytes}.
   * Registered once, by the composition root.
   */
  public void watch(IntSupplier connections, LongSupplier bufferBytes) {
    Gauge.builder("http.connections", connections::getAsInt).description("Open client connections")
        .register(registry);
    Gauge.builder("http.buffer.bytes", bufferBytes::getAsLong)
        .description("Bytes held for clients: request bodies being read, answers not yet written, open requests")
        .baseUnit("bytes").register(registry);
  }

  private Meters register(String route, int status) {
    String code = Integer.toString(status);
    return new Meters(
        Counter.builder("vertx.http.server.requests").description("Number of processed requests")
            .tags("route", route, "code", code).register(registry),
        Timer.builder("vertx.http.server.response.time").description("Request processing time")
            .tags("route", route, "code", code).register(registry));
  }
}
