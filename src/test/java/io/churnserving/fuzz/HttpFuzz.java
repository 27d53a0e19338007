package io.churnserving.fuzz;

import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sends fuzz cases to the real server, a few at a time, and checks every answer against the {@link Oracle}:
 * the expected status (never a 5xx, never no answer within {@link #TIMEOUT_MS}), a well-formed problem for a
 * refusal, a well-formed prediction for a 200. Violations are collected, not thrown, so one run reports them all.
 */
final class HttpFuzz {
  /** A request with no answer within this long is a failure (a hang), not a slow pass. */
  static final long TIMEOUT_MS = 15_000;
  private static final int IN_FLIGHT = 16;
  private static final Set<String> TIERS = Set.of("low", "medium", "high");

  /** One request: what it is (for the report), its body, and its Content-Type (null for none). */
  record Case(String label, byte[] body, String contentType) {
    Case(String label, byte[] body) {
      this(label, body, "application/json");
    }
  }

  /** What a run saw: the violations, each naming its case, and how many answers had each status. */
  record Result(List<String> violations, Map<Integer, Integer> statuses) {
  }

  private HttpFuzz() {
  }

  /**
   * Sends every case to {@code path} and returns what it saw.
   *
   * @param oracle the expected answer of a body
   */
  static Result run(TestServer server, String path, List<Case> cases,
                          Function<Case, Oracle.Expected> oracle) throws InterruptedException {
    Queue<String> violations = new ConcurrentLinkedQueue<>();
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    Semaphore slots = new Semaphore(IN_FLIGHT);
    CountDownLatch done = new CountDownLatch(cases.size());
    for (Case c : cases) {
      Oracle.Expected expected;
      try {
        expected = oracle.apply(c);
      } catch (RuntimeException | StackOverflowError e) {
        violations.add(describe(c) + ": the parser or validator threw " + e);
        done.countDown();
        continue;
      }
      slots.acquire();
      HttpRequest<Buffer> request = server.request(HttpMethod.POST, path).timeout(TIMEOUT_MS);
      if (c.contentType() != null) {
        request.putHeader("Content-Type", c.contentType());
      }
      request.sendBuffer(Buffer.buffer(c.body())).onComplete(ar -> {
        try {
          if (ar.succeeded()) {
            statuses.merge(ar.result().statusCode(), 1, Integer::sum);
          }
          String problem = ar.failed() ? "no answer: " + ar.cause()
              : check(ar.result(), expected, path.endsWith(":predict"));
          if (problem != null) {
            violations.add(describe(c) + ": " + problem);
          }
        } catch (RuntimeException e) {
          violations.add(describe(c) + ": unreadable answer: " + e);
        } finally {
          slots.release();
          done.countDown();
        }
      });
    }
    if (!done.await(TIMEOUT_MS * 4, TimeUnit.MILLISECONDS)) {
      violations.add(done.getCount() + " requests still unanswered");
    }
    return new Result(new ArrayList<>(violations), new TreeMap<>(statuses));
  }

  /** The violation in an answer, or null. */
  static String check(HttpResponse<Buffer> r, Oracle.Expected expected, boolean batch) {
    int status = r.statusCode();
    if (status >= 500) {
      return "server error " + status + " " + r.bodyAsString();
    }
    if (status != expected.status()) {
      return "status " + status + ", expected " + expected.status() + ": " + abbreviate(r.bodyAsString());
    }
    if (status != 200) {
      return checkProblem(r);
    }
    if (!"application/json".equals(r.getHeader("Content-Type"))) {
      return "200 with Content-Type " + r.getHeader("Content-Type");
    }
    JsonObject body = r.bodyAsJsonObject();
    if (!batch) {
      return checkPrediction(body);
    }
    if (!"churn".equals(body.getString("model_name")) || !"1".equals(body.getString("model_version"))) {
      return "batch answer names another model: " + abbreviate(body.encode());
    }
    JsonArray predictions = body.getJsonArray("predictions");
    if (predictions == null || predictions.size() != expected.predictions()) {
      return "expected " + expected.predictions() + " predictions: " + abbreviate(body.encode());
    }
    for (int i = 0; i < predictions.size(); i++) {
      String problem = checkPrediction(predictions.getJsonObject(i));
      if (problem != null) {
        return "prediction " + i + ": " + problem;
      }
    }
    return null;
  }

  /** The violation in an RFC 9457 problem answer, or null. */
  static String checkProblem(HttpResponse<Buffer> r) {
    int status = r.statusCode();
    if (!Oracle.CLIENT_ERRORS.contains(status)) {
      return "status " + status + " is not one of " + Oracle.CLIENT_ERRORS;
    }
    if (!"application/problem+json".equals(r.getHeader("Content-Type"))) {
      return status + " with Content-Type " + r.getHeader("Content-Type");
    }
    JsonObject problem = r.bodyAsJsonObject();
    String shape = checkProblem(problem, status, true);
    if (shape != null) {
      return shape;
    }
    if (!problem.getString("correlation_id", "").equals(r.getHeader("X-Request-ID"))) {
      return "correlation_id is not the X-Request-ID echoed: " + abbreviate(problem.encode());
    }
    return null;
  }

  /**
   * The violation in a problem body, wherever it came from (HTTP or a WebSocket answer), or null.
   *
   * @param correlated the problem must carry a correlation_id (HTTP's do; the stream's errors do not yet)
   */
  static String checkProblem(JsonObject problem, int status, boolean correlated) {
    if (problem.getInteger("status", -1) != status) {
      return "problem status " + problem.getValue("status") + " in a " + status + " answer";
    }
    for (String member : correlated ? List.of("type", "title", "detail", "correlation_id")
        : List.of("type", "title", "detail")) {
      if (!(problem.getValue(member) instanceof String s) || s.isBlank()) {
        return "problem without " + member + ": " + abbreviate(problem.encode());
      }
    }
    if (status == 422) {
      JsonArray errors = problem.getJsonArray("errors");
      if (errors == null || errors.isEmpty() || errors.size() > 100) {
        return "422 needs 1 to 100 errors: " + abbreviate(problem.encode());
      }
      for (Object e : errors) {
        JsonObject error = (JsonObject) e;
        JsonArray loc = error.getJsonArray("loc");
        if (loc == null || loc.isEmpty() || error.getString("msg", "").isBlank()
            || error.getString("type", "").isBlank()) {
          return "malformed field error " + error.encode();
        }
      }
    } else if (problem.containsKey("errors")) {
      return status + " with field errors";
    }
    return null;
  }

  /** The violation in a prediction, or null. */
  static String checkPrediction(JsonObject p) {
    if (p == null) {
      return "no prediction";
    }
    if (!(p.getValue("churn_probability") instanceof Number n)) {
      return "no churn_probability: " + p.encode();
    }
    double probability = n.doubleValue();
    if (!(probability >= 0 && probability <= 1)) {
      return "churn_probability out of [0, 1]: " + p.encode();
    }
    if (!Boolean.valueOf(probability >= 0.5).equals(p.getValue("churn_prediction"))) {
      return "churn_prediction disagrees with the probability: " + p.encode();
    }
    String tier = p.getString("risk_tier");
    String expectedTier = probability < 0.3 ? "low" : probability < 0.6 ? "medium" : "high";
    if (!TIERS.contains(tier) || !tier.equals(expectedTier)) {
      return "risk_tier " + tier + " for probability " + probability;
    }
    if (!"1".equals(p.getString("model_version")) || p.getString("recommendation", "").isBlank()) {
      return "prediction without model_version or recommendation: " + p.encode();
    }
    try {
      Instant.parse(p.getString("predicted_at"));
    } catch (RuntimeException e) {
      return "predicted_at is not an ISO-8601 instant: " + p.encode();
    }
    return null;
  }

  static String describe(Case c) {
    return "[" + c.label() + ", " + c.body().length + " bytes, Content-Type " + c.contentType() + "] "
        + abbreviate(new String(c.body(), StandardCharsets.UTF_8));
  }

  static String abbreviate(String s) {
    String flat = s.replace("\n", "\\n");
    return flat.length() <= 160 ? flat : flat.substring(0, 160) + "…";
  }
}
