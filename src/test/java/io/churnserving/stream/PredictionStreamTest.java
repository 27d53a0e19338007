package io.churnserving.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.StreamFrames;
import io.churnserving.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The WebSocket stream on the real server and model, driven by a real WebSocket client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionStreamTest {
  static final String PATH = "/v1/models/churn/stream";
  TestServer server;
  WebSocketClient client;

  @BeforeAll
  void start() {
    server = TestServer.start("STREAM_IDLE_TIMEOUT_MS", "1500", "STREAM_MAX_IN_FLIGHT", "64",
        "EVENTS_SAMPLE_PERCENT", "100");
    client = server.vertx().createWebSocketClient();
  }

  @AfterAll
  void stop() {
    TestServer.await(client.close());
    server.close();
  }

  private WebSocketConnectOptions options(String uri) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port()).setURI(uri);
  }

  private WebSocket connect() {
    return TestServer.await(client.connect(options(PATH).addHeader("X-API-Key", TestServer.KEY)));
  }

  static JsonObject instance(int i) {
    return new JsonObject().put("tenure_months", 1 + i % 120).put("monthly_charges", 18 + (i * 13) % 130)
        .put("contract_type", List.of("month-to-month", "one_year", "two_year").get(i % 3))
        .put("num_products", 1 + i % 8);
  }

  @Test
  void theKeyIsCheckedAtTheUpgrade() {
    Throwable refused = client.connect(options(PATH)).toCompletionStage().toCompletableFuture()
        .handle((ws, e) -> e).join();
    assertThat(refused).isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus())
        .isEqualTo(401));
    Throwable wrong = client.connect(options(PATH + "?api_key=nope")).toCompletionStage().toCompletableFuture()
        .handle((ws, e) -> e).join();
    assertThat(wrong).isInstanceOf(UpgradeRejectedException.class);
    WebSocket byQuery = TestServer.await(client.connect(options(PATH + "?api_key=" + TestServer.KEY)));
    TestServer.await(byQuery.close());
  }

  @Test
  void tenThousandPipelinedMessagesAreEachAnsweredOnceByIdWithTheHttpPrediction() {
    int total = 10_000;
    WebSocket ws = connect();
    Map<String, JsonObject> answers = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    ws.textMessageHandler(text -> StreamFrames.each(text, answer -> {
      if (answers.put(answer.getString("id"), answer) != null) {
        duplicates.incrementAndGet();
      }
      if (answers.size() == total) {
        all.tryComplete();
      }
    }));
    // Half as single messages, half as bursts of 10 in one message.
    for (int i = 0; i < total / 2; i++) {
      ws.writeTextMessage(new JsonObject().put("id", "m" + i).put("instance", instance(i)).encode());
    }
    for (int i = total / 2; i < total; i += 10) {
      JsonArray burst = new JsonArray();
      for (int j = i; j < i + 10; j++) {
        burst.add(new JsonObject().put("id", "m" + j).put("instance", instance(j)));
      }
      ws.writeTextMessage(burst.encode());
    }
    TestServer.await(all.future());
    assertThat(duplicates.get()).isZero();
    assertThat(answers).hasSize(total);
    assertThat(answers.values()).allSatisfy(a -> assertThat(a.getJsonObject("prediction")).isNotNull());
    for (int i = 0; i < total; i += 997) {
      double http = server.postJson("/predict", instance(i).encode()).bodyAsJsonObject()
          .getDouble("churn_probability");
      assertThat(answers.get("m" + i).getJsonObject("prediction").getDouble("churn_probability")).isEqualTo(http);
    }
    TestServer.await(ws.close());
  }

  @Test
  void aBadMessageGetsItsOwnErrorAndTheConnectionStaysOpen() {
    WebSocket ws = connect();
    List<JsonObject> answers = new CopyOnWriteArrayList<>();
    Promise<Void> five = Promise.promise();
    ws.textMessageHandler(text -> StreamFrames.each(text, answer -> {
      answers.add(answer);
      if (answers.size() == 5) {
        five.tryComplete();
      }
    }));
    ws.writeTextMessage("{not json");
    ws.writeTextMessage(new JsonObject().put("instance", instance(1)).encode());
    ws.writeTextMessage(new JsonObject().put("id", "bad").put("instance", instance(1).put("tenure_months", 0))
        .encode());
    ws.writeTextMessage("[42]");
    ws.writeTextMessage(new JsonObject().put("id", "good").put("instance", instance(2)).encode());
    TestServer.await(five.future());
    assertThat(answers.stream().filter(a -> a.containsKey("error")).map(a -> a.getJsonObject("error")
        .getInteger("status")).toList()).containsExactlyInAnyOrder(400, 422, 422, 422);
    JsonObject bad = answers.stream().filter(a -> "bad".equals(a.getString("id"))).findFirst().orElseThrow();
    assertThat(bad.getJsonObject("error").getJsonArray("errors").getJsonObject(0).getJsonArray("loc"))
        .containsExactly("instance", "tenure_months");
    assertThat(answers).anySatisfy(a -> {
      assertThat(a.getString("id")).isEqualTo("good");
      assertThat(a.getJsonObject("prediction").getString("risk_tier")).isNotBlank();
    });
    TestServer.await(ws.close());
  }

  @Test
  void aBinaryFrameAndAnEmptyBurstGetTheirOwnErrorsWithTheConnectionsId() {
    WebSocket ws = connect();
    List<JsonObject> answers = new CopyOnWriteArrayList<>();
    Promise<Void> two = Promise.promise();
    ws.textMessageHandler(text -> StreamFrames.each(text, answer -> {
      answers.add(answer);
      if (answers.size() == 2) {
        two.tryComplete();
      }
    }));
    ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(TestServer.EXAMPLE));
    ws.writeTextMessage("[]");
    TestServer.await(two.future());
    assertThat(answers).extracting(a -> a.getJsonObject("error").getInteger("status"))
        .containsExactlyInAnyOrder(400, 422);
    assertThat(answers).allSatisfy(a -> assertThat(a.getJsonObject("error").getString("correlation_id"))
        .isNotBlank());
    assertThat(ws.isClosed()).isFalse();
    TestServer.await(ws.close());
  }

  @Test
  void aClientThatDoesNotReadIsPausedWhileOthersAreServedAndLosesNothing() {
    int sent = 60_000;
    AtomicInteger scored = new AtomicInteger();
    var counter = server.vertx().eventBus().<JsonObject>consumer(io.churnserving.events.PredictionEvents.PREDICTIONS,
        m -> {
          if (m.body().getString("correlation_id", "").endsWith("/slow")) {
            scored.incrementAndGet();
          }
        });
    TestServer.await(counter.completion());
    WebSocket slow = TestServer.await(client.connect(options(PATH).addHeader("X-API-Key", TestServer.KEY)));
    AtomicInteger answers = new AtomicInteger();
    Promise<Void> allAnswered = Promise.promise();
    slow.textMessageHandler(t -> {
      if (answers.incrementAndGet() == sent) {
        allAnswered.tryComplete();
      }
    });
    slow.pause(); // reads nothing: its answers pile up in the server's socket, then the server must stop reading
    String message = new JsonObject().put("id", "slow").put("instance", instance(3)).encode();
    for (int i = 0; i < sent; i++) {
      slow.writeTextMessage(message);
    }
    // Wait until the server's reading has stalled: the count of scored messages stops moving.
    int last = -1;
    while (scored.get() != last) {
      last = scored.get();
      TestServer.await(server.vertx().timer(300));
    }
    assertThat(last).as("the server stopped reading the silent client").isLessThan(sent);

    WebSocket other = connect();
    Promise<JsonObject> otherAnswer = Promise.promise();
    other.textMessageHandler(t -> otherAnswer.tryComplete(new JsonObject(t)));
    other.writeTextMessage(new JsonObject().put("id", "other").put("instance", instance(5)).encode());
    assertThat(TestServer.await(otherAnswer.future()).getJsonObject("prediction")).isNotNull();

    slow.resume();
    TestServer.await(allAnswered.future());
    assertThat(answers.get()).isEqualTo(sent);
    TestServer.await(counter.unregister());
    TestServer.await(other.close());
    TestServer.await(slow.close());
  }

  @Test
  void aMessageOverTheLimitClosesWith1009() {
    WebSocket ws = connect();
    Promise<Short> closed = Promise.promise();
    ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
    ws.writeTextMessage("{\"id\": \"big\", \"pad\": \"" + "x".repeat(70 * 1024) + "\"}");
    assertThat(TestServer.await(closed.future())).isEqualTo((short) 1009);
  }

  @Test
  void anIdleConnectionClosesWith1001() {
    WebSocket ws = connect();
    Promise<Short> closed = Promise.promise();
    ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
    assertThat(TestServer.await(closed.future())).isEqualTo((short) 1001);
  }
}
