package io.churnserving.app;

import io.churnserving.config.ConfigException;
import io.churnserving.config.ConfigLoader;
import io.churnserving.config.ServerConfig;
import io.churnserving.cluster.HazelcastCluster;
import io.churnserving.observability.QueryKeyRedactor;
import io.churnserving.observability.ScoringSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.DoubleStream;
import java.util.concurrent.TimeUnit;

/**
 * Builds the {@code Vertx} the server runs on: metrics have to be chosen before it exists. With metrics on, it
 * carries a Prometheus registry of its own (no global registry) with JVM and process meters; the HTTP server's
 * meters are {@code HttpMeters}, recorded by the route table. Vert.x's own meter families stay off: event-bus
 * meters alone cost about 40% of throughput on this path, its HTTP server meters about 20% of {@code /predict},
 * and worker-pool meters are per task.
 *
 * @param vertx    the instance to deploy {@link MainVerticle} on
 * @param registry the Prometheus registry, or null when metrics are off
 * @param spans    the scoring spans, made with the SDK's tracer when export is on
 * @param cluster  the Hazelcast member the event bus is clustered on, or null when it is not
 */
public record VertxRuntime(Vertx vertx, PrometheusMeterRegistry registry, ScoringSpans spans,
                           HazelcastCluster cluster) {

  public VertxRuntime(Vertx vertx, PrometheusMeterRegistry registry, ScoringSpans spans) {
    this(vertx, registry, spans, null);
  }
  private static final double[] RESPONSE_TIME_BUCKETS = DoubleStream.of(0.25, 0.5, 1, 2, 5, 10,
      25, 50, 100, 250, 500, 1000, 2500, 5000).map(ms -> ms * 1e6).toArray();
  private static final Set<String> LINT_FAILURES =
      Set.of("system.cpu.count", "process.cpu.time", "jvm.compilation.time");

  /** Builds from the same environment {@link MainVerticle} reads; a config error is left for it to report. */
  public static VertxRuntime build(Map<String, String> env, VertxOptions options) {
    ServerConfig.Observability ops;
    ServerConfig.Cluster clustering = null;
    try {
      ServerConfig config = ConfigLoader.load(env);
      ops = config.observability();
      clustering = config.cluster().enabled() ? config.cluster() : null;
    } catch (ConfigException e) {
      ops = new ServerConfig.Observability(false, 0, false, "", 0, 0);
    }
    VertxBuilder builder = Vertx.builder();
    VertxOptions configured = new VertxOptions(options);
    PrometheusMeterRegistry registry = null;
    if (ops.metricsEnabled()) {
      registry = prometheus();
      configured.setMetricsOptions(metricsOptions());
      builder.withMetrics(new MicrometerMetricsFactory(registry));
    }
    OpenTelemetrySdk otel = null;
    if (ops.otelEnabled()) {
      otel = openTelemetry(ops.otelEndpoint(), ops.otelSamplePercent());
      configured.setTracingOptions(new OpenTelemetryOptions());
      builder.withTracer(new OpenTelemetryTracingFactory(otel));
    }
    HazelcastCluster cluster = clustering == null ? null : HazelcastCluster.of(clustering);
    Vertx vertx = cluster == null ? builder.with(configured).build() : joined(builder.with(
        HazelcastCluster.options(configured, clustering)).withClusterManager(cluster.manager()), clustering);
    if (otel != null) {
      // Flushes the spans still batched when Vert.x closes, off the event loop.
      OpenTelemetrySdk sdk = otel;
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> stop() {
          return vertx.executeBlocking(() -> sdk.shutdown().join(5, TimeUnit.SECONDS));
        }
      }).await();
    }
    return new VertxRuntime(vertx, registry, otel == null ? ScoringSpans.off() : ScoringSpans.of(otel), cluster);
  }

  /**
   * The clustered {@code Vertx}, once its Hazelcast member has joined and its event bus listens.
   *
   * @throws ConfigException naming the cluster settings when it cannot (a port taken, an address not usable)
   */
  private static Vertx joined(VertxBuilder builder, ServerConfig.Cluster settings) {
    try {
      return builder.buildClustered().await();
    } catch (RuntimeException e) {
      String reason = e.getMessage();
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof java.net.BindException) {
          reason = t.getMessage();
        }
      }
      throw new ConfigException("could not join the cluster on " + settings.host() + " (CLUSTER_HOST), Hazelcast "
          + "port " + settings.hazelcastPort() + " (CLUSTER_HAZELCAST_PORT), event-bus port " + settings.busPort()
          + " (CLUSTER_PORT): " + (reason == null ? e.getClass().getName() : reason.lines().findFirst().orElse("")));
    }
  }

  /**
   * Spans of Vert.x's HTTP server (continuing an incoming {@code traceparent}), batched and sent over OTLP/HTTP with
   * the JDK's HTTP client. Only built when asked for: it is the one thing that makes the server call out. New
   * traces are sampled; a caller's sampled {@code traceparent} is always followed, so its trace stays whole.
   */
  private static OpenTelemetrySdk openTelemetry(String endpoint, int samplePercent) {
    SdkTracerProvider tracer = SdkTracerProvider.builder()
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(samplePercent / 100.0)))
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), "churn-serving"))))
        .addSpanProcessor(new QueryKeyRedactor())
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build())
            .setScheduleDelay(Duration.ofMillis(500)).build())
        .build();
    return OpenTelemetrySdk.builder().setTracerProvider(tracer)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
  }

  private static MicrometerMetricsOptions metricsOptions() {
    // Every Vert.x meter family is off: event-bus meters alone cost about 40% of throughput on this path, and its
    // HTTP server meters about 20% of /predict; HttpMeters records the HTTP ones instead, under the same names.
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    for (MetricsDomain off : EnumSet.allOf(MetricsDomain.class)) {
      metrics.addDisabledMetricsCategory(off);
    }
    return metrics;
  }

  private static PrometheusMeterRegistry prometheus() {
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
    return registry;
  }
}
