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
 * The harness's WebSocket transport against the real server and model on a free port. Runs are about a second with
 * no warm-up; the assertions are about what was sent and answered, never about how fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketLoadTest {
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

  private String streamUrl() {
    return "ws://127.0.0.1:" + server.port() + "/v1/models/churn/stream";
  }

  /** A finished command-line run: exit status, output, and the JSON report it wrote. */
  private record Run(int status, String stdout, String stderr, JsonObject json) {
    long statusCount(String status) {
      return json.getJsonObject("status_counts").getLong(status, 0L);
    }

    /** Asserts every measured message got a prediction: no error answers, nothing unanswered. */
    Run allPredicted() {
      assertThat(status).as(stderr).isEqualTo(LoadTest.OK);
      assertThat(json.getLong("requests")).isPositive();
      assertThat(statusCount("200")).isEqualTo(json.getLong("requests"));
      assertThat(json.getJsonObject("error_status_counts")).isEmpty();
      assertThat(json.getJsonObject("transport_errors")).isEmpty();
      assertThat(json.getDouble("predictions_per_second")).isEqualTo(json.getDouble("requests_per_second"));
      return this;
    }
  }

  private Run bench(String name, String... args) throws Exception {
    Path prefix = dir.resolve(name);
    List<String> all = new ArrayList<>(List.of("--transport", "websocket", "--url", streamUrl()));
    all.addAll(List.of(args));
    all.addAll(List.of("--warmup", "0s", "--out", prefix.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = LoadTest.run(all.toArray(String[]::new), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    Path json = dir.resolve(name + ".json");
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        Files.exists(json) ? new JsonObject(Files.readString(json)) : null);
  }

  @Test
  void aClosedLoopKeepsMessagesInFlightAndEveryOneIsPredicted() throws Exception {
    Run run = bench("closed", "--connections", "4", "--in-flight", "16", "--duration", "1s").allPredicted();

    assertThat(run.json().getLong("connections_opened")).isEqualTo(4);
    JsonObject settings = run.json().getJsonObject("settings");
    assertThat(settings.getString("transport")).isEqualTo("websocket");
    assertThat(settings.getInteger("in_flight")).isEqualTo(16);
    assertThat(run.stdout()).contains("over WebSocket", "4 connections x 16 messages in flight", "messages/s",
        "answers with a prediction", "WebSocket " + streamUrl());
  }

  @Test
  void burstsSendSeveralMessagesPerFrameAndEachIsAnsweredOnItsOwn() throws Exception {
    Run run = bench("burst", "--connections", "2", "--in-flight", "32", "--burst", "8", "--duration", "1s")
        .allPredicted();

    // In closed loop a frame's messages are sent together, so they are measured together: whole frames only.
    assertThat(run.json().getLong("requests") % 8).isZero();
    assertThat(run.stdout()).contains("8 messages per frame");
  }

  @Test
  void anOpenLoopSendsTheScheduleOfMessages() throws Exception {
    Run run = bench("open", "--mode", "open", "--rate", "200", "--connections", "2", "--in-flight", "8",
        "--burst", "2", "--duration", "1s").allPredicted();

    JsonObject schedule = run.json().getJsonObject("schedule");
    assertThat(schedule.getLong("due")).isEqualTo(200);
    assertThat(run.json().getLong("requests") + schedule.getLong("never_sent")).isEqualTo(200);
    assertThat(run.stdout()).contains("200 messages/s", "service ms");
  }

  @Test
  void severalClientThreadsShareTheConnections() throws Exception {
    Run run = bench("threads", "--connections", "4", "--threads", "2", "--duration", "1s").allPredicted();

    assertThat(run.json().getLong("connections_opened")).isEqualTo(4);
  }

  @Test
  void aKeyInTheQueryWorksAndAWrongKeyIsARefusedUpgrade() throws Exception {
    Run byQuery = bench("query-key", "--url", streamUrl() + "?api_key=" + TestServer.KEY, "--api-key",
        "not-sent-as-header", "--connections", "1", "--duration", "500ms").allPredicted();
    assertThat(byQuery.json().getJsonObject("settings").getString("url")).endsWith("?api_key=***");
    assertThat(byQuery.stdout()).doesNotContain(TestServer.KEY);

    Run refused = bench("wrong-key", "--api-key", "wrong", "--connections", "2", "--duration", "500ms");
    assertThat(refused.status()).isEqualTo(LoadTest.FAILED);
    assertThat(refused.json().getLong("requests")).isZero();
    assertThat(refused.json().getJsonObject("transport_errors").getLong("upgrade refused 401")).isPositive();
  }
}
