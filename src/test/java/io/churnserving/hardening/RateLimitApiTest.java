package io.churnserving.hardening;

import static io.churnserving.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.StreamFrames;
import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-key token buckets on the real server: RateLimit headers, 429 with Retry-After, health never limited. */
class RateLimitApiTest {
  @Test
  void aKeyOverItsQuotaGets429WithRetryAfterAndHealthIsNeverLimited() {
    try (TestServer server = TestServer.start("RATE_LIMIT_PER_SECOND", "1", "RATE_LIMIT_BURST", "3")) {
      List<HttpResponse<Buffer>> answers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        answers.add(server.postJson("/predict", TestServer.EXAMPLE));
      }
      for (int i = 0; i < 3; i++) {
        assertThat(answers.get(i).statusCode()).isEqualTo(200);
        assertThat(answers.get(i).getHeader("RateLimit-Limit")).isEqualTo("3");
        assertThat(answers.get(i).getHeader("RateLimit-Remaining")).isEqualTo(String.valueOf(2 - i));
      }
      HttpResponse<Buffer> refused = answers.stream().filter(r -> r.statusCode() != 200).findFirst().orElseThrow();
      JsonObject problem = assertProblem(refused, 429);
      assertThat(problem.getString("type")).endsWith(":rate-limited");
      assertThat(Integer.parseInt(refused.getHeader("Retry-After"))).isPositive();
      assertThat(refused.getHeader("RateLimit-Remaining")).isEqualTo("0");
      assertThat(refused.getHeader("RateLimit-Reset")).isNotBlank();

      for (int i = 0; i < 20; i++) {
        assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
      }
    }
  }

  private static final String CRM = "crm-secret-value-1";

  private static String keyFile(int burst) {
    return "{\"keys\":[" + ApiKeyFileTest.entry("crm-import", CRM, "[\"predict\"]",
        ",\"rate_limit_per_second\":1,\"rate_limit_burst\":" + burst) + "]}";
  }

  private static HttpResponse<Buffer> predictAsCrm(TestServer server) {
    return TestServer.await(server.client().post("/predict").putHeader("X-API-Key", CRM)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
  }

  @Test
  void aLimitChangedByAKeyFileReloadKeepsTheTokensAlreadySpent(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys.json");
    Files.writeString(file, keyFile(3));
    try (TestServer server = TestServer.start("API_KEYS_FILE", file.toString(), "API_KEYS_RELOAD_S", "1")) {
      // A stream opened before the reload, as the client did: its messages and HTTP requests alternate.
      // Held in a variable: a WebSocketClient nothing refers to is closed by the garbage collector, connection and all.
      WebSocketClient wsClient = server.vertx().createWebSocketClient();
      LinkedBlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();
      WebSocket ws = TestServer.await(wsClient.connect(new WebSocketConnectOptions()
          .setHost("127.0.0.1").setPort(server.port()).setURI("/v1/models/churn/stream")
          .addHeader("X-API-Key", CRM)));
      ws.textMessageHandler(text -> StreamFrames.each(text, answers::add));

      Faults.eventually(() -> predictAsCrm(server).statusCode() == 429); // the burst of 3 is spent
      Files.writeString(file, keyFile(50));
      Faults.eventually(() -> "50".equals(predictAsCrm(server).getHeader("RateLimit-Limit")));

      int allowed = 0;
      for (int i = 0; i < 20; i++) {
        allowed += predictAsCrm(server).statusCode() == 200 ? 1 : 0;
        TestServer.await(ws.writeTextMessage("{\"id\":\"m" + i + "\",\"instance\":" + TestServer.EXAMPLE + "}"));
        JsonObject answer = answers.poll(30, TimeUnit.SECONDS);
        assertThat(answer).isNotNull();
        allowed += answer.containsKey("prediction") ? 1 : 0;
      }
      // Tokens come back at 1 a second from the spent burst. A reload that refilled the bucket would let the new
      // burst of 50 through: all 40.
      assertThat(allowed).isLessThan(20);
      TestServer.await(wsClient.close());
    }
  }

  @Test
  void eachStreamMessageTakesAToken() throws Exception {
    try (TestServer server = TestServer.start("RATE_LIMIT_PER_SECOND", "1", "RATE_LIMIT_BURST", "2")) {
      WebSocketClient wsClient = server.vertx().createWebSocketClient(); // held, or GC closes it
      LinkedBlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();
      WebSocket ws = TestServer.await(wsClient.connect(new WebSocketConnectOptions()
          .setHost("127.0.0.1").setPort(server.port()).setURI("/v1/models/churn/stream")
          .addHeader("X-API-Key", TestServer.KEY)));
      ws.textMessageHandler(text -> StreamFrames.each(text, answers::add));
      StringBuilder burst = new StringBuilder("[");
      for (int i = 0; i < 5; i++) {
        burst.append(i == 0 ? "" : ",").append("{\"id\":\"m").append(i).append("\",\"instance\":")
            .append(TestServer.EXAMPLE).append('}');
      }
      TestServer.await(ws.writeTextMessage(burst.append(']').toString()));
      int predicted = 0;
      int limited = 0;
      for (int i = 0; i < 5; i++) {
        JsonObject answer = answers.poll(30, TimeUnit.SECONDS);
        assertThat(answer).isNotNull();
        if (answer.containsKey("prediction")) {
          predicted++;
        } else {
          assertThat(answer.getJsonObject("error").getInteger("status")).isEqualTo(429);
          limited++;
        }
      }
      assertThat(predicted).isGreaterThanOrEqualTo(2);
      assertThat(limited).isPositive();
      assertThat(ws.isClosed()).isFalse();
      TestServer.await(wsClient.close());
    }
  }
}
