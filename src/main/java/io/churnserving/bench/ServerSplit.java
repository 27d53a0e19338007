package io.churnserving.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the time went, split the way perf_analyzer splits it: the server's queue and compute, from its own meters,
 * and the rest, the client's send and receive and the wire (with the server's parsing and batching wait, which no
 * meter isolates). The server's part comes from two scrapes of its Prometheus text, before and after the run,
 * differenced: {@code queue_wait} (a batch's wait between being sent to a scoring worker and being scored),
 * {@code inference_duration} (one model call) and {@code batch_size}, for the model under load.
 *
 * <p>Both timers are per model call, and every row of a call waits and is scored with it, so their means are what one
 * request saw of them. The scrapes cover the warm-up as well as the measured time (the server serves one scrape
 * again for up to {@code METRICS_CACHE_MS}, so a scrape at the warm-up's end could hold some of it anyway); the
 * after-scrape waits {@link #SETTLE_MS} for that cache to turn over.
 *
 * @param modelCalls    model calls during the run
 * @param queueMs       mean wait of a call between send and scoring
 * @param computeMs     mean time of a model call
 * @param rowsPerCall   mean rows per model call
 * @param latencyMs     the client's mean latency over the measured time
 * @param unavailable   why there is no split (no scrape, no model call), or null
 */
record ServerSplit(long modelCalls, double queueMs, double computeMs, double rowsPerCall, double latencyMs,
                   String unavailable) {
  /** Longer than the server's default {@code METRICS_CACHE_MS} (1 s). */
  static final long SETTLE_MS = 1_200;
  static final List<String> SERIES = List.of("queue_wait_seconds_count", "queue_wait_seconds_sum",
      "inference_duration_seconds_count", "inference_duration_seconds_sum", "batch_size_count", "batch_size_sum");
  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}\\s+(\\S+)");

  static ServerSplit unavailable(String why) {
    return new ServerSplit(0, 0, 0, 0, 0, why);
  }

  boolean known() {
    return unavailable == null;
  }

  /** The client's send and receive, the wire and what of the server no meter covers: the mean less queue and compute. */
  double restMs() {
    return Math.max(0, latencyMs - queueMs - computeMs);
  }

  /** The server's meters from one scrape, summed over the model's versions; empty when the scrape failed. */
  record Scrape(Map<String, Double> values, String failure) {
    double get(String name) {
      return values.getOrDefault(name, 0.0);
    }
  }

  /** Scrapes {@code options.metricsUrl()}; the future always succeeds, with the failure inside. */
  static Future<Scrape> scrape(Vertx vertx, BenchOptions options) {
    int waitMillis = (int) Math.min(5_000, options.timeout().toMillis());
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(waitMillis));
    var url = options.metricsUrl();
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(url.getHost())
        .setPort(url.getPort() > 0 ? url.getPort() : 80).setURI(url.getRawPath() == null || url.getRawPath().isEmpty()
            ? "/" : url.getRawPath()).setIdleTimeout(waitMillis);
    Future<Scrape> answer = client.request(request)
        .compose(req -> req.send())
        .compose(response -> response.body().map(body -> response.statusCode() == 200
            ? parse(body.toString(), options.model())
            : new Scrape(Map.of(), "GET " + url + " answered " + response.statusCode())))
        .timeout(2L * waitMillis, TimeUnit.MILLISECONDS)
        .otherwise(e -> new Scrape(Map.of(), "GET " + url + ": " + TransportErrors.kind(e)));
    answer.onComplete(ar -> client.close());
    return answer;
  }

  /** The {@link #SERIES} of {@code model}, each summed over its versions. */
  static Scrape parse(String text, String model) {
    Map<String, Double> values = new HashMap<>();
    String label = "model=\"" + model + "\"";
    for (String line : text.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.find() && SERIES.contains(m.group(1)) && m.group(2).contains(label)) {
        try {
          values.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
        } catch (NumberFormatException e) {
          // Not a sample this split can use; the others still can.
        }
      }
    }
    return new Scrape(values, values.isEmpty() ? "no queue_wait or inference_duration of model " + model : null);
  }

  /** The difference of two scrapes, beside the client's mean latency. */
  static ServerSplit between(Scrape before, Scrape after, double latencyMs) {
    if (before.failure() != null || after.failure() != null) {
      return unavailable(before.failure() != null ? before.failure() : after.failure());
    }
    long calls = Math.round(after.get("inference_duration_seconds_count")
        - before.get("inference_duration_seconds_count"));
    double waits = after.get("queue_wait_seconds_count") - before.get("queue_wait_seconds_count");
    double batches = after.get("batch_size_count") - before.get("batch_size_count");
    if (calls <= 0) {
      return unavailable("the server's meters counted no model call during the run");
    }
    double compute = (after.get("inference_duration_seconds_sum") - before.get("inference_duration_seconds_sum"))
        * 1000 / calls;
    double queue = waits <= 0 ? 0 : (after.get("queue_wait_seconds_sum") - before.get("queue_wait_seconds_sum"))
        * 1000 / waits;
    double rows = batches <= 0 ? 0 : (after.get("batch_size_sum") - before.get("batch_size_sum")) / batches;
    return new ServerSplit(calls, queue, compute, rows, latencyMs, null);
  }
}
