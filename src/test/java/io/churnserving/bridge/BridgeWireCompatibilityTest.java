package io.churnserving.bridge;

import static io.churnserving.support.BridgeSocket.register;
import static io.churnserving.support.BridgeSocket.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.events.PredictionEvents;
import io.churnserving.support.BridgeSocket;
import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.net.ServerSocket;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The bridge speaks vertx-tcp-eventbus-bridge's protocol: the same frames, sent to the library's own bridge server
 * (started beside ours on the same event bus) and to ours, get answers of the same shape, so a client written for the
 * library works here. Ours differs only where it refuses (keys, scopes, limits).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BridgeWireCompatibilityTest {
  TestServer server;
  TcpEventBusBridge stock;
  int stockPort;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.start("BRIDGE_PORT", "0");
    try (ServerSocket free = new ServerSocket(0)) {
      stockPort = free.getLocalPort();
    }
    stock = TestServer.await(TcpEventBusBridge.create(server.vertx(), new BridgeOptions()
            .addInboundPermitted(new PermittedOptions().setAddress("churn.predict"))
            .addOutboundPermitted(new PermittedOptions().setAddress(PredictionEvents.PREDICTIONS)))
        .listen(stockPort, "127.0.0.1"));
  }

  @AfterAll
  void stop() {
    TestServer.await(stock.close());
    server.close();
  }

  /** Runs the same exchange against both servers. */
  private List<JsonObject> both(Function<BridgeSocket, JsonObject> exchange) throws Exception {
    try (BridgeSocket theirs = BridgeSocket.connect(stockPort);
         BridgeSocket ours = BridgeSocket.connect(server.bridgePort())) {
      return List.of(exchange.apply(theirs), exchange.apply(ours));
    }
  }

  private static Function<BridgeSocket, JsonObject> sending(JsonObject frame) {
    return client -> {
      try {
        return client.send(frame).read();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }

  @Test
  void aPingGetsTheSamePong() throws Exception {
    List<JsonObject> answers = both(sending(new JsonObject().put("type", "ping")));
    assertThat(answers.get(1)).isEqualTo(answers.get(0)).isEqualTo(new JsonObject().put("type", "pong"));
  }

  @Test
  void aRequestGetsTheSameMessageFrame() throws Exception {
    JsonObject frame = request("churn.predict", "reply-1", TestServer.KEY, new JsonObject(TestServer.EXAMPLE));
    List<JsonObject> answers = both(sending(frame));
    JsonObject theirs = answers.get(0);
    JsonObject ours = answers.get(1);
    assertThat(ours.fieldNames()).isEqualTo(theirs.fieldNames());
    assertThat(ours.getString("type")).isEqualTo(theirs.getString("type")).isEqualTo("message");
    assertThat(ours.getString("address")).isEqualTo(theirs.getString("address")).isEqualTo("reply-1");
    assertThat(ours.getBoolean("send")).isEqualTo(theirs.getBoolean("send")).isTrue();
    assertThat(ours.getJsonObject("headers")).isEqualTo(theirs.getJsonObject("headers"));
    assertThat(ours.getJsonObject("body").fieldNames()).isEqualTo(theirs.getJsonObject("body").fieldNames());
    assertThat(ours.getJsonObject("body").getDouble("churn_probability"))
        .isEqualTo(theirs.getJsonObject("body").getDouble("churn_probability"));
  }

  @Test
  void aFailedRequestGetsTheSameErrFrame() throws Exception {
    JsonObject frame = request("churn.predict", "reply-2", TestServer.KEY, new JsonObject().put("tenure_months", -1));
    frame.getJsonObject("headers").put("correlation_id", "compat-1");
    List<JsonObject> answers = both(sending(frame));
    JsonObject theirs = answers.get(0);
    JsonObject ours = answers.get(1);
    assertThat(ours.fieldNames()).isEqualTo(theirs.fieldNames());
    for (String field : List.of("type", "address", "sourceAddress", "failureCode", "failureType")) {
      assertThat(ours.getValue(field)).as(field).isEqualTo(theirs.getValue(field));
    }
    assertThat(ours.getString("failureType")).isEqualTo("RECIPIENT_FAILURE");
    assertThat(new JsonObject(ours.getString("message")).getJsonArray("errors"))
        .isEqualTo(new JsonObject(theirs.getString("message")).getJsonArray("errors"));
  }

  @Test
  void anEventGetsTheSameMessageFrame() throws Exception {
    List<JsonObject> events = both(client -> {
      try {
        client.send(register(PredictionEvents.PREDICTIONS, TestServer.KEY)).sync();
        server.vertx().eventBus().publish(PredictionEvents.PREDICTIONS, new JsonObject().put("model", "churn")
            .put("model_version", "1").put("prediction", new JsonObject().put("churn_probability", 0.25)
                .put("risk_tier", "low")));
        return client.read();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    JsonObject theirs = events.get(0);
    JsonObject ours = events.get(1);
    assertThat(ours.fieldNames()).isEqualTo(theirs.fieldNames());
    assertThat(ours.getString("address")).isEqualTo(theirs.getString("address")).isEqualTo("churn.predictions");
    assertThat(ours.getBoolean("send")).isEqualTo(theirs.getBoolean("send")).isFalse();
    assertThat(ours.getJsonObject("body").getJsonObject("prediction").getDouble("churn_probability")).isEqualTo(0.25);
  }
}
