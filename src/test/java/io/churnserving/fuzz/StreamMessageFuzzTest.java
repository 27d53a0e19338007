package io.churnserving.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.StreamFrames;
import io.churnserving.support.TestServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile messages on one stream connection: each gets an answer (a prediction, or an error with a 4xx status) and
 * the connection stays open throughout.
 */
class StreamMessageFuzzTest {
  private static TestServer server;
  private static WebSocket ws;
  private static final LinkedBlockingQueue<JsonObject> ANSWERS = new LinkedBlockingQueue<>();

  @BeforeContainer
  static void start() {
    server = TestServer.start();
    ws = TestServer.await(server.vertx().createWebSocketClient().connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(server.port()).setURI("/v1/models/churn/stream")
        .addHeader("X-API-Key", TestServer.KEY)));
    ws.textMessageHandler(text -> StreamFrames.each(text, ANSWERS::add));
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  @Property(tries = 1000, seed = "20261127")
  void everyMessageIsAnsweredAndTheStreamStaysOpen(@ForAll("messages") String message) throws Exception {
    ANSWERS.clear();
    TestServer.await(ws.writeTextMessage(message));
    JsonObject answer = ANSWERS.poll(10, TimeUnit.SECONDS);
    assertThat(answer).as("an answer to %s", message).isNotNull();
    if (!answer.containsKey("prediction")) {
      assertThat(answer.getJsonObject("error").getInteger("status")).isBetween(400, 499);
    }
    assertThat(ws.isClosed()).isFalse();
  }

  @Provide
  Arbitrary<String> messages() {
    String instance = TestServer.EXAMPLE;
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMinLength(1).ofMaxLength(200),
        Arbitraries.strings().ofMaxLength(20).map(id -> new JsonObject().put("id", id).encode()),
        Arbitraries.of("{}", "[{}]", "null", "1e400", "{\"id\":\"a\"}", "{\"instance\":" + instance + "}",
            "{\"id\":{},\"instance\":" + instance + "}", "{\"id\":\"a\",\"instance\":" + instance + ",\"x\":1}",
            "{\"id\":\"a\",\"instance\":[]}", "{\"id\":\"a\",\"id\":\"b\",\"instance\":" + instance + "}"),
        Arbitraries.integers().between(0, instance.length() - 1)
            .map(cut -> "{\"id\":\"c\",\"instance\":" + instance.substring(0, cut) + "}"));
  }
}
