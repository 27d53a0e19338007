package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
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
 * The harness's Open Inference Protocol modes against the real server and model on a free port: REST named columns
 * and raw tensors, gRPC unary calls typed and raw, and gRPC streams, each for a short run without warm-up. The
 * assertions are about what was sent and answered (counts, zero errors, the time split found), never how fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OipLoadTest {
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

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /** A finished command-line run: exit status, output, and the JSON report it wrote. */
  record Run(int status, String stdout, String stderr, JsonObject json) {
    long statusCount(String status) {
      return json.getJsonObject("status_counts").getLong(status, 0L);
    }

    /** Every measured request or message was answered with predictions: no error answer, nothing unanswered. */
    Run allPredicted(int rowsEach) {
      assertThat(status).as(stderr + stdout).isEqualTo(LoadTest.OK);
      assertThat(json.getLong("requests")).isPositive();
      assertThat(statusCount("200")).isEqualTo(json.getLong("requests"));
      assertThat(json.getLong("errors")).isZero();
      assertThat(json.getJsonObject("transport_errors")).isEmpty();
      assertThat(json.getDouble("predictions_per_second"))
          .isCloseTo(json.getDouble("requests_per_second") * rowsEach, org.assertj.core.data.Percentage.withPercentage(0.1));
      return this;
    }

    /** The server's meters were scraped and differenced: model calls were counted, each part of the mean given. */
    Run split() {
      JsonObject split = json.getJsonObject("time_split");
      assertThat(split.getLong("model_calls")).as(split.encode()).isPositive();
      assertThat(split.fieldNames()).contains("server_queue_ms", "server_compute_ms", "other_ms");
      assertThat(stdout).contains("server queue", "compute", "other", "client send/receive");
      return this;
    }
  }

  private Run bench(String name, String... args) throws Exception {
    Path prefix = dir.resolve(name);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--warmup", "0s", "--duration", "1s", "--out", prefix.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = LoadTest.run(all.toArray(String[]::new), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    Path json = dir.resolve(name + ".json");
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        Files.exists(json) ? new JsonObject(Files.readString(json)) : null);
  }

  @Test
  void restNamedColumnsOneRowPerRequestAreAllPredicted() throws Exception {
    Run run = bench("rest-named", "--body", "named", "--url", base() + "/v2/models/churn/infer",
        "--connections", "4").allPredicted(1).split();

    assertThat(run.stdout()).contains("named columns, one row per request", "POST " + base() + "/v2/models/churn/infer");
  }

  @Test
  void restRawTensorsOfManyRowsAreAllPredicted() throws Exception {
    Run run = bench("rest-raw", "--body", "raw", "--batch-size", "100", "--url",
        base() + "/v2/models/churn/versions/1/infer", "--model-version", "1", "--connections", "2").allPredicted(100);

    assertThat(run.stdout()).contains("raw FP32 tensor of 100 rows per request");
  }

  @Test
  void grpcUnaryTypedCallsAreAllAnsweredOkOnTheirOwnConnections() throws Exception {
    Run run = bench("grpc-unary", "--transport", "grpc", "--url", base(), "--connections", "4").allPredicted(1)
        .split();

    assertThat(run.json().getLong("connections_opened")).isEqualTo(4);
    assertThat(run.json().getJsonObject("settings").getString("transport")).isEqualTo("grpc");
    assertThat(run.stdout()).contains("over gRPC unary calls", "gRPC ModelInfer " + base() + " model churn",
        "named columns, one row per request");
  }

  @Test
  void grpcUnaryRawCallsOfManyRowsAreAllAnsweredOk() throws Exception {
    Run run = bench("grpc-raw", "--transport", "grpc", "--url", base(), "--batch-size", "200", "--connections", "2")
        .allPredicted(200).split();

    assertThat(run.json().getJsonObject("settings").getString("body")).isEqualTo("raw");
    assertThat(run.stdout()).contains("raw FP32 tensor of 200 rows per request", "OK answers x 200");
  }

  @Test
  void grpcStreamsKeepTheirWindowFullAndMatchEveryAnswerById() throws Exception {
    Run run = bench("grpc-stream", "--transport", "grpc-stream", "--url", base(), "--connections", "4",
        "--in-flight", "16").allPredicted(1).split();

    assertThat(run.json().getLong("connections_opened")).isEqualTo(4);
    assertThat(run.json().getJsonObject("settings").getInteger("in_flight")).isEqualTo(16);
    assertThat(run.stdout()).contains("over gRPC streams", "4 connections x 16 messages in flight",
        "gRPC ModelStreamInfer " + base() + " model churn", "messages/s");
  }

  @Test
  void grpcStreamsOfRawRowsAndAnOpenLoopScheduleAreAllAnswered() throws Exception {
    Run raw = bench("grpc-stream-raw", "--transport", "grpc-stream", "--url", base(), "--body", "raw",
        "--batch-size", "50", "--connections", "2", "--in-flight", "4").allPredicted(50);
    assertThat(raw.stdout()).contains("raw FP32 tensor of 50 rows per message");

    Run open = bench("grpc-stream-open", "--transport", "grpc-stream", "--url", base(), "--mode", "open",
        "--rate", "300", "--connections", "2", "--in-flight", "8").allPredicted(1);
    JsonObject schedule = open.json().getJsonObject("schedule");
    assertThat(open.json().getLong("requests") + schedule.getLong("never_sent")).isEqualTo(300);
  }

  @Test
  void grpcStreamErrorsAreCountedByTheStatusTheyName() throws Exception {
    Run run = bench("grpc-stream-missing", "--transport", "grpc-stream", "--url", base(), "--model", "nosuch",
        "--connections", "1", "--in-flight", "4", "--metrics-url", "none");

    assertThat(run.status()).isEqualTo(LoadTest.FAILED);
    assertThat(run.statusCount("404")).isEqualTo(run.json().getLong("requests")).isPositive();
    assertThat(run.json().getJsonObject("transport_errors")).isEmpty();
  }

  @Test
  void grpcUnaryWithAWrongKeyCountsUnauthenticatedAsRefused() throws Exception {
    Run run = bench("grpc-wrong-key", "--transport", "grpc", "--url", base(), "--api-key", "wrong",
        "--connections", "2", "--metrics-url", "none");

    assertThat(run.status()).isEqualTo(LoadTest.FAILED);
    assertThat(run.statusCount("401")).isEqualTo(run.json().getLong("requests")).isPositive();
    assertThat(run.json().getJsonObject("time_split").getString("unavailable")).isEqualTo("--metrics-url none");
  }
}
