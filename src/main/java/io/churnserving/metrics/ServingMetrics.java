package io.churnserving.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's meters, registered once on the registry the composition root gives (a Prometheus registry, or a
 * registry that records nothing when metrics are off), plus the vital signs health reads whether or not metrics
 * are on. Thread-safe: event loops and scoring workers record into it.
 */
public final class ServingMetrics {
  /** Rejection reasons, as {@code rejections_total} labels them; each is exposed from the start, at 0. */
  private static final List<String> REJECTION_REASONS = List.of("rate_limited", "overloaded", "timeout", "circuit_open");

  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
  private static final int ERROR_WINDOW_SECONDS = 60;

  private final MeterRegistry registry;
  private final HttpMeters http;
  private final GrpcMeters grpc;
  private final String model;
  private final String version;
  private final Map<String, Map<String, Counter>> predictions = new ConcurrentHashMap<>();
  private final Map<String, Counter> tiers = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejections;
  private final Timer inference;
  private final Timer queueWait;
  private final DistributionSummary batchSize;
  private final Counter serverErrors;
  private final List<IntSupplier> inFlight;
  /** What this version added to {@link #inFlight}. */
  private final List<IntSupplier> tracked = new CopyOnWriteArrayList<>();
  private final AtomicLong lastPredictionMillis;
  // Server errors per second of the last minute, as a ring of (second, count) pairs packed into longs.
  private final AtomicLongArray errorSeconds;

  /**
   * @param registry where meters go; {@link #noRegistry()} when metrics are off
   * @param model    served model name, a label of every prediction meter
   * @param version  served model version
   */
  public ServingMetrics(MeterRegistry registry, String model, String version) {
    this.registry = registry;
    this.http = new HttpMeters(registry);
    this.grpc = new GrpcMeters(registry);
    this.model = model;
    this.version = version;
    this.rejections = new ConcurrentHashMap<>();
    this.inFlight = new CopyOnWriteArrayList<>();
    this.lastPredictionMillis = new AtomicLong(-1);
    this.errorSeconds = new AtomicLongArray(ERROR_WINDOW_SECONDS);
    this.inference = inference(registry, model, version);
    this.queueWait = queueWait(registry, model, version);
    this.batchSize = batchSize(registry, model, version);
    Gauge.builder("requests_in_flight", this, ServingMetrics::inFlight)
        .description("Rows admitted for scoring and not yet answered, over all transports").register(registry);
    for (String reason : REJECTION_REASONS) {
      rejection(reason);
    }
    this.serverErrors = Counter.builder("server_errors").description("Answers that were the server's own failure: "
        + "5xx other than overloaded and other than a deadline the client chose").register(registry);
  }

  /** Another version's meters: its own labels, and the server-wide ones (HTTP, rejections, errors) shared. */
  private ServingMetrics(ServingMetrics server, String model, String version) {
    this.registry = server.registry;
    this.http = server.http;
    this.grpc = server.grpc;
    this.model = model;
    this.version = version;
    this.rejections = server.rejections;
    this.inFlight = server.inFlight;
    this.lastPredictionMillis = server.lastPredictionMillis;
    this.errorSeconds = server.errorSeconds;
    this.serverErrors = server.serverErrors;
    this.inference = inference(registry, model, version);
    this.queueWait = queueWait(registry, model, version);
    this.batchSize = batchSize(registry, model, version);
  }

  /**
   * The meters of one model version, labelled {@code model} and {@code version}: predictions, tiers, batch size,
   * queue wait, inference time and its gauges. Server-wide meters stay shared.
   */
  public ServingMetrics forVersion(String model, String version) {
    return model.equals(this.model) && version.equals(this.version) ? this : new ServingMetrics(this, model, version);
  }

  public String model() {
    return model;
  }

  public String version() {
    return version;
  }

  private static Timer inference(MeterRegistry registry, String model, String version) {
    return Timer.builder("inference_duration").description("Time of one model call (one batch)")
        .tags("model", model, "version", version).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(2)).register(registry);
  }

  private static Timer queueWait(MeterRegistry registry, String model, String version) {
    return Timer.builder("queue_wait").description("Time a batch waited between send and scoring")
        .tags("model", model, "version", version).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(2)).register(registry);
  }

  private static DistributionSummary batchSize(MeterRegistry registry, String model, String version) {
    return DistributionSummary.builder("batch_size").description("Rows per model call")
        .tags("model", model, "version", version).serviceLevelObjectives(BATCH_BUCKETS).register(registry);
  }

  /** The HTTP server's meters, on the same registry. */
  public HttpMeters http() {
    return http;
  }

  /** The gRPC server's meters, on the same registry. */
  public GrpcMeters grpc() {
    return grpc;
  }

  /** A registry that keeps nothing: the server's meters cost next to nothing when metrics are off. */
  public static MeterRegistry noRegistry() {
    return new CompositeMeterRegistry();
  }

  /** The outcome of a prediction that was made. */
  public static final String OK = "ok";

  /**
   * One answered prediction request (or stream message, or bus request).
   *
   * @param outcome  {@link #OK}, or the problem's kind ({@code validation-error}, {@code rate-limited}...)
   * @param status   the HTTP status of the answer
   * @param riskTier the prediction's tier, or null when it failed
   */
  public void answered(String transport, String outcome, int status, String riskTier) {
    prediction(transport, outcome, riskTier);
    if (status >= 400) {
      refused(outcome, status);
    }
  }

  /**
   * Any refused request, prediction or not: counts {@code rejections_total} for the four rejection kinds and, for a
   * 5xx other than saturation, a server error for the health check.
   */
  public void refused(String kind, int status) {
    switch (kind) {
      case "rate-limited" -> rejected("rate_limited");
      case "overloaded" -> rejected("overloaded");
      case "timeout", CLIENT_TIMEOUT -> rejected("timeout");
      case "circuit-open" -> rejected("circuit_open");
      default -> {
      }
    }
    if (isServerError(kind, status)) {
      serverError();
    }
  }

  /**
   * Whether an answer is the server's own failure, for {@code recent_errors} and {@code server_errors_total}: a 5xx,
   * except saturation ({@code overloaded}: the server is doing all it can) and a deadline the client chose itself
   * ({@value #CLIENT_TIMEOUT}). A client that went away ({@value #CLIENT_CLOSED}) is no answer at all.
   */
  public static boolean isServerError(String kind, int status) {
    return status >= 500 && !"overloaded".equals(kind) && !CLIENT_TIMEOUT.equals(kind);
  }

  /** The outcome of a request whose deadline ran out, when the client asked for a shorter one than the default. */
  public static final String CLIENT_TIMEOUT = "client-timeout";
  /** The outcome of a request whose client closed its connection or reset its stream before the answer. */
  public static final String CLIENT_CLOSED = "client-closed";
  /** The status counted for {@value #CLIENT_CLOSED}: never sent, as nginx's 499 is not. */
  public static final int CLIENT_CLOSED_STATUS = 499;

  /**
   * Predictions answered together, each {@link #OK} with status 200 (a batch request's instances): counted as
   * {@link #answered} would count them one by one, with one counter update per tier rather than per prediction.
   *
   * @param tierOf the tier of the i-th prediction
   */
  public void answeredAll(String transport, int count, IntFunction<String> tierOf) {
    if (count == 0) {
      return;
    }
    predictionCounter(transport, OK).increment(count);
    lastPredictionMillis.set(System.currentTimeMillis());
    Map<String, Integer> byTier = new HashMap<>(8);
    for (int i = 0; i < count; i++) {
      byTier.merge(tierOf.apply(i), 1, Integer::sum);
    }
    byTier.forEach((tier, n) -> tierCounter(tier).increment(n));
  }

  private void prediction(String transport, String outcome, String riskTier) {
    predictionCounter(transport, outcome).increment();
    if (riskTier != null) {
      lastPredictionMillis.set(System.currentTimeMillis());
      tierCounter(riskTier).increment();
    }
  }

  private Counter predictionCounter(String transport, String outcome) {
    // Two lookups rather than one on a joined key: no string is built per prediction.
    return predictions.computeIfAbsent(transport, t -> new ConcurrentHashMap<>()).computeIfAbsent(outcome,
        o -> Counter.builder("predictions")
        .description("Predictions answered, by transport and outcome (ok, or the problem's kind)")
        .tags("model", model, "version", version, "transport", transport, "outcome", outcome)
        .register(registry));
  }

  private Counter tierCounter(String riskTier) {
    return tiers.computeIfAbsent(riskTier, t -> Counter.builder("predictions_by_tier")
        .description("Predictions made, by risk tier").tags("model", model, "version", version, "tier", t)
        .register(registry));
  }

  private void rejected(String reason) {
    rejection(reason).increment();
  }

  private Counter rejection(String reason) {
    return rejections.computeIfAbsent(reason, r -> Counter.builder("rejections")
        .description("Requests refused: rate_limited (429), overloaded (503), timeout (504), circuit_open (503)")
        .tag("reason", r).register(registry));
  }

  /** One model call: its rows, how long the batch waited for a worker, and how long the model took. */
  public void batch(int rows, long queueWaitNanos, long inferenceNanos) {
    batchSize.record(rows);
    queueWait.record(queueWaitNanos, TimeUnit.NANOSECONDS);
    inference.record(inferenceNanos, TimeUnit.NANOSECONDS);
  }

  /** Adds a transport's count of admitted, unanswered rows to {@code requests_in_flight}. */
  public void trackInFlight(IntSupplier rows) {
    inFlight.add(rows);
    tracked.add(rows);
  }

  /**
   * Removes this version's in-flight counts and, with {@code removeMeters}, its meters from the registry, leaving the
   * server-wide ones: for a version that is unloaded, so that loading and unloading versions again and again does not
   * grow the registry. A version reloaded under the same number shares its meters (the registry keys them by name
   * and labels), so the one it replaced keeps them.
   */
  public void close(boolean removeMeters) {
    inFlight.removeAll(tracked);
    if (!removeMeters) {
      return;
    }
    for (Meter meter : List.copyOf(registry.getMeters())) {
      if (model.equals(meter.getId().getTag("model")) && version.equals(meter.getId().getTag("version"))) {
        registry.remove(meter);
      }
    }
  }

  private double inFlight() {
    int sum = 0;
    for (IntSupplier s : inFlight) {
      sum += s.getAsInt();
    }
    return sum;
  }

  /**
   * Registers a gauge read from the supplier, such as the circuit state or the model load time.
   *
   * @param tags extra label name, value pairs
   */
  public void gauge(String name, String description, Supplier<Number> value, String... tags) {
    Gauge.builder(name, value).description(description).tags("model", model, "version", version).tags(tags)
        .register(registry);
  }

  /** A server-side error (a 5xx answer of the server's own making), for {@code recent_errors} and the alert. */
  public void serverError() {
    serverErrors.increment();
    long second = System.currentTimeMillis() / 1000;
    int slot = (int) (second % ERROR_WINDOW_SECONDS);
    long packed = errorSeconds.get(slot);
    long expected = second << 20;
    if ((packed >>> 20) != second) {
      errorSeconds.compareAndSet(slot, packed, expected);
    }
    errorSeconds.incrementAndGet(slot);
  }

  /** Server errors in the last 60 seconds. */
  public int recentServerErrors() {
    long now = System.currentTimeMillis() / 1000;
    int sum = 0;
    for (int i = 0; i < ERROR_WINDOW_SECONDS; i++) {
      long packed = errorSeconds.get(i);
      if (now - (packed >>> 20) < ERROR_WINDOW_SECONDS) {
        sum += (int) (packed & 0xFFFFF);
      }
    }
    return sum;
  }

  /** When the last prediction was made (epoch ms), or -1 if none yet. */
  public long lastPredictionMillis() {
    return lastPredictionMillis.get();
  }
}
