package io.churnserving.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * What README says of a burst's answers and of correlation IDs on the stream, on the real server: a burst's answers
 * come in one array in the order they became ready, not the order sent; every message of a connection shares the
 * upgrade request's correlation ID.
 */
class StreamOrderAndIdTest {
  @Test
  void aBurstIsAnsweredInCompletionOrderUnderTheUpgradesCorrelationId() {
    try (TestServer server = TestServer.start()) {
      WebSocketClient client = server.vertx().createWebSocketClient();
      WebSocket ws = TestServer.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
          .setPort(server.port()).setURI("/v1/models/churn/stream").addHeader("X-API-Key", TestServer.KEY)
          .addHeader("X-Request-ID", "stream-upgrade-1")));
      assertThat(ws.headers().get("X-Request-ID")).isEqualTo("stream-upgrade-1");
      Promise<String> frame = Promise.promise();
      ws.textMessageHandler(frame::tryComplete);
      // An invalid item is answered when it is read; the valid ones sent before it only once they are scored.
      JsonObject valid = new JsonObject(TestServer.EXAMPLE);
      ws.writeTextMessage(new JsonArray()
          .add(new JsonObject().put("id", "first").put("instance", valid))
          .add(new JsonObject().put("id", "second").put("instance", valid))
          .add(new JsonObject().put("id", "third").put("instance", new JsonObject().put("tenure_months", 0)))
          .encode());
      JsonArray answers = new JsonArray(TestServer.await(frame.future()));
      assertThat(answers).hasSize(3);
      assertThat(answers.getJsonObject(0).getString("id")).isEqualTo("third");
      assertThat(answers.getJsonObject(0).getJsonObject("error").getString("correlation_id"))
          .isEqualTo("stream-upgrade-1");
      assertThat(answers.stream().map(a -> ((JsonObject) a).getString("id")).toList())
          .containsExactlyInAnyOrder("first", "second", "third");

      Promise<String> lone = Promise.promise();
      ws.textMessageHandler(lone::tryComplete);
      ws.writeTextMessage("{\"id\": 7, \"instance\": {}}");
      assertThat(new JsonObject(TestServer.await(lone.future())).getJsonObject("error").getString("correlation_id"))
          .isEqualTo("stream-upgrade-1");
      TestServer.await(ws.close());
      TestServer.await(client.close());
    }
  }
}
