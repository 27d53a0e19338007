package io.churnserving.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.StreamFrames;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The drain SIGTERM runs: nothing accepted is lost, new connections are refused, streams close with 1001. */
class GracefulShutdownTest {
  @Test
  void everyAcceptedRequestIsAnsweredAndNewConnectionsAreRefused() {
    Faults faults = new Faults();
    // A connection that races the closing of the listening socket can hold Vert.x's drain to its time limit,
    // though every request is answered long before; a short limit keeps this test short.
    try (TestServer server = TestServer.startWithFaults(faults, "DRAIN_TIMEOUT_MS", "3000",
        "SCORING_WORKERS", "2")) {
      faults.stall();
      List<Future<HttpResponse<Buffer>>> accepted = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        accepted.add(server.request(HttpMethod.POST, "/predict").putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
      }
      Faults.eventually(() -> faults.callsWaiting() == 2); // both workers hold a batch: requests are in flight
      // Every request has reached the server (a request still connecting when the listener closes is refused,
      // which is not what this test is about).
      Faults.eventually(() -> server.get("/metrics").bodyAsString().contains("\nrequests_in_flight 50.0"));
      Future<Void> drained = server.root().drain();

      // A new connection is refused while the accepted requests are still waiting for the model.
      var fresh = io.vertx.ext.web.client.WebClient.create(server.vertx());
      Faults.eventually(() -> fresh.get(server.port(), "127.0.0.1", "/health/live").send()
          .toCompletionStage().toCompletableFuture().handle((r, e) -> e != null).join());
      assertThat(drained.isComplete()).isFalse();

      faults.release();
      for (Future<HttpResponse<Buffer>> f : accepted) {
        assertThat(TestServer.await(f).statusCode()).isEqualTo(200);
      }
      TestServer.await(drained);
    }
  }

  @Test
  void streamsAreAnsweredInFullThenClosedWith1001() throws Exception {
    Faults faults = new Faults();
    try (TestServer server = TestServer.startWithFaults(faults, "DRAIN_TIMEOUT_MS", "30000")) {
      // Held in a variable: Vert.x closes a client that is no longer reachable, connections and all, at the next GC.
      WebSocketClient client = server.vertx().createWebSocketClient();
      WebSocket ws = TestServer.await(client.connect(new WebSocketConnectOptions()
          .setHost("127.0.0.1").setPort(server.port()).setURI("/v1/models/churn/stream")
          .addHeader("X-API-Key", TestServer.KEY)));
      Set<String> answered = ConcurrentHashMap.newKeySet();
      AtomicReference<Short> closeCode = new AtomicReference<>();
      ws.textMessageHandler(text -> StreamFrames.each(text, answer -> {
        if (answer.containsKey("prediction")) {
          answered.add(answer.getString("id"));
        }
      }));
      ws.closeHandler(v -> closeCode.set(ws.closeStatusCode()));
      faults.stall();
      StringBuilder burst = new StringBuilder("[");
      for (int i = 0; i < 100; i++) {
        burst.append(i == 0 ? "" : ",").append("{\"id\":\"m").append(i).append("\",\"instance\":")
            .append(TestServer.EXAMPLE).append('}');
      }
      TestServer.await(ws.writeTextMessage(burst.append(']').toString()));
      Faults.eventually(() -> faults.callsWaiting() > 0);
      Future<Void> drained = server.root().drain();
      faults.release();
      TestServer.await(drained);
      Faults.eventually(() -> closeCode.get() != null);
      assertThat(answered).hasSize(100);
      assertThat(closeCode.get()).isEqualTo((short) 1001);
      TestServer.await(client.close());
    }
  }
}
