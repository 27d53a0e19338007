package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's command line against a stand-in target started here on a free port: the harness is what is under
 * test, so the target only does what each test needs (answer 503 now and then, close connections, stay silent).
 * Runs are about a second with no warm-up; no assertion depends on how fast anything is.
 */
@ExtendWith(VertxExtension.class)
class LoadTestTest {
  @TempDir
  Path dir;

  private final Set<String> bodies = ConcurrentHashMap.newKeySet();
  private final AtomicLong received = new AtomicLong();
  private final List<JsonObject> batchInstances = new CopyOnWriteArrayList<>();
  private final List<AssertionError> badBodies = new ArrayList<>();
  private int port;

  /**
   * /predict answers 200, or 503 to every fifth request; /silent never answers; /flaky closes every third; /version
   * says 9.8.7; /metrics is not there.
   */
  @BeforeEach
  void startTarget(Vertx vertx, VertxTestContext ctx) {
    vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
        .onComplete(ctx.succeeding(server -> {
          port = server.actualPort();
          ctx.completeNow();
        }));
  }

  private void answer(HttpServerRequest req) {
    if (req.path().equals("/version")) {
      // Asked once before each run, as the harness records what it measured; not part of the load.
      req.response().putHeader("Content-Type", "application/json").end("{\"name\":\"churn-serving\","
          + "\"version\":\"9.8.7\",\"models\":[{\"name\":\"churn\",\"version\":\"1\"}]}");
      return;
    }
    if (req.path().equals("/metrics")) {
      // Scraped before and after each run for the time split; this target has no meters, and it is not load.
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onSuccess(body -> {
      long n = received.incrementAndGet();
      switch (req.path()) {
        case "/predict" -> {
          bodies.add(body.toString());
          try {
            RequestBodiesTest.assertValidInstance(body.toJsonObject());
          } catch (AssertionError | RuntimeException e) {
            synchronized (badBodies) {
              badBodies.add(new AssertionError(body.toString(), e));
            }
          }
          req.response().setStatusCode(n % 5 == 0 ? 503 : 200).end("{\"churn_probability\":0.5}");
        }
        case "/v1/models/churn:predict" -> {
          JsonArray instances = body.toJsonObject().getJsonArray("instances");
          batchInstances.add(instances.getJsonObject(0));
          JsonArray predictions = new JsonArray();
          instances.forEach(i -> predictions.add(new JsonObject().put("churn_probability", 0.5)));
          req.response().end(new JsonObject().put("predictions", predictions).encode());
        }
        case "/flaky" -> {
          if (n % 3 == 0) {
            req.connection().close();
          } else {
            req.response().end("{}");
          }
        }
        default -> {
          // /silent: no answer at all, so the harness's timeout must end the request.
        }
      }
    });
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** A finished command-line run: exit status, stdout, and the JSON report it wrote. */
  private record Run(int status, String stdout, String stderr, JsonObject json, Path prefix) {
    long statusCount(String status) {
      return json.getJsonObject("status_counts").getLong(status, 0L);
    }
  }

  private Run bench(String name, String... args) throws Exception {
    Path prefix = dir.resolve(name);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--warmup", "0s", "--out", prefix.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = LoadTest.run(all.toArray(String[]::new), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    Path json = dir.resolve(name + ".json");
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        Files.exists(json) ? new JsonObject(Files.readString(json)) : null, prefix);
  }

  @Test
  void aClosedLoopCountsAnswersByStatus() throws Exception {
    Run run = bench("closed", "--url", url("/predict"), "--connections", "4", "--duration", "1s");

    assertThat(run.status()).as(run.stderr()).isEqualTo(LoadTest.OK);
    assertThat(run.json().getLong("requests")).isPositive();
    assertThat(run.statusCount("200")).isPositive();
    assertThat(run.statusCount("503")).isPositive();
    assertThat(run.statusCount("200") + run.statusCount("503")).isEqualTo(run.json().getLong("requests"));
    assertThat(run.json().getJsonObject("error_status_counts").fieldNames()).containsExactly("503");
    assertThat(run.json().getJsonObject("transport_errors")).isEmpty();
    assertThat(run.json().getLong("connections_opened")).isEqualTo(4);
    assertThat(run.stdout()).contains("requests/s", "p99.9", "503: ");
  }

  @Test
  void bodiesAreValidInstancesOfTheSchemaAndAllDifferent() throws Exception {
    bench("bodies", "--url", url("/predict"), "--connections", "4", "--duration", "1s");

    assertThat(badBodies).isEmpty();
    assertThat(received.get()).isPositive();
    // The pool holds 65,536 distinct bodies; only a run longer than that could repeat one.
    assertThat(bodies).hasSize((int) Math.min(received.get(), RequestBodies.SINGLE_POOL));
  }

  @Test
  void anOpenLoopSendsTheScheduleAndReportsBothLatencies() throws Exception {
    Run run = bench("open", "--url", url("/predict"), "--mode", "open", "--rate", "200", "--connections", "4",
        "--duration", "1s");

    assertThat(run.status()).as(run.stderr()).isEqualTo(LoadTest.OK);
    JsonObject schedule = run.json().getJsonObject("schedule");
    assertThat(schedule.getLong("due")).isEqualTo(200);
    assertThat(run.json().getLong("requests") + schedule.getLong("never_sent")).isEqualTo(200);
    assertThat(run.json().getString("latency_from")).isEqualTo("intended send time");
    assertThat(run.json().getJsonObject("service_time_ms").fieldNames()).contains("p50", "p99", "max");
    assertThat(run.stdout()).contains("service ms");
  }

  @Test
  void theJsonReportHoldsTheSummaryAndTheWholeDistribution() throws Exception {
    Run run = bench("json", "--url", url("/predict"), "--connections", "2", "--duration", "1s");

    JsonObject json = run.json();
    assertThat(json.getJsonObject("settings").getString("url")).isEqualTo(url("/predict"));
    assertThat(json.getJsonObject("settings").containsKey("api_key")).isFalse();
    assertThat(json.getJsonObject("latency_ms").fieldNames())
        .contains("min", "mean", "p50", "p90", "p99", "p99.9", "p99.99", "max");
    JsonArray points = json.getJsonArray("percentiles");
    assertThat(points).isNotEmpty();
    JsonObject last = points.getJsonObject(points.size() - 1);
    assertThat(last.getDouble("percentile")).isEqualTo(100.0);
    assertThat(last.getLong("count")).isEqualTo(json.getLong("requests"));
    assertThat(last.getDouble("latency_ms")).isEqualTo(json.getJsonObject("latency_ms").getDouble("max"));
    assertThat(json.getString("histogram_us_base64")).isNotBlank();
  }

  @Test
  void theHtmlReportIsOnePageWithAnInlineChart() throws Exception {
    Run run = bench("page", "--url", url("/predict"), "--mode", "open", "--rate", "100", "--duration", "1s");

    String html = Files.readString(dir.resolve("page.html"));
    assertThat(html).startsWith("<!doctype html>").contains("<svg", "<polyline", "99.9%", "503");
    assertThat(html).doesNotContain("<script", "<link", "src=", "https://", "@import");
    assertThat(run.stdout()).contains("page.html");
  }

  @Test
  void theServerVersionIsReadFromGetVersionAndRecordedInEveryReport() throws Exception {
    Run run = bench("version", "--url", url("/predict"), "--connections", "1", "--duration", "500ms");

    JsonObject server = run.json().getJsonObject("server");
    assertThat(server.getString("name")).isEqualTo("churn-serving");
    assertThat(server.getString("version")).isEqualTo("9.8.7");
    assertThat(server.getJsonArray("models")).containsExactly("churn 1");
    assertThat(server.getString("source")).isEqualTo("GET http://127.0.0.1:" + port + "/version");
    assertThat(run.stdout()).contains("churn-serving 9.8.7, models churn 1");
    assertThat(Files.readString(dir.resolve("version.html"))).contains("churn-serving 9.8.7, models churn 1");
  }

  @Test
  void batchesCountPredictionsAsRequestsTimesTheBatchSize() throws Exception {
    Run run = bench("batch", "--url", url("/v1/models/churn:predict"), "--body", "batch", "--batch-size", "10",
        "--connections", "2", "--duration", "1s");

    assertThat(run.status()).as(run.stderr()).isEqualTo(LoadTest.OK);
    assertThat(run.statusCount("200")).isEqualTo(run.json().getLong("requests")).isPositive();
    assertThat(run.json().getDouble("predictions_per_second"))
        .isCloseTo(10 * run.json().getDouble("requests_per_second"), org.assertj.core.data.Offset.offset(1.0));
  }

  @Test
  void aRefusedConnectionIsCountedAndTheRunStillEnds(Vertx vertx) throws Exception {
    HttpServer closed = vertx.createHttpServer().requestHandler(r -> { }).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get();
    int deadPort = closed.actualPort();
    closed.close().toCompletionStage().toCompletableFuture().get();

    Run run = bench("refused", "--url", "http://127.0.0.1:" + deadPort + "/predict", "--connections", "2",
        "--duration", "500ms");

    assertThat(run.status()).isEqualTo(LoadTest.FAILED);
    assertThat(run.stderr()).contains("no request was answered");
    assertThat(run.json().getLong("requests")).isZero();
    assertThat(run.json().getJsonObject("transport_errors").getLong(TransportErrors.REFUSED)).isPositive();
  }

  @Test
  void aTargetThatNeverAnswersTimesOut() throws Exception {
    Run run = bench("silent", "--url", url("/silent"), "--connections", "2", "--duration", "500ms", "--timeout",
        "200ms");

    assertThat(run.json().getJsonObject("transport_errors").getLong(TransportErrors.TIMEOUT)).isPositive();
  }

  @Test
  void closedConnectionsAreCountedAndReplaced() throws Exception {
    Run run = bench("flaky", "--url", url("/flaky"), "--connections", "2", "--duration", "1s");

    assertThat(run.status()).as(run.stderr()).isEqualTo(LoadTest.OK);
    assertThat(run.statusCount("200")).isPositive();
    assertThat(run.json().getJsonObject("transport_errors")).isNotEmpty();
    assertThat(run.json().getLong("connections_opened")).isGreaterThan(2);
  }

  @Test
  void severalClientThreadsShareTheConnections() throws Exception {
    Run run = bench("threads", "--url", url("/predict"), "--connections", "4", "--threads", "2", "--duration",
        "1s");

    assertThat(run.status()).as(run.stderr()).isEqualTo(LoadTest.OK);
    assertThat(run.json().getLong("connections_opened")).isEqualTo(4);
    assertThat(run.json().getJsonObject("settings").getInteger("threads")).isEqualTo(2);
  }

  @Test
  void helpAndBadOptionsNeverStartARun() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

    assertThat(LoadTest.run(new String[] {"--help"}, Map.of(), o, e)).isEqualTo(LoadTest.OK);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage:", "--mode closed|open");
    assertThat(LoadTest.run(new String[] {"--mode", "open"}, Map.of(), o, e)).isEqualTo(LoadTest.USAGE);
    assertThat(LoadTest.run(new String[] {"--url", "http://10.1.2.3/predict"}, Map.of(), o, e))
        .isEqualTo(LoadTest.USAGE);
    assertThat(LoadTest.run(new String[] {"--schema", "models/churn/99/schema.json"}, Map.of(), o, e))
        .isEqualTo(LoadTest.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--rate", "non-loopback",
        "--schema models/churn/99/schema.json: no such file (working directory " + Path.of("").toAbsolutePath());
    assertThat(received.get()).isZero();
  }

  @Test
  void theBodiesComeFromTheSchemaGiven() throws Exception {
    Path schema = Files.writeString(dir.resolve("schema.json"), """
        {"type": "object", "additionalProperties": false, "required": ["sku", "qty"],
         "properties": {"sku": {"type": "string", "enum": ["a-1", "b-2"]},
                        "qty": {"type": "integer", "minimum": 1, "maximum": 1000000}}}
        """);
    Run run = bench("other-schema", "--url", url("/v1/models/churn:predict"), "--batch-size", "5", "--schema",
        schema.toString(), "--connections", "1", "--duration", "300ms");

    assertThat(run.status()).as(run.stderr()).isEqualTo(LoadTest.OK);
    assertThat(run.json().getJsonObject("settings").getString("schema")).isEqualTo(schema.toString());
    JsonObject instance = batchInstances.get(0);
    assertThat(instance.fieldNames()).containsExactly("sku", "qty");
    RequestBodiesTest.assertValid(SchemaFile.read(schema), instance);
  }
}
