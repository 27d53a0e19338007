package io.churnserving.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** The summary printed on stdout at the end of a run: the settings, then the figures, one labelled line each. */
final class TextReport {
  private TextReport() {
  }

  static String render(Result r) {
    BenchOptions o = r.options;
    StringBuilder sb = new StringBuilder();
    String unit = o.unit();
    line(sb, "churn-serving bench", "%s loop%s, %d connections%s, %d client thread%s, %s measured after %s warm-up",
        o.mode().name().toLowerCase(Locale.ROOT), over(o), o.connections(),
        o.streamed() ? " x " + o.inFlight() + " messages in flight" : "", o.threads(), o.threads() == 1 ? "" : "s",
        seconds(o.duration().toMillis()), seconds(o.warmup().toMillis()));
    line(sb, "target", "%s, %s, seed %d", o.target(), body(o), o.seed());
    line(sb, "server", "%s", r.server.describe());
    line(sb, "machine", "%s; %s", r.machine.describe(), Machine.whose(OptionValues.isLoopback(o.url().getHost())));
    if (r.nothingSucceeded()) {
      String hint = r.errorHint();
      line(sb, "FAILED", "no %s succeeded: every answer was an error%s", unit, hint.isEmpty() ? "" : "; " + hint);
    }
    line(sb, "warm-up", "%s", warmup(r));
    if (r.openLoop()) {
      line(sb, "schedule", "%,d %ss/s: %,d due in the measured time, %,d never sent%s", o.rate(), unit, r.scheduled,
          r.notSent, r.notSent > 0 ? " (every connection still busy at the end: the target fell behind)" : "");
    }
    line(sb, "throughput", "%,d answers in %s = %,.1f %ss/s", r.answered(), seconds(r.measuredSeconds * 1000),
        r.requestsPerSecond(), unit);
    if (o.webSocket()) {
      // Every message carries one instance and gets its own answer, whatever the burst.
      line(sb, "predictions", "%,.1f/s (answers with a prediction)", r.predictionsPerSecond());
    } else if (o.grpc()) {
      line(sb, "predictions", "%,.1f/s (OK answers x %d)", r.predictionsPerSecond(), o.batchSize());
    } else {
      line(sb, "predictions", "%,.1f/s (2xx answers x %d)", r.predictionsPerSecond(), o.batchSize());
    }
    line(sb, "latency ms", "%s  (from when each %s was %s)", percentiles(r.latency), unit,
        r.openLoop() ? "due" : "sent");
    if (r.openLoop()) {
      line(sb, "service ms", "%s  (from when each %s left)", percentiles(r.serviceTime), unit);
    }
    line(sb, "time split", "%s", split(r.split));
    line(sb, "status", "%s%s", r.statuses.isEmpty() ? "no answers" : counts(r.statuses),
        o.grpc() && !r.statuses.isEmpty() ? " (gRPC statuses as HTTP's: OK 200, ...)" : "");
    line(sb, "errors", "%s", r.errorStatuses().isEmpty() && r.failures.isEmpty() ? "none"
        : join(r.errorStatuses().isEmpty() ? "" : "non-2xx " + counts(r.errorStatuses()),
            r.failures.isEmpty() ? "" : "no answer " + counts(r.failures)));
    line(sb, "connections", "%,d opened", r.connectionsOpened);
    String overTime = overTime(r);
    if (!overTime.isEmpty()) {
      line(sb, "over time", "%s", overTime);
    }
    if (r.clipped > 0) {
      line(sb, "note", "%,d latencies over %d s were recorded as %d s", r.clipped, Recorder.MAX_MICROS / 1_000_000,
          Recorder.MAX_MICROS / 1_000_000);
    }
    return sb.toString();
  }

  /** What the warm-up did: how long, how many answers it got, and in open loop how much of it was dropped. */
  static String warmup(Result r) {
    BenchOptions o = r.options;
    if (o.warmup().isZero()) {
      return "none: measuring began with the first " + o.unit();
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s before measuring, not recorded: %,d answers",
        seconds(o.warmup().toMillis()), r.warmupAnswers));
    if (r.openLoop()) {
      sb.append(String.format(Locale.ROOT, "; %,d %ss were due, %,d of them (%s of the schedule) still unsent when "
          + "measuring began and dropped", r.warmupScheduled, o.unit(), r.warmupDropped,
          seconds(1000.0 * r.warmupDropped / o.rate())));
      if (coldWarmup(r)) {
        sb.append(" (client or target still cold; a longer --warmup helps)");
      }
    }
    return sb.toString();
  }

  /** A request or two due on the boundary is noise; more than 10 ms of the schedule means a cold client. */
  static boolean coldWarmup(Result r) {
    return r.openLoop() && r.warmupDropped * 100 > r.options.rate();
  }

  /**
   * The per-interval figures in one line: throughput's spread, and where p99 started, ended and peaked, which is
   * what tells a steady soak from one that degraded. Empty for runs shorter than two intervals.
   */
  static String overTime(Result r) {
    List<OverTime.Point> points = r.overTime.points();
    if (points.size() < 2) {
      return "";
    }
    double[] rates = points.stream().mapToDouble(p -> p.perSecond(p.answers())).sorted().toArray();
    OverTime.Point worst = points.stream().max(Comparator.comparingDouble(OverTime.Point::p99Ms)).orElseThrow();
    return String.format(Locale.ROOT, "per %s: %ss/s min %,.0f, median %,.0f, max %,.0f; p99 ms first %s, last %s, "
        + "highest %s (%s-%s)", seconds(r.overTime.widthSeconds() * 1000), r.options.unit(), rates[0],
        rates[rates.length / 2], rates[rates.length - 1], ms(points.get(0).p99Ms()),
        ms(points.get(points.size() - 1).p99Ms()), ms(worst.p99Ms()), seconds(worst.startSeconds() * 1000),
        seconds(worst.endSeconds() * 1000));
  }

  private static String ms(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  /** " over WebSocket", " over gRPC streams", ...: the transport, when it is not plain HTTP. */
  static String over(BenchOptions o) {
    return switch (o.transport()) {
      case HTTP -> "";
      case WEBSOCKET -> " over WebSocket";
      case GRPC -> " over gRPC unary calls";
      case GRPC_STREAM -> " over gRPC streams";
    };
  }

  /**
   * perf_analyzer's split of the mean: "mean 1.234 ms = server queue 0.200 + compute 0.134 + other 0.900 (...)", or
   * why there is none.
   */
  static String split(ServerSplit s) {
    if (!s.known()) {
      return "none: " + s.unavailable();
    }
    return String.format(Locale.ROOT, "mean %.3f ms = server queue %.3f + compute %.3f + other %.3f (other: client "
        + "send/receive, wire, server parsing and batch wait; server meters over warm-up and run: %,d model calls, "
        + "%.1f rows each)", s.latencyMs(), s.queueMs(), s.computeMs(), s.restMs(), s.modelCalls(), s.rowsPerCall());
  }

  /** What each request or message carries, as the reports describe it. */
  static String body(BenchOptions o) {
    if (o.body() == BenchOptions.Body.NAMED) {
      return "named columns, one row per " + o.unit();
    }
    if (o.body() == BenchOptions.Body.RAW) {
      return "raw FP32 tensor of " + o.batchSize() + " rows per " + o.unit();
    }
    if (o.webSocket()) {
      return "one instance per message, " + (o.burst() == 1 ? "one message per frame"
          : o.burst() + " messages per frame");
    }
    return o.body() == BenchOptions.Body.BATCH ? "batches of " + o.batchSize() + " instances"
        : "one instance per request";
  }

  static String percentiles(Histogram h) {
    StringBuilder sb = new StringBuilder();
    for (double p : Result.SUMMARY_PERCENTILES) {
      sb.append(String.format(Locale.ROOT, "%s %.3f  ", Result.label(p), Result.ms(h, p)));
    }
    return sb.append(String.format(Locale.ROOT, "max %.3f", Result.maxMs(h))).toString();
  }

  private static String counts(Map<?, Long> counts) {
    return counts.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s: %,d", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
  }

  private static String seconds(double millis) {
    return millis % 1000 == 0 ? (long) (millis / 1000) + " s" : String.format(Locale.ROOT, "%.3f s", millis / 1000);
  }

  private static void line(StringBuilder sb, String label, String format, Object... args) {
    sb.append(String.format(Locale.ROOT, "%-20s", label)).append(String.format(Locale.ROOT, format, args))
        .append('\n');
  }
}
