package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the harness's reports say about a run, against the real server and model on a free port: errors first and
 * a failing exit status when nothing succeeded, the warm-up, throughput and latency over time, and the server's
 * version and the machine. Runs are one to three seconds; no assertion depends on how fast anything is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchReportTest {
  @TempDir
  Path dir;

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private String predictUrl() {
    return "http://127.0.0.1:" + server.port() + "/predict";
  }

  /** A finished command-line run: exit status, output, and the reports it wrote. */
  private record Run(int status, String stdout, String stderr, JsonObject json, String html) {
  }

  /** Runs {@code bench} as the jar's entry point does, with {@code --out}; warm-up 0 unless the args set one. */
  private Run bench(String name, String... args) throws Exception {
    Path prefix = dir.resolve(name);
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--warmup")) {
      all.addAll(List.of("--warmup", "0s"));
    }
    all.addAll(List.of("--out", prefix.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = LoadTest.run(all.toArray(String[]::new), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(dir.resolve(name + ".json")).as("the JSON report; stderr: %s", stderr).exists();
    return new Run(status, out.toString(StandardCharsets.UTF_8), stderr,
        new JsonObject(Files.readString(dir.resolve(name + ".json"))), Files.readString(dir.resolve(name + ".html")));
  }

  /** Asserts that the errors section comes before the headline cards and the latency chart. */
  private static void errorsComeFirst(String html) {
    int errors = html.indexOf("id=\"errors\"");
    assertThat(errors).as("errors section").isPositive();
    assertThat(errors).isLessThan(html.indexOf("class=\"cards\""));
    assertThat(errors).isLessThan(html.indexOf("Latency by percentile"));
    assertThat(errors).isLessThan(html.indexOf("<svg"));
  }

  @Test
  void aRunWhoseEveryAnswerIsA401ExitsOneAndItsPageShowsTheErrorsFirst() throws Exception {
    Run run = bench("wrong-key", "--url", predictUrl(), "--api-key", "wrong", "--connections", "2", "--duration",
        "1s");

    assertThat(run.status()).isEqualTo(LoadTest.FAILED).isNotZero();
    assertThat(run.stderr()).contains("no request succeeded", "401", "--api-key");
    assertThat(run.json().getLong("requests")).isPositive();
    assertThat(run.json().getLong("succeeded")).isZero();
    assertThat(run.json().getBoolean("every_answer_an_error")).isTrue();
    assertThat(run.json().getJsonObject("error_status_counts").getLong("401")).isEqualTo(run.json()
        .getLong("requests"));
    errorsComeFirst(run.html());
    assertThat(run.html()).contains("No request succeeded", "HTTP 401", "check --api-key");
    assertThat(run.stdout()).contains("FAILED", "no request succeeded");
  }

  @Test
  void aRunAgainstAServerThatIsDownExitsOneAndItsPageShowsTheErrorsFirst() throws Exception {
    HttpServer closed = TestServer.await(server.vertx().createHttpServer().requestHandler(r -> { })
        .listen(0, "127.0.0.1"));
    int deadPort = closed.actualPort();
    TestServer.await(closed.close());

    Run run = bench("down", "--url", "http://127.0.0.1:" + deadPort + "/predict", "--connections", "2",
        "--duration", "500ms");

    assertThat(run.status()).isEqualTo(LoadTest.FAILED);
    assertThat(run.json().getBoolean("every_answer_an_error")).isTrue();
    errorsComeFirst(run.html());
    assertThat(run.html()).contains("No request succeeded", "no answer: connection refused", "is the target up");
    assertThat(run.json().getJsonObject("server").getString("version")).isEqualTo(ServerVersion.UNKNOWN);
  }

  @Test
  void aRunWithSomeErrorsStillExitsZeroAndListsThemAtTheTop() throws Exception {
    // A few malformed customers among the valid ones would need another body mode; a rate limit does it here.
    try (TestServer limited = TestServer.start("RATE_LIMIT_PER_SECOND", "20", "RATE_LIMIT_BURST", "20")) {
      Run run = bench("limited", "--url", "http://127.0.0.1:" + limited.port() + "/predict", "--connections", "2",
          "--duration", "1s");

      assertThat(run.status()).as(run.stderr()).isEqualTo(LoadTest.OK);
      assertThat(run.json().getLong("succeeded")).isPositive();
      assertThat(run.json().getJsonObject("error_status_counts").getLong("429")).isPositive();
      errorsComeFirst(run.html());
      assertThat(run.html()).contains("HTTP 429", "ended in an error").doesNotContain("No request succeeded");
    }
  }

  @Test
  void anOpenLoopPageShowsWhatItsWarmUpDroppedAndAnswered() throws Exception {
    Run run = bench("open-warm", "--url", predictUrl(), "--mode", "open", "--rate", "200", "--connections", "4",
        "--warmup", "1s", "--duration", "1s");

    assertThat(run.status()).as(run.stderr()).isEqualTo(LoadTest.OK);
    JsonObject warmup = run.json().getJsonObject("warmup");
    assertThat(warmup.getDouble("seconds")).isEqualTo(1.0);
    assertThat(warmup.getLong("due")).isEqualTo(200);
    long dropped = warmup.getLong("dropped_unsent");
    assertThat(warmup.getLong("answers_not_recorded")).isPositive().isLessThanOrEqualTo(200 - dropped);
    assertThat(run.json().getJsonObject("schedule").getLong("warmup_dropped")).isEqualTo(dropped);
    String html = run.html();
    assertThat(html).contains("id=\"warmup\"", "1 s before measuring, not recorded",
        String.format("200 requests were due, %d of them", dropped), "still unsent when measuring began and dropped");
    assertThat(html.indexOf("id=\"warmup\"")).isLessThan(html.indexOf("Latency by percentile"));
    assertThat(run.stdout()).contains("warm-up", "200 requests were due");
  }

  @Test
  void thePageDrawsThroughputAndLatencyOverTime() throws Exception {
    Run run = bench("over-time", "--url", predictUrl(), "--connections", "2", "--duration", "3s");

    assertThat(run.status()).as(run.stderr()).isEqualTo(LoadTest.OK);
    JsonObject overTime = run.json().getJsonObject("over_time");
    assertThat(overTime.getDouble("interval_s")).isEqualTo(1.0);
    JsonArray points = overTime.getJsonArray("points");
    assertThat(points).hasSize(3);
    long answers = 0;
    for (int i = 0; i < points.size(); i++) {
      JsonObject p = points.getJsonObject(i);
      assertThat(p.getDouble("start_s")).isEqualTo(i);
      assertThat(p.getDouble("end_s")).isEqualTo(i + 1.0);
      assertThat(p.fieldNames()).contains("requests_per_second", "errors", "p50_ms", "p99_ms", "max_ms");
      answers += p.getLong("answers");
    }
    // Every measured answer is in exactly one interval.
    assertThat(answers).isEqualTo(run.json().getLong("requests"));
    assertThat(points.getJsonObject(0).getLong("answers")).isPositive();
    assertThat(points.getJsonObject(0).getDouble("p99_ms")).isPositive();

    String html = run.html();
    int chart = html.indexOf("aria-label=\"throughput and latency over time\"");
    assertThat(chart).isPositive();
    String svg = html.substring(chart, html.indexOf("</svg>", chart));
    assertThat(svg).contains("data-series=\"throughput\"", "data-series=\"p50\"", "data-series=\"p99\"",
        "answers/s", "requests/s", "latency (ms)").doesNotContain("data-series=\"errors\"");
    assertThat(html).doesNotContain("<script", "<link", "src=", "https://", "@import");
    assertThat(run.stdout()).contains("over time", "per 1 s: requests/s min");
  }

  @Test
  void theReportsRecordTheServersVersionAndTheMachine() throws Exception {
    Run run = bench("provenance", "--url", predictUrl(), "--connections", "1", "--duration", "500ms");

    JsonObject machine = run.json().getJsonObject("machine");
    assertThat(machine.getInteger("cores")).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(machine.getString("java_version")).isEqualTo(System.getProperty("java.version"));
    assertThat(machine.getString("jvm")).isEqualTo(System.getProperty("java.vm.name"));
    assertThat(machine.getString("os")).isEqualTo(System.getProperty("os.name"));
    assertThat(machine.getString("arch")).isEqualTo(System.getProperty("os.arch"));
    assertThat(machine.getString("whose")).contains("load generator", "also the server's");

    // Whatever this build's GET /version says is what the report must hold; a build without it, "unknown".
    HttpResponse<Buffer> version = server.get("/version");
    JsonObject reported = run.json().getJsonObject("server");
    if (version.statusCode() == 200) {
      assertThat(reported.getString("version")).isEqualTo(version.bodyAsJsonObject().getString("version"));
      assertThat(reported.getString("name")).isEqualTo(version.bodyAsJsonObject().getString("name"));
      assertThat(reported.getString("source")).isEqualTo("GET http://127.0.0.1:" + server.port() + "/version");
    } else {
      assertThat(reported.getString("version")).isEqualTo(ServerVersion.UNKNOWN);
      assertThat(reported.getString("source")).isEqualTo("GET /version answered " + version.statusCode());
    }

    Machine here = Machine.current();
    String describedServer = ServerVersion.UNKNOWN.equals(reported.getString("version"))
        ? "unknown (" + reported.getString("source") + ")" : reported.getString("version");
    assertThat(run.stdout()).contains("server", describedServer, "machine", here.describe());
    assertThat(run.html()).contains(describedServer, HtmlReport.esc(here.describe()));
  }
}
