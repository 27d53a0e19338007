package io.churnserving.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Streams closed with messages still being scored: their late answers make the stream's own handler fail, and
 * that failure must stay theirs. Other callers whose rows shared a model call are still answered, every admitted
 * row is released, and the server keeps admitting full batches afterwards.
 */
class ClosedStreamAdmissionTest {
  static final int STREAMS = 150;
  static final int MESSAGES = 200;

  @Test
  void streamsClosedMidFlightLeaveNothingAdmittedAndOtherCallersAreAnswered() {
    Vertx clients = Vertx.vertx();
    try (TestServer server = TestServer.start()) {
      WebSocketClient wsClient = clients.createWebSocketClient();
      List<Future<HttpResponse<Buffer>>> bystanders = new ArrayList<>();
      for (int round = 0; round < STREAMS / 10; round++) {
        List<Future<?>> closed = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
          closed.add(wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
                  .setURI("/v1/models/churn/stream").addHeader("X-API-Key", TestServer.KEY))
              .compose(ws -> sendThenClose(ws, MESSAGES)));
        }
        // HTTP callers whose rows share micro-batches with the streams' rows.
        for (int i = 0; i < 20; i++) {
          bystanders.add(server.request(HttpMethod.POST, "/predict").putHeader("Content-Type", "application/json")
              .sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
        }
        TestServer.await(Future.join(closed));
      }

      Faults.eventually(() -> bystanders.stream().allMatch(Future::isComplete));
      Map<Integer, Long> statuses = bystanders.stream().map(Future::result)
          .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
      assertThat(statuses).containsOnlyKeys(200);
      Faults.eventually(() -> inFlight(server) == 0);

      JsonArray instances = new JsonArray();
      for (int i = 0; i < 1000; i++) {
        instances.add(new JsonObject(TestServer.EXAMPLE).put("tenure_months", 1 + i % 120));
      }
      HttpResponse<Buffer> batch = server.postJson("/v1/models/churn:predict",
          new JsonObject().put("instances", instances).encode());
      assertThat(batch.statusCode()).as(batch.bodyAsString()).isEqualTo(200);
      assertThat(batch.bodyAsJsonObject().getJsonArray("predictions")).hasSize(1000);
    } finally {
      TestServer.await(clients.close());
    }
  }

  /** Writes the messages without waiting for answers, then the close frame at once. */
  private static Future<Void> sendThenClose(WebSocket ws, int messages) {
    for (int i = 0; i < messages; i++) {
      ws.writeTextMessage(new JsonObject().put("id", "m" + i).put("instance", new JsonObject(TestServer.EXAMPLE))
          .encode());
    }
    return ws.close();
  }

  /** {@code requests_in_flight} as /metrics reports it. */
  static double inFlight(TestServer server) {
    return server.get("/metrics").bodyAsString().lines().filter(l -> l.startsWith("requests_in_flight"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
  }
}
