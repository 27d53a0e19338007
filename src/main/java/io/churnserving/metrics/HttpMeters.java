package io.churnserving.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

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

  private record Meters(Counter requests, Timer responseTime) {
  }

  public HttpMeters(MeterRegistry registry) {
    this.registry = registry;
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

  private Meters register(String route, int status) {
    String code = Integer.toString(status);
    return new Meters(
        Counter.builder("vertx.http.server.requests").description("Number of processed requests")
            .tags("route", route, "code", code).register(registry),
        Timer.builder("vertx.http.server.response.time").description("Request processing time")
            .tags("route", route, "code", code).register(registry));
  }
}
