package io.churnserving.app;

import io.churnserving.config.ConfigException;
import io.churnserving.config.ConfigLoader;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.DoubleStream;

/**
 * Builds the {@code Vertx} the server runs on: metrics have to be chosen before it exists. With metrics on, it
 * carries a Prometheus registry of its own (no global registry) with Vert.x's HTTP server meters labelled by route
 * template and status (the route implies the method), JVM and process meters. Every other Vert.x meter family stays
 * off: event-bus meters alone cost about 40% of throughput on this path, and worker-pool meters are per task.
 *
 * @param vertx    the instance to deploy {@link MainVerticle} on
 * @param registry the Prometheus registry, or null when metrics are off
 */
public record VertxRuntime(Vertx vertx, PrometheusMeterRegistry registry) {
  private static final double[] RESPONSE_TIME_BUCKETS = DoubleStream.of(0.25, 0.5, 1, 2, 5, 10,
      25, 50, 100, 250, 500, 1000, 2500, 5000).map(ms -> ms * 1e6).toArray();
  private static final Set<String> LINT_FAILURES =
      Set.of("system.cpu.count", "process.cpu.time", "jvm.compilation.time");

  /** Builds from the same environment {@link MainVerticle} reads; a config error is left for it to report. */
  public static VertxRuntime build(Map<String, String> env, VertxOptions options) {
    boolean metrics;
    try {
      metrics = ConfigLoader.load(env).observability().metricsEnabled();
    } catch (ConfigException e) {
      metrics = false;
    }
    return metrics ? withMetrics(options) : new VertxRuntime(Vertx.vertx(options), null);
  }

  private static VertxRuntime withMetrics(VertxOptions options) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Histogram buckets for the HTTP server's response time, so p99 can be computed across instances: a dozen
    // chosen buckets rather than Micrometer's seventy, since every request records into one.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        return id.getName().startsWith("vertx.http.server.response.time")
            ? DistributionStatisticConfig.builder().serviceLevelObjectives(RESPONSE_TIME_BUCKETS).build()
                .merge(config) : config;
      }
    });
    // Request and response sizes per request are not worth their cost here; bytes per route are in the access log.
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().startsWith("vertx.http.server.request.bytes")
        || id.getName().startsWith("vertx.http.server.response.bytes")));
    // Three JVM binder meters whose names promtool's lint rejects (a "_count" gauge, "ns" and "ms" units); the
    // information is in process_cpu_usage and jvm_gc_pause_seconds.
    registry.config().meterFilter(MeterFilter.deny(id -> LINT_FAILURES.contains(id.getName())));
    new FileDescriptorMetrics().bindTo(registry);
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_CODE));
    for (MetricsDomain off : EnumSet.complementOf(EnumSet.of(MetricsDomain.HTTP_SERVER))) {
      metrics.addDisabledMetricsCategory(off);
    }
    Vertx vertx = Vertx.builder().with(new VertxOptions(options).setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
    return new VertxRuntime(vertx, registry);
  }
}
