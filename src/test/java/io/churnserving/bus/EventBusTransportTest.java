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
