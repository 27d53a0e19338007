package io.churnserving.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.StreamFrames;
import io.churnserving.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The stream of any served model and version, on the real server with the bundled churn versions 1 and 2 (stable =
 * 1), driven by a real WebSocket client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VersionedStreamTest {
  static final String V1 = TestServer.EXAMPLE;
  /** Version 1's example plus the two inputs version 2 adds. */
  static final String V2 = "{\"tenure_months\": 24, \"monthly_charges\": 79.5, \"contract_type\": "
      + "\"month-to-month\", \"num_products\": 2, \"internet_service\": \"Fiber\", \"support_calls\": 4, "
      + "\"payment_method\": \"electronic_check\"}";
  TestServer server;
  WebSocketClient client;

  @BeforeAll
  void start() {
    server = TestServer.start();
    client = server.vertx().createWebSocketClient();
  }

  @AfterAll
  void stop() {
    TestServer.await(client.close());
    server.close();
  }

  private WebSocketConnectOptions options(String uri) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port()).setURI(uri)
        .addHeader("X-API-Key", TestServer.KEY);
  }

  /** Sends the messages, as one frame each, and gives their answers by id. */
  private Map<String, JsonObject> exchange(String path, String... messages) {
    WebSocket ws = TestServer.await(client.connect(options(path)));
    Map<String, JsonObject> answers = new ConcurrentHashMap<>();
    int expected = 0;
    for (String m : messages) {
      expected += m.startsWith("[") ? new JsonArray(m).size() : 1;
    }
    int total = expected;
    Promise<Void> all = Promise.promise();
    ws.textMessageHandler(text -> StreamFrames.each(text, answer -> {
      answers.put(answer.getString("id"), answer);
      if (answers.size() == total) {
        all.tryComplete();
      }
    }));
    for (String m : messages) {
      ws.writeTextMessage(m);
    }
    TestServer.await(all.future());
    TestServer.await(ws.close());
    return answers;
  }

  private static String message(String id, String instance) {
    return "{\"id\": \"" + id + "\", \"instance\": " + instance + "}";
  }

  @Test
  void aVersionsStreamScoresWithThatVersionAndItsSchema() {
    Map<String, JsonObject> answers = exchange("/v1/models/churn/versions/2/stream", message("v2", V2),
        message("v1-instance", V1), "[" + message("b1", V2) + ", " + message("b2", V1) + "]");
    JsonObject prediction = answers.get("v2").getJsonObject("prediction");
    assertThat(prediction.getString("model_version")).isEqualTo("2");
    double http = server.postJson("/v1/models/churn/versions/2:predict", "{\"instances\": [" + V2 + "]}")
        .bodyAsJsonObject().getJsonArray("predictions").getJsonObject(0).getDouble("churn_probability");
    assertThat(prediction.getDouble("churn_probability")).isEqualTo(http);
    assertThat(answers.get("b1").getJsonObject("prediction").getString("model_version")).isEqualTo("2");

    // Version 1's instance lacks version 2's two inputs: refused in-band, naming both, and the stream went on.
    for (String id : List.of("v1-instance", "b2")) {
      JsonObject error = answers.get(id).getJsonObject("error");
      assertThat(error.getInteger("status")).isEqualTo(422);
      assertThat(error.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getJsonArray("loc").encode()))
          .containsExactlyInAnyOrder("[\"instance\",\"support_calls\"]", "[\"instance\",\"payment_method\"]");
    }
  }

  @Test
  void aLabelNamesItsVersion() {
    Map<String, JsonObject> answers = exchange("/v1/models/churn/versions/stable/stream", message("s", V1));
    assertThat(answers.get("s").getJsonObject("prediction").getString("model_version")).isEqualTo("1");
  }

  @Test
  void theModelsStreamIsUnchangedAndServesItsDefaultVersion() {
    Map<String, JsonObject> answers = exchange(PredictionStreamTest.PATH, message("d", V1));
    JsonObject prediction = answers.get("d").getJsonObject("prediction");
    assertThat(prediction.getString("model_version")).isEqualTo("1");
    assertThat(prediction.getDouble("churn_probability"))
        .isEqualTo(server.postJson("/predict", V1).bodyAsJsonObject().getDouble("churn_probability"));
  }

  @Test
  void anUnknownModelVersionOrLabelIsRefusedWith404BeforeTheUpgrade() {
    for (String path : List.of("/v1/models/nope/stream", "/v1/models/churn/versions/9/stream",
        "/v1/models/churn/versions/canary/stream", "/v1/models/nope/versions/1/stream")) {
      Throwable refused = client.connect(options(path)).toCompletionStage().toCompletableFuture()
          .handle((ws, e) -> e).join();
      assertThat(refused).as(path).isInstanceOfSatisfying(UpgradeRejectedException.class, e -> {
        assertThat(e.getStatus()).isEqualTo(404);
        assertThat(new JsonObject(e.getBody()).getString("type")).endsWith("model-not-found");
      });
    }
  }

  @Test
  void aQueryStringThatCannotBeDecodedIsA400Problem() {
    var answer = server.get("/v1/models/churn/versions/2/stream?api_key=%zz");
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(answer.bodyAsJsonObject().getString("detail")).startsWith("The query string cannot be decoded");
  }

  @Test
  void theStreamRoutesTakeOnlyGet() {
    var answer = TestServer.await(server.request(HttpMethod.POST, "/v1/models/churn/versions/2/stream").send());
    assertThat(answer.statusCode()).isEqualTo(405);
    assertThat(answer.getHeader("Allow")).isEqualTo("GET");
    answer = TestServer.await(server.request(HttpMethod.DELETE, "/v1/models/churn/stream").send());
    assertThat(answer.statusCode()).isEqualTo(405);
    assertThat(answer.getHeader("Allow")).isEqualTo("GET");
  }
}
