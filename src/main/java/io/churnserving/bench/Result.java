package io.churnserving.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The measured part of a run, all event loops added up, and the figures derived from it. The reports only read it.
 */
final class Result {
  /** Percentiles the summaries show, besides the maximum. */
  static final double[] SUMMARY_PERCENTILES = {50, 90, 99, 99.9};
  /** Points per halving of the remaining distance to 100%, as in HdrHistogram's percentile output. */
  static final int TICKS_PER_HALF_DISTANCE = 5;

  /** One point of the latency-by-percentile curve. */
  record Point(double percentile, double latencyMs, long countAtOrBelow) {
  }

  final BenchOptions options;
  final Instant startedAt;
  final double measuredSeconds;
  final Histogram latency = Recorder.newHistogram();
  final Histogram serviceTime = Recorder.newHistogram();
  final SortedMap<Integer, Long> statuses = new TreeMap<>();
  final SortedMap<String, Long> failures = new TreeMap<>();
  final long connectionsOpened;
  final long scheduled;
  final long notSent;
  final long warmupDropped;
  /** Open loop: requests the schedule called for during the warm-up. */
  final long warmupScheduled;
  /** Answers to warm-up requests, which were not measured. */
  final long warmupAnswers;
  final long clipped;
  /** Answers, errors and latency per interval of the measured part, all loops added up. */
  final OverTime overTime;
  final ServerVersion server;
  final Machine machine;
  /** Client and wire against the server's queue and compute, from its meters; unavailable without them. */
  final ServerSplit split;

  Result(BenchOptions options, Instant startedAt, Timeline timeline, List<Recorder> recorders, List<Pacer> pacers,
      ServerVersion server, Machine machine, ServerSplit.Scrape before, ServerSplit.Scrape after) {
    this.options = options;
    this.startedAt = startedAt;
    this.measuredSeconds = timeline.measuredSeconds();
    this.server = server;
    this.machine = machine;
    this.overTime = new OverTime(timeline);
    long opened = 0;
    long clippedSum = 0;
    long warmupAnswered = 0;
    for (Recorder r : recorders) {
      overTime.add(r.overTime);
      warmupAnswered += r.warmupAnswers;
      latency.add(r.latency);
      serviceTime.add(r.serviceTime);
      for (int status = 0; status < r.statuses.length; status++) {
        if (r.statuses[status] > 0) {
          statuses.merge(status, r.statuses[status], Long::sum);
        }
      }
      r.failures.forEach((kind, n) -> failures.merge(kind, n, Long::sum));
      opened += r.connectionsOpened;
      clippedSum += r.clipped;
    }
    this.connectionsOpened = opened;
    this.clipped = clippedSum;
    this.scheduled = pacers.stream().mapToLong(Pacer::scheduled).sum();
    this.notSent = pacers.stream().mapToLong(Pacer::notSent).sum();
    this.warmupDropped = pacers.stream().mapToLong(Pacer::warmupDropped).sum();
    this.warmupScheduled = pacers.stream().mapToLong(Pacer::warmupScheduled).sum();
    this.warmupAnswers = warmupAnswered;
    this.split = before == null || after == null ? ServerSplit.unavailable("--metrics-url none")
        : ServerSplit.between(before, after, serviceTime.getTotalCount() == 0 ? 0 : serviceTime.getMean() / 1000);
  }

  boolean openLoop() {
    return options.mode() == BenchOptions.Mode.OPEN;
  }

  /** Requests that got an HTTP answer, whatever its status. */
  long answered() {
    return latency.getTotalCount();
  }

  /** Answers with a 2xx status. */
  long succeeded() {
    return statuses.entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToLong(e -> e.getValue()).sum();
  }

  /** Answers without a 2xx status, by status. */
  SortedMap<Integer, Long> errorStatuses() {
    SortedMap<Integer, Long> errors = new TreeMap<>(statuses);
    errors.keySet().removeIf(status -> status / 100 == 2);
    return Collections.unmodifiableSortedMap(errors);
  }

  /** Requests that got no answer at all, and connection attempts that failed. */
  long transportFailures() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Non-2xx answers plus requests without an answer. */
  long errors() {
    return errorStatuses().values().stream().mapToLong(Long::longValue).sum() + transportFailures();
  }

  /** Whether the run had nothing to show: no request got a 2xx answer, so every one was an error or none came. */
  boolean nothingSucceeded() {
    return succeeded() == 0;
  }

  /**
   * What the most frequent error most likely means, for the user to act on; empty when there is no error or no
   * advice for it.
   */
  String errorHint() {
    String kind = null;
    long most = 0;
    for (var e : errorStatuses().entrySet()) {
      if (e.getValue() > most) {
        most = e.getValue();
        kind = Integer.toString(e.getKey());
      }
    }
    for (var e : failures.entrySet()) {
      if (e.getValue() > most) {
        most = e.getValue();
        kind = e.getKey();
      }
    }
    if (kind == null) {
      return "";
    }
    String host = options.url().getHost() + ":" + options.port();
    return switch (kind) {
      case "401", "upgrade refused 401" -> "401: the key was refused; check --api-key or $API_KEY";
      case "403", "upgrade refused 403" -> "403: the key may not use this route, or the origin is refused";
      case "404", "upgrade refused 404" -> "404: no such route; check the path in --url";
      case "429" -> "429: rate-limited; the key's rate limit is below the load";
      case TransportErrors.REFUSED -> "connection refused: is the target up at " + host + "?";
      case TransportErrors.CONNECT_TIMEOUT, "unreachable host" -> kind + ": is " + host + " reachable?";
      default -> "";
    };
  }

  double requestsPerSecond() {
    return answered() / measuredSeconds;
  }

  /** Predictions made per second: only 2xx answers carry predictions, each batch {@code batchSize} of them. */
  double predictionsPerSecond() {
    return succeeded() * (double) options.batchSize() / measuredSeconds;
  }

  static double ms(AbstractHistogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  static double maxMs(AbstractHistogram h) {
    return h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
  }

  /** "p50", "p99.9". */
  static String label(double percentile) {
    return "p" + (percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile));
  }

  /** The whole distribution, as HdrHistogram's percentile iteration walks it; ends at 100%. */
  static List<Point> curve(Histogram h) {
    List<Point> points = new ArrayList<>();
    if (h.getTotalCount() == 0) {
      return points;
    }
    for (HistogramIterationValue v : h.percentiles(TICKS_PER_HALF_DISTANCE)) {
      points.add(new Point(v.getPercentileLevelIteratedTo(), v.getValueIteratedTo() / 1000.0,
          v.getTotalCountToThisValue()));
      if (v.getPercentileLevelIteratedTo() >= 100.0) {
        break;
      }
    }
    return points;
  }
}
