package io.churnserving.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the target says it is, from its {@code GET /version} ({@code {"name", "version", "models": [{"name",
 * "version"}]}}), asked once before the run so that a report names the build it measured. A target that has no such
 * route, answers something else or does not answer at all is recorded as {@code unknown} with the reason, and the
 * run goes on: the version is for the record, never a reason to refuse to measure.
 *
 * @param version the server's version, or {@link #UNKNOWN}
 * @param models  {@code "churn 1"}, one per model version served; empty when unknown
 * @param source  where it came from ({@code GET http://host:port/version}), or why it is unknown
 */
record ServerVersion(String name, String version, List<String> models, String source) {
  static final String UNKNOWN = "unknown";
  static final String PATH = "/version";
  /** A version that takes longer than this is not worth delaying the run for. */
  private static final Duration MAX_WAIT = Duration.ofSeconds(5);

  boolean known() {
    return !UNKNOWN.equals(version);
  }

  /** "churn-serving 0.13.0, models churn 1" or "unknown (GET /version answered 404)". */
  String describe() {
    if (!known()) {
      return UNKNOWN + " (" + source + ")";
    }
    return (name == null ? "" : name + " ") + version + (models.isEmpty() ? "" : ", models " + String.join(", ",
        models));
  }

  static ServerVersion unknown(String why) {
    return new ServerVersion(null, UNKNOWN, List.of(), why);
  }

  /** Asks the target's host and port; the future always succeeds, with {@link #unknown} on any failure. */
  static Future<ServerVersion> fetch(Vertx vertx, BenchOptions options) {
    int waitMillis = (int) Math.min(MAX_WAIT.toMillis(), options.timeout().toMillis());
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(waitMillis));
    String where = "http://" + options.url().getHost() + ":" + options.port() + PATH;
    // The key goes along in case the target guards the route; the version is no secret either way.
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(options.url().getHost())
        .setPort(options.port()).setURI(PATH).setConnectTimeout(waitMillis).setIdleTimeout(waitMillis)
        .putHeader(HttpHeaders.ACCEPT, "application/json").putHeader("X-API-Key", options.apiKey());
    Future<ServerVersion> answer = client.request(request)
        .compose(req -> req.send())
        .compose(response -> response.body().map(body -> parse(response.statusCode(), body, where)))
        // The timeouts above each bound one step; this bounds them all, so no target can hold the run back.
        .timeout(2L * waitMillis, TimeUnit.MILLISECONDS)
        .otherwise(failure -> unknown("GET " + PATH + ": " + TransportErrors.kind(failure)));
    // Closed once answered, but not waited for: the run needs the answer, not the client's shutdown.
    answer.onComplete(ar -> client.close());
    return answer;
  }

  static ServerVersion parse(int status, Buffer body, String where) {
    if (status != 200) {
      return unknown("GET " + PATH + " answered " + status);
    }
    JsonObject json;
    try {
      json = body.toJsonObject();
    } catch (RuntimeException e) {
      return unknown("GET " + PATH + " answered 200 without a JSON object");
    }
    if (!(json.getValue("version") instanceof String version) || version.isBlank()) {
      return unknown("GET " + PATH + " answered 200 without a \"version\"");
    }
    List<String> models = new ArrayList<>();
    if (json.getValue("models") instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof JsonObject model) {
          models.add(String.valueOf(model.getValue("name")) + " " + String.valueOf(model.getValue("version")));
        }
      }
    }
    return new ServerVersion(json.getValue("name") instanceof String n ? n : null, version, List.copyOf(models),
        "GET " + where);
  }
}
