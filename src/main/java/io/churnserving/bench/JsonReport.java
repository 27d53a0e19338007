package io.churnserving.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The run as a JSON document: settings, figures, the whole percentile distribution, and the latency histogram in
 * HdrHistogram's compressed form, so runs can be compared, merged or re-plotted later. The API key is not written.
 */
final class JsonReport {
  /** Extra percentiles the JSON carries beyond the summary's. */
  private static final double[] MORE_PERCENTILES = {99.99};

  private JsonReport() {
  }

  static JsonObject render(Result r) {
    BenchOptions o = r.options;
    JsonObject settings = new JsonObject()
        .put("url", o.displayUrl())
        .put("transport", o.transport().name().toLowerCase(Locale.ROOT))
        .put("mode", o.mode().name().toLowerCase(Locale.ROOT))
        .put("connections", o.connections())
        .put("rate", r.openLoop() ? o.rate() : null)
        .put("threads", o.threads())
        .put("duration_s", o.duration().toMillis() / 1000.0)
        .put("warmup_s", o.warmup().toMillis() / 1000.0)
        .put("timeout_s", o.timeout().toMillis() / 1000.0)
        .put("body", o.body().name().toLowerCase(Locale.ROOT))
        .put("batch_size", o.batchSize())
        .put("schema", o.schema().toString())
        .put("seed", o.seed());
    if (o.streamed()) {
      // "requests" and "requests_per_second" below then count messages.
      settings.put("in_flight", o.inFlight()).put("burst", o.burst());
    }
    if (o.grpc() || o.body() == BenchOptions.Body.NAMED || o.body() == BenchOptions.Body.RAW) {
      settings.put("model", o.model()).put("model_version", o.modelVersion());
    }
    JsonObject json = new JsonObject()
        .put("tool", "churn-serving bench")
        .put("started_at", r.startedAt.toString())
        .put("settings", settings)
        .put("server", server(r.server))
        .put("machine", machine(r))
        .put("measured_s", r.measuredSeconds)
        .put("requests", r.answered())
        .put("succeeded", r.succeeded())
        .put("errors", r.errors())
        .put("every_answer_an_error", r.nothingSucceeded())
        .put("requests_per_second", round(r.requestsPerSecond()))
        .put("predictions_per_second", round(r.predictionsPerSecond()))
        .put("status_counts", counts(r.statuses))
        .put("error_status_counts", counts(r.errorStatuses()))
        .put("transport_errors", counts(r.failures))
        .put("connections_opened", r.connectionsOpened)
        .put("latency_ms", summary(r.latency))
        .put("latency_from", r.openLoop() ? "intended send time" : "send time")
        .put("percentiles", curve(r.latency))
        .put("histogram_us_base64", encode(r.latency))
        .put("warmup", warmup(r))
        .put("over_time", overTime(r.overTime))
        .put("time_split", split(r.split));
    if (r.openLoop()) {
      json.put("schedule", new JsonObject().put("due", r.scheduled).put("never_sent", r.notSent)
              .put("warmup_dropped", r.warmupDropped))
          .put("service_time_ms", summary(r.serviceTime))
          .put("service_time_percentiles", curve(r.serviceTime));
    }
    if (r.clipped > 0) {
      json.put("latencies_clipped_at_60s", r.clipped);
    }
    return json;
  }

  /** perf_analyzer's split of the mean service time; {@code {"unavailable": why}} when there is none. */
  private static JsonObject split(ServerSplit s) {
    if (!s.known()) {
      return new JsonObject().put("unavailable", s.unavailable());
    }
    return new JsonObject().put("mean_ms", micros(s.latencyMs())).put("server_queue_ms", micros(s.queueMs()))
        .put("server_compute_ms", micros(s.computeMs())).put("other_ms", micros(s.restMs()))
        .put("other_is", "client send/receive, the wire, the server's parsing and batch wait")
        .put("model_calls", s.modelCalls()).put("rows_per_call", round(s.rowsPerCall()))
        .put("from", "the server's queue_wait and inference_duration meters, over warm-up and run");
  }

  private static JsonObject server(ServerVersion v) {
    JsonObject json = new JsonObject().put("name", v.name()).put("version", v.version());
    JsonArray models = new JsonArray();
    v.models().forEach(models::add);
    return json.put("models", models).put("source", v.source());
  }

  private static JsonObject machine(Result r) {
    Machine m = r.machine;
    return new JsonObject()
        .put("whose", Machine.whose(OptionValues.isLoopback(r.options.url().getHost())))
        .put("cores", m.cores())
        .put("jvm", m.jvmName())
        .put("java_version", m.javaVersion())
        .put("os", m.osName())
        .put("os_version", m.osVersion())
        .put("arch", m.osArch());
  }

  private static JsonObject warmup(Result r) {
    JsonObject json = new JsonObject().put("seconds", r.options.warmup().toMillis() / 1000.0)
        .put("answers_not_recorded", r.warmupAnswers);
    if (r.openLoop()) {
      json.put("due", r.warmupScheduled).put("dropped_unsent", r.warmupDropped)
          .put("dropped_s_of_schedule", round3(r.warmupDropped / (double) r.options.rate()));
    }
    return json;
  }

  private static JsonObject overTime(OverTime overTime) {
    JsonArray points = new JsonArray();
    for (OverTime.Point p : overTime.points()) {
      points.add(new JsonObject().put("start_s", p.startSeconds()).put("end_s", p.endSeconds())
          .put("answers", p.answers()).put("requests_per_second", round(p.perSecond(p.answers())))
          .put("succeeded", p.succeeded())
          .put("errors", p.errors()).put("p50_ms", p.p50Ms()).put("p99_ms", p.p99Ms()).put("max_ms", p.maxMs()));
    }
    return new JsonObject().put("interval_s", overTime.widthSeconds()).put("by", "time the answer came, from the "
        + "start of the measured part; the last interval also holds answers that came after the end").put("points",
        points);
  }

  private static JsonObject summary(Histogram h) {
    JsonObject s = new JsonObject().put("min", h.getTotalCount() == 0 ? 0 : h.getMinValue() / 1000.0)
        .put("mean", round3(h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0))
        .put("stddev", round3(h.getTotalCount() == 0 ? 0 : h.getStdDeviation() / 1000.0));
    for (double p : Result.SUMMARY_PERCENTILES) {
      s.put(Result.label(p), Result.ms(h, p));
    }
    for (double p : MORE_PERCENTILES) {
      s.put(Result.label(p), Result.ms(h, p));
    }
    return s.put("max", Result.maxMs(h));
  }

  private static JsonArray curve(Histogram h) {
    JsonArray points = new JsonArray();
    for (Result.Point p : Result.curve(h)) {
      points.add(new JsonObject().put("percentile", p.percentile()).put("latency_ms", p.latencyMs())
          .put("count", p.countAtOrBelow()));
    }
    return points;
  }

  private static JsonObject counts(Map<?, Long> counts) {
    JsonObject json = new JsonObject();
    counts.forEach((k, v) -> json.put(String.valueOf(k), v));
    return json;
  }

  private static String encode(Histogram h) {
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
  }

  /** Milliseconds to the microsecond: a model call takes tens of them. */
  private static double micros(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
