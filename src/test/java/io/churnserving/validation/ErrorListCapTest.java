package io.churnserving.validation;

import static io.churnserving.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An answer lists at most {@value RequestValidator#MAX_ERRORS} field errors however many there are, on HTTP and on
 * the stream alike, and its detail says how many there were in all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorListCapTest {
  TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** 6,000 unknown keys and none of the 4 required fields: 6,004 errors, in a body under 64 KiB. */
  static String sixThousandUnknownKeys() {
    StringBuilder body = new StringBuilder("{");
    for (int i = 0; i < 6_000; i++) {
      body.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":0");
    }
    return body.append('}').toString();
  }

  @Test
  void predictListsTheFirst100ErrorsAndSaysHowManyThereWere() {
    String body = sixThousandUnknownKeys();
    assertThat(body.length()).isLessThan(64 * 1024);
    JsonObject problem = assertProblem(server.postJson("/predict", body), 422);
    assertThat(problem.getJsonArray("errors")).hasSize(RequestValidator.MAX_ERRORS);
    assertThat(problem.getString("detail")).contains("6004");
  }

  @Test
  void aStreamMessageListsTheFirst100ErrorsAndSaysHowManyThereWere() {
    // Held in a variable: Vert.x closes a client that is no longer reachable, connections and all, at the next GC.
    WebSocketClient client = server.vertx().createWebSocketClient();
    WebSocket ws = TestServer.await(client.connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(server.port()).setURI("/v1/models/churn/stream")
        .addHeader("X-API-Key", TestServer.KEY)));
    Promise<JsonObject> answer = Promise.promise();
    ws.textMessageHandler(t -> answer.tryComplete(new JsonObject(t)));
    ws.writeTextMessage("{\"id\":\"many\",\"instance\":" + sixThousandUnknownKeys() + "}");
    JsonObject error = TestServer.await(answer.future()).getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(422);
    assertThat(error.getJsonArray("errors")).hasSize(RequestValidator.MAX_ERRORS);
    assertThat(error.getString("detail")).contains("6004");
    TestServer.await(ws.close());
    TestServer.await(client.close());
  }
}
