package io.churnserving.hardening;

import static io.churnserving.support.BridgeSocket.register;
import static io.churnserving.support.BridgeSocket.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.BridgeSocket;
import io.churnserving.support.Faults;
import io.churnserving.support.LogCapture;
import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a client of the TCP event-bus bridge can make the server hold, each bound shown against the real server from a
 * raw socket: the frame it announces, its connections, its requests in flight, the events it does not read, and a
 * connection that goes silent.
 */
class BridgeHoldLimitsTest {
  private static final String KEY = TestServer.KEY;

  /** An event as the server publishes it (the drift monitor reads each one), padded to about 2 KB. */
  private static JsonObject event(int n) {
    return new JsonObject().put("correlation_id", "flood-" + n).put("model", "churn").put("model_version", "1")
        .put("prediction", new JsonObject().put("churn_probability", 0.5).put("risk_tier", "medium"))
        .put("pad", "e".repeat(2000));
  }

  private static byte[] header(int length) {
    return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
  }

  @Test
  void aFrameOverTheLimitIsRefusedFromItsLengthBeforeItsBytesAreRead() throws Exception {
    try (TestServer server = TestServer.start("BRIDGE_PORT", "0", "BRIDGE_MAX_FRAME_BYTES", "1024")) {
      // A frame of exactly the limit is read.
      String padding = "x".repeat(1024 - new JsonObject().put("type", "ping").put("pad", "").encode().length());
      byte[] atLimit = new JsonObject().put("type", "ping").put("pad", padding).encode()
          .getBytes(StandardCharsets.UTF_8);
      assertThat(atLimit).hasSize(1024);
      try (BridgeSocket client = BridgeSocket.connect(server.bridgePort())) {
        assertThat(client.sendRaw(atLimit).read().getString("type")).isEqualTo("pong");
      }
      // 2 GiB announced, not one byte of it sent: the refusal comes from the length alone, so nothing was buffered.
      for (int announced : new int[] {1025, Integer.MAX_VALUE, -1}) {
        try (BridgeSocket client = BridgeSocket.connect(server.bridgePort())) {
          List<JsonObject> frames = client.write(header(announced)).readToEnd(1);
          assertThat(frames).hasSize(1);
          assertThat(frames.get(0).getString("type")).isEqualTo("err");
          assertThat(frames.get(0).getInteger("failureCode")).isEqualTo(413);
          assertThat(frames.get(0).getString("message")).isEqualTo("frame_too_large: a frame announced "
              + Integer.toUnsignedString(announced) + " bytes; the most is 1024");
        }
      }
    }
  }

  @Test
  void aConnectionPastTheLimitGetsAnErrFrameAndTheOthersAreServed() throws Exception {
    try (LogCapture logs = new LogCapture();
         TestServer server = TestServer.start("BRIDGE_PORT", "0", "BRIDGE_MAX_CONNECTIONS", "3")) {
      List<BridgeSocket> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          BridgeSocket client = BridgeSocket.connect(server.bridgePort());
          open.add(client);
          assertThat(client.sync()).isEmpty();
        }
        try (BridgeSocket extra = BridgeSocket.connect(server.bridgePort())) {
          List<JsonObject> frames = extra.readToEnd(1);
          assertThat(frames).hasSize(1);
          assertThat(frames.get(0).getString("message"))
              .isEqualTo("too_many_connections: the bridge holds at most 3 connections; try again later");
          assertThat(frames.get(0).getInteger("failureCode")).isEqualTo(503);
        }
        for (BridgeSocket client : open) {
          assertThat(client.send(request("churn.predict", "r", KEY, new JsonObject(TestServer.EXAMPLE))).read()
              .getString("type")).isEqualTo("message");
        }
        // A connection reset by its client gives its place back, and is no server error.
        BridgeSocket reset = open.remove(0);
        reset.resetOnClose();
        reset.close();
        Faults.eventually(() -> {
          try (BridgeSocket again = BridgeSocket.connect(server.bridgePort())) {
            again.send(new JsonObject().put("type", "ping"));
            return again.read().getString("type").equals("pong");
          } catch (Exception e) {
            // The server has not yet counted the reset connection out: this one was refused and closed. Again.
            return false;
          }
        });
        assertThat(logs.json()).noneMatch(l -> "ERROR".equals(l.getString("level")));
      } finally {
        for (BridgeSocket client : open) {
          client.close();
        }
      }
    }
  }

  /**
   * With the model stalled, a client that pipelines a hundred requests has only {@code BRIDGE_MAX_IN_FLIGHT} of them
   * admitted for scoring: the server stops reading its socket, so the rest stay in TCP's buffers, not the server's.
   * Another client is served meanwhile; once the model is back, every request is answered.
   */
  @Test
  void aPipeliningClientHasAtMostMaxInFlightRequestsAdmitted() throws Exception {
    Faults faults = new Faults();
    try (TestServer server = TestServer.startWithFaults(faults, "BRIDGE_PORT", "0", "BRIDGE_MAX_IN_FLIGHT", "4",
        "SCORING_TIMEOUT_MS", "60000")) {
      faults.stall();
      try (BridgeSocket flooder = BridgeSocket.connect(server.bridgePort());
           BridgeSocket other = BridgeSocket.connect(server.bridgePort())) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (int i = 0; i < 100; i++) {
          byte[] frame = request("churn.predict", "f-" + i, KEY, new JsonObject(TestServer.EXAMPLE)).encode()
              .getBytes(StandardCharsets.UTF_8);
          out.writeInt(frame.length);
          out.write(frame);
        }
        flooder.write(bytes.toByteArray());
        Faults.eventually(() -> inFlight(server) == 4 && faults.callsWaiting() > 0);
        // The other connection is read and answered (a ping needs no model) while the flood waits ...
        assertThat(other.sync()).isEmpty();
        // ... and the flood still has only its four admitted.
        assertThat(inFlight(server)).isEqualTo(4);

        faults.release();
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 100; i++) {
          JsonObject f = flooder.read();
          assertThat(f.getString("type")).as(f.encode()).isEqualTo("message");
          answered.add(f.getString("address"));
        }
        assertThat(answered).hasSize(100);
      } finally {
        faults.release();
      }
    }
  }

  private static double inFlight(TestServer server) {
    return server.registry().find("requests_in_flight").gauge().value();
  }

  /** A gauge or counter of the server's, by its Prometheus name. */
  private static double meter(TestServer server, String name) {
    String scrape = server.registry().scrape();
    return scrape.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
        .findFirst().orElseThrow(() -> new AssertionError(name + " not in the scrape"));
  }

  /**
   * A subscriber that stops reading is not queued for: once its write queue is full, events are dropped and counted,
   * and when it reads again it is told how many. Every event is either delivered or counted as dropped.
   */
  @Test
  void eventsForASubscriberThatDoesNotReadAreDroppedAndCountedNotQueued() throws Exception {
    try (TestServer server = TestServer.start("BRIDGE_PORT", "0");
         BridgeSocket subscriber = BridgeSocket.connectSmallBuffer(server.bridgePort())) {
      assertThat(subscriber.send(register("churn.predictions", KEY)).sync()).isEmpty();
      // 4,000 events of 2 KB: 8 MB, more than the write queue and the sockets' buffers hold.
      int published = 4000;
      for (int i = 0; i < published; i++) {
        server.vertx().eventBus().publish("churn.predictions", event(i));
      }
      long delivered = 0;
      long dropped = 0;
      int notices = 0;
      while (delivered + dropped < published) {
        JsonObject f = subscriber.read();
        if (f.getString("type").equals("message")) {
          assertThat(f.getString("address")).isEqualTo("churn.predictions");
          delivered++;
        } else {
          assertThat(f.getString("message")).matches("slow_consumer: \\d+ events of churn.predictions were dropped "
              + "while the connection did not read");
          assertThat(f.getInteger("failureCode")).isEqualTo(503);
          dropped += Long.parseLong(f.getString("message").split(" ")[1]);
          notices++;
        }
      }
      assertThat(delivered + dropped).isEqualTo(published);
      assertThat(dropped).isPositive().isEqualTo((long) meter(server, "bridge_events_dropped_total"));
      assertThat(notices).isPositive();
      // The subscriber is still registered and served.
      assertThat(subscriber.sync()).isEmpty();
    }
  }

  /**
   * A connection that sends nothing is closed after BRIDGE_IDLE_TIMEOUT_S with an err frame; so is one that stopped
   * reading with its write queue full, which is closed under the queue, so what it held is let go.
   */
  @Test
  void aSilentConnectionIsClosedWithAReasonAndOneThatDoesNotReadIsClosedToo() throws Exception {
    try (TestServer server = TestServer.start("BRIDGE_PORT", "0", "BRIDGE_IDLE_TIMEOUT_S", "1")) {
      try (BridgeSocket silent = BridgeSocket.connect(server.bridgePort())) {
        List<JsonObject> frames = silent.readToEnd(1);
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).getString("message"))
            .isEqualTo("idle: no frame for 1 s; send a ping to stay connected");
        assertThat(frames.get(0).getInteger("failureCode")).isEqualTo(408);
      }
      try (BridgeSocket stuck = BridgeSocket.connectSmallBuffer(server.bridgePort())) {
        assertThat(stuck.send(register("churn.predictions", KEY)).sync()).isEmpty();
        for (int i = 0; i < 4000; i++) {
          server.vertx().eventBus().publish("churn.predictions", event(i));
        }
        // The server closes it while it still has not read a byte of the events ...
        Faults.eventually(() -> meter(server, "bridge_connections") == 0);
        // ... so all it reads now is what the sockets' buffers held, then the end; the rest was let go.
        List<JsonObject> frames = stuck.readToEnd(4000);
        assertThat(frames).isNotEmpty().hasSizeLessThan(4000).allMatch(f -> f.getString("type").equals("message"));
        assertThat(meter(server, "bridge_events_dropped_total")).isPositive();
      }
    }
  }
}
