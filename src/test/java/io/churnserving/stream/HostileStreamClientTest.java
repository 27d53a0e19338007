package io.churnserving.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream clients that attack the server on raw sockets: a ping flood that reads no pongs. It is cut off with the
 * server's heap bounded, and another client is served meanwhile. A server per test, so that no attack's leftovers
 * count in the next one's heap.
 */
class HostileStreamClientTest {
  /** What the attacks may leave on the server's heap, after a full GC, over what it held before. */
  static final long HEAP_BOUND = 64L * 1024 * 1024;

  TestServer server;
  WebSocketClient client;

  @BeforeEach
  void start() {
    server = TestServer.start();
    client = server.vertx().createWebSocketClient();
  }

  @AfterEach
  void stop() {
    TestServer.await(client.close());
    server.close();
  }

  /** Heap in use after a full collection: what is really held. */
  static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Another client, on its own stream, gets its prediction. */
  private void anotherClientIsServed() {
    WebSocket ws = TestServer.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(server.port()).setURI(PredictionStreamTest.PATH).addHeader("X-API-Key", TestServer.KEY)));
    Promise<JsonObject> answer = Promise.promise();
    ws.textMessageHandler(t -> answer.tryComplete(new JsonObject(t)));
    ws.writeTextMessage(new JsonObject().put("id", "other").put("instance", new JsonObject(TestServer.EXAMPLE))
        .encode());
    assertThat(TestServer.await(answer.future()).getJsonObject("prediction")).isNotNull();
    TestServer.await(ws.close());
    assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
  }

  @Test
  void aPingFloodThatReadsNoPongsIsCutOffWithTheHeapBoundedWhileOthersAreServed() throws IOException {
    int pings = 1_000_000; // as in the report: 125-byte pings, 131 MB on the wire
    int perWrite = 500;
    byte[] chunk = RawWebSocket.repeat(RawWebSocket.frame(RawWebSocket.PING, false, new byte[125]), perWrite);
    long before = heapAfterGc();
    long mostHeld = 0;
    int sent = 0;
    boolean cutOff = false;
    try (RawWebSocket flooder = RawWebSocket.open(server.port(), TestServer.KEY)) {
      for (int i = 0; sent < pings && !cutOff; i++) {
        try {
          flooder.write(chunk);
          sent += perWrite;
        } catch (IOException closedByTheServer) {
          cutOff = true;
        }
        if (i % 200 == 0) {
          mostHeld = Math.max(mostHeld, heapAfterGc() - before);
          anotherClientIsServed();
        }
      }
      mostHeld = Math.max(mostHeld, heapAfterGc() - before);
      assertThat(cutOff || flooder.closedByServer()).as("the server closed the flooding connection (%d pings sent)",
          sent).isTrue();
      assertThat(sent).as("pings taken before the cut").isLessThan(pings);
    }
    assertThat(mostHeld).as("heap held during the flood").isLessThan(HEAP_BOUND);
    anotherClientIsServed();
  }
}
