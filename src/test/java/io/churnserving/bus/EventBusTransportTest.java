package io.churnserving.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.events.PredictionEvents;
import io.churnserving.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** churn.predict, churn.predictions and the drift monitor, on the real server's event bus. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventBusTransportTest {
  TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start("EVENTS_SAMPLE_PERCENT", "100");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void requestReplyAnswersAsHttpDoes() {
    JsonObject instance = new JsonObject(TestServer.EXAMPLE);
    JsonObject reply = TestServer.await(server.vertx().eventBus().<JsonObject>request(PredictConsumerVerticle.ADDRESS,
        instance, new DeliveryOptions().addHeader("correlation_id", "bus-1"))).body();
    double http = server.postJson("/predict", TestServer.EXAMPLE).bodyAsJsonObject()
        .getDouble("churn_probability");
    assertThat(reply.getDouble("churn_probability")).isEqualTo(http);
    assertThat(reply.getString("risk_tier")).isEqualTo("high");
  }

  @Test
  void anInvalidInstanceFailsWith422AndTheFieldErrors() {
    Throwable failure = server.vertx().eventBus().request(PredictConsumerVerticle.ADDRESS,
            new JsonObject().put("tenure_months", 0), new DeliveryOptions().addHeader("correlation_id", "bus-2"))
        .toCompletionStage().toCompletableFuture().handle((r, e) -> e).join();
    assertThat(failure).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureCode()).isEqualTo(422);
      JsonObject problem = new JsonObject(e.getMessage());
      assertThat(problem.getString("correlation_id")).isEqualTo("bus-2");
      assertThat(problem.getJsonArray("errors").getJsonObject(0).getJsonArray("loc"))
          .containsExactly("body", "tenure_months");
    });
  }

  @Test
  void everyPredictionIsPublishedAndTheMonitorCountsIt() {
    Promise<JsonObject> seen = Promise.promise();
    var subscriber = server.vertx().eventBus().<JsonObject>consumer(PredictionEvents.PREDICTIONS, m -> {
      if ("pub-1".equals(m.body().getString("correlation_id"))) {
        seen.tryComplete(m.body());
      }
    });
    TestServer.await(subscriber.completion());
    long before = monitorCount();
    var response = TestServer.await(server.request(HttpMethod.POST, "/predict")
        .putHeader("Content-Type", "application/json").putHeader("X-Request-ID", "pub-1")
        .sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
    JsonObject event = TestServer.await(seen.future());
    assertThat(event.getString("transport")).isEqualTo("http");
    assertThat(event.getString("model")).isEqualTo("churn");
    assertThat(event.getString("model_version")).isEqualTo("1");
    assertThat(event.getJsonObject("instance").getString("internet_service")).isEqualTo("Fiber");
    assertThat(event.getJsonObject("prediction").getDouble("churn_probability"))
        .isEqualTo(response.bodyAsJsonObject().getDouble("churn_probability"));
    assertThat(event.getDouble("latency_ms")).isNotNegative();
    TestServer.await(subscriber.unregister());

    long after = monitorCount();
    assertThat(after).isGreaterThan(before);
    JsonObject monitor = TestServer.await(server.request(HttpMethod.GET, "/v1/models/churn/monitor").send())
        .bodyAsJsonObject();
    assertThat(monitor.getJsonObject("risk_tiers").getLong("high")).isPositive();
    assertThat(monitor.getJsonArray("churn_probability_histogram")).hasSize(10);
  }

  /** Version 1's example plus the two inputs version 2 adds. */
  static final JsonObject V2 = new JsonObject(TestServer.EXAMPLE).put("support_calls", 4)
      .put("payment_method", "electronic_check");

  private JsonObject ask(Object body, String correlationId) {
    return TestServer.await(server.vertx().eventBus().<JsonObject>request(PredictConsumerVerticle.ADDRESS, body,
        new DeliveryOptions().addHeader("correlation_id", correlationId))).body();
  }

  private ReplyException refusal(Object body) {
    Throwable failure = server.vertx().eventBus().request(PredictConsumerVerticle.ADDRESS, body)
        .toCompletionStage().toCompletableFuture().handle((r, e) -> e).join();
    assertThat(failure).isInstanceOf(ReplyException.class);
    return (ReplyException) failure;
  }

  @Test
  void anEnvelopeNamesTheModelAndVersionAndEachDefaults() {
    JsonObject v2 = ask(new JsonObject().put("model", "churn").put("version", "2").put("instance", V2), "bus-v2");
    assertThat(v2.getString("model_version")).isEqualTo("2");
    double http = server.postJson("/v1/models/churn/versions/2:predict", "{\"instances\": [" + V2.encode() + "]}")
        .bodyAsJsonObject().getJsonArray("predictions").getJsonObject(0).getDouble("churn_probability");
    assertThat(v2.getDouble("churn_probability")).isEqualTo(http);
    // Without the model, the default model; without the version, its default (stable = 1); a label names a version.
    assertThat(ask(new JsonObject().put("version", "2").put("instance", V2), "bus-v2b").getString("model_version"))
        .isEqualTo("2");
    assertThat(ask(new JsonObject().put("model", "churn").put("instance", new JsonObject(TestServer.EXAMPLE)),
        "bus-def").getString("model_version")).isEqualTo("1");
    assertThat(ask(new JsonObject().put("version", "stable").put("instance", new JsonObject(TestServer.EXAMPLE)),
        "bus-stable").getString("model_version")).isEqualTo("1");
    // The envelope as text decoded by the consumer, not only as a JsonObject.
    assertThat(ask(new JsonObject("{\"version\": \"2\", \"instance\": " + V2.encode() + "}"), "bus-text")
        .getString("model_version")).isEqualTo("2");
  }

  @Test
  void version2RefusesVersion1sInstanceWithItsOwnMissingFields() {
    ReplyException e = refusal(new JsonObject().put("version", "2").put("instance", new JsonObject(TestServer.EXAMPLE)));
    assertThat(e.failureCode()).isEqualTo(422);
    assertThat(new JsonObject(e.getMessage()).getJsonArray("errors").stream()
        .map(error -> ((JsonObject) error).getJsonArray("loc").encode()))
        .containsExactlyInAnyOrder("[\"body\",\"instance\",\"support_calls\"]",
            "[\"body\",\"instance\",\"payment_method\"]");
  }

  @Test
  void anUnknownModelVersionOrLabelFailsWith404() {
    for (JsonObject body : java.util.List.of(
        new JsonObject().put("model", "nope").put("instance", new JsonObject(TestServer.EXAMPLE)),
        new JsonObject().put("version", "9").put("instance", new JsonObject(TestServer.EXAMPLE)),
        new JsonObject().put("model", "churn").put("version", "canary")
            .put("instance", new JsonObject(TestServer.EXAMPLE)))) {
      ReplyException e = refusal(body);
      assertThat(e.failureCode()).as(body.encode()).isEqualTo(404);
      assertThat(new JsonObject(e.getMessage()).getString("type")).endsWith("model-not-found");
    }
  }

  @Test
  void aMalformedEnvelopeFailsWith422NamingEachField() {
    ReplyException e = refusal(new JsonObject().put("model", 7).put("version", true).put("colour", "red")
        .put("instance", new JsonObject(TestServer.EXAMPLE)));
    assertThat(e.failureCode()).isEqualTo(422);
    assertThat(new JsonObject(e.getMessage()).getJsonArray("errors").stream()
        .map(error -> ((JsonObject) error).getJsonArray("loc").encode()))
        .containsExactlyInAnyOrder("[\"body\",\"model\"]", "[\"body\",\"version\"]", "[\"body\",\"colour\"]");
  }

  @Test
  void eventsNameTheModelAndTheMonitorKeepsAWindowPerModelVersion() {
    Promise<JsonObject> seen = Promise.promise();
    var subscriber = server.vertx().eventBus().<JsonObject>consumer(PredictionEvents.PREDICTIONS, m -> {
      if ("pub-v2".equals(m.body().getString("correlation_id"))) {
        seen.tryComplete(m.body());
      }
    });
    TestServer.await(subscriber.completion());
    ask(new JsonObject().put("version", "2").put("instance", V2), "pub-v2");
    JsonObject event = TestServer.await(seen.future());
    TestServer.await(subscriber.unregister());
    assertThat(event.getString("transport")).isEqualTo("eventbus");
    assertThat(event.getString("model")).isEqualTo("churn");
    assertThat(event.getString("model_version")).isEqualTo("2");

    server.postJson("/predict", TestServer.EXAMPLE);
    monitorCount();
    JsonObject monitor = TestServer.await(server.request(HttpMethod.GET, "/v1/models/churn/monitor").send())
        .bodyAsJsonObject();
    assertThat(monitor.getString("model")).isEqualTo("churn");
    JsonObject versions = monitor.getJsonObject("versions");
    assertThat(versions.getJsonObject("2").getLong("count")).isPositive();
    assertThat(versions.getJsonObject("1").getLong("count")).isPositive();
    assertThat(monitor.getLong("count")).as("the model's window is its versions' summed")
        .isEqualTo(versions.getJsonObject("1").getLong("count") + versions.getJsonObject("2").getLong("count"));

    var unknown = TestServer.await(server.request(HttpMethod.GET, "/v1/models/nope/monitor").send());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("type")).endsWith("model-not-found");
    String scrape = server.get("/metrics").bodyAsString();
    assertThat(scrape).contains("drift_window_predictions{model=\"churn\",version=\"2\"}")
        .contains("drift_window_predictions{model=\"churn\",version=\"1\"}");
  }

  private long monitorCount() {
    // The monitor receives events asynchronously; ask until it has caught up with what was sent.
    long count = -1;
    for (int i = 0; i < 50; i++) {
      long now = TestServer.await(server.request(HttpMethod.GET, "/v1/models/churn/monitor").send())
          .bodyAsJsonObject().getLong("count");
      if (now == count) {
        return now;
      }
      count = now;
      TestServer.await(server.vertx().timer(20));
    }
    return count;
  }
}
