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
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream clients that attack the server on raw sockets: a ping flood that reads no pongs, a flood of bad messages
 * and long bursts that reads no answers, a compressed frame. Each is cut off or paused with the server's heap
 * bounded, and another client is served meanwhile. A server per test, so that no attack's leftovers count in the
 * next one's heap.
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

  @Test
  void aClientThatReadsNoneOfItsErrorAnswersIsPausedWithTheHeapBoundedWhileOthersAreServed() throws Exception {
    // Each round: one 64 KiB burst [1,1,...] (32,767 items) and 1,000 invalid single messages, each a 422.
    byte[] burst = RawWebSocket.text("[" + "1,".repeat(32_766) + "1]");
    byte[] invalid = RawWebSocket.repeat(RawWebSocket.text("{\"id\":\"x\",\"instance\":1}"), 1_000);
    int rounds = 100;
    long before = heapAfterGc();
    try (RawWebSocket silent = RawWebSocket.open(server.port(), TestServer.KEY)) {
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < rounds; i++) {
            silent.write(burst);
            silent.write(invalid);
          }
        } catch (IOException e) {
          // the socket was closed: the test is over
        }
      }, "silent-stream-writer");
      writer.setDaemon(true);
      writer.start();
      // Wait until the server has stopped reading: the client's writes block and its byte count stops moving.
      long last = -1;
      while (writer.isAlive() && silent.written() != last) {
        last = silent.written();
        Thread.sleep(1_000);
      }
      assertThat(writer.isAlive()).as("the server stopped reading the client that reads nothing (it took all %d "
          + "rounds, %d bytes)", rounds, silent.written()).isTrue();
      long held = heapAfterGc() - before;
      assertThat(held).as("heap held for the paused client").isLessThan(HEAP_BOUND);
      anotherClientIsServed();
    }
  }

  @Test
  void aBurstLongerThanTheInFlightLimitIsRefusedAsAWholeWithOneAnswer() {
    WebSocket ws = TestServer.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(server.port()).setURI(PredictionStreamTest.PATH).addHeader("X-API-Key", TestServer.KEY)));
    Promise<String> answer = Promise.promise();
    ws.textMessageHandler(answer::tryComplete);
    StringBuilder burst = new StringBuilder("[");
    for (int i = 0; i < 257; i++) { // the default STREAM_MAX_IN_FLIGHT is 256
      burst.append(i == 0 ? "" : ",").append("{\"id\":\"m").append(i).append("\",\"instance\":")
          .append(TestServer.EXAMPLE).append('}');
    }
    ws.writeTextMessage(burst.append(']').toString());
    String text = TestServer.await(answer.future());
    assertThat(text).as("one answer, not an array of them").startsWith("{");
    JsonObject refused = new JsonObject(text);
    assertThat(refused.getValue("id")).isNull();
    JsonObject error = refused.getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(422);
    assertThat(error.getJsonArray("errors")).hasSize(1);
    JsonObject tooLong = error.getJsonArray("errors").getJsonObject(0);
    assertThat(tooLong.getString("type")).isEqualTo("too_long");
    assertThat(tooLong.getString("msg")).contains("at most 256 items").contains("not 257");
    assertThat(ws.isClosed()).isFalse();
    TestServer.await(ws.close());
  }

  @Test
  void compressionIsNotNegotiatedAndACompressedFrameClosesTheConnectionWhileOthersAreServed() throws IOException {
    try (RawWebSocket raw = RawWebSocket.open(server.port(), TestServer.KEY,
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")) {
      assertThat(raw.handshake().toLowerCase()).doesNotContain("sec-websocket-extensions");
      // A small deflated message, as a client that assumed permessage-deflate would send it (RSV1 set).
      byte[] message = ("{\"id\":\"z\",\"instance\":" + TestServer.EXAMPLE + "}").getBytes();
      Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      deflater.setInput(message);
      deflater.finish();
      byte[] deflated = new byte[1024];
      int length = deflater.deflate(deflated, 0, deflated.length, Deflater.SYNC_FLUSH);
      raw.write(RawWebSocket.frame(RawWebSocket.TEXT, true, Arrays.copyOf(deflated, length - 4)));
      assertThat(raw.closedByServer()).as("a compressed frame closes the connection").isTrue();
    }
    anotherClientIsServed();
  }
}
