package io.churnserving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.observability.LogLevels;
import io.churnserving.support.Faults;
import io.churnserving.support.LogCapture;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One correlation ID per request, from the client or made up, echoed and written on every log line of it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorrelationIdTest {
  TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start("LOG_LEVEL", "DEBUG");
  }

  @AfterAll
  void stop() {
    server.close();
    LogLevels.applyRoot("INFO");
  }

  private HttpResponse<Buffer> predictWithId(String id) {
    var request = server.request(HttpMethod.POST, "/predict").putHeader("Content-Type", "application/json");
    if (id != null) {
      request.putHeader("X-Request-ID", id);
    }
    return TestServer.await(request.sendBuffer(Buffer.buffer(PredictApiTest.EXAMPLE)));
  }

  @Test
  void aWellFormedClientIdIsEchoedOnAnswersAndErrors() {
    assertThat(predictWithId("order-42.retry_1").getHeader("X-Request-ID")).isEqualTo("order-42.retry_1");
    var error = TestServer.await(server.request(HttpMethod.POST, "/predict").putHeader("X-Request-ID", "abc")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}")));
    assertThat(error.getHeader("X-Request-ID")).isEqualTo("abc");
    assertThat(error.bodyAsJsonObject().getString("correlation_id")).isEqualTo("abc");
    assertThat(TestServer.await(server.client().get("/nowhere").putHeader("X-Request-ID", "lost-1").send())
        .getHeader("X-Request-ID")).isEqualTo("lost-1");
  }

  @Test
  void aMissingOrMalformedIdIsReplacedByAFreshOne() {
    for (String bad : new String[] {null, "", "has space", "x".repeat(129), "semi;colon", "ünïcode"}) {
      String id = predictWithId(bad).getHeader("X-Request-ID");
      assertThat(id).as("for %s", bad).matches("[0-9a-f]{16}");
    }
    assertThat(predictWithId("x".repeat(128)).getHeader("X-Request-ID")).isEqualTo("x".repeat(128));
  }

  @Test
  void everyLogLineOfARequestCarriesItsOwnIdOnBothSidesOfTheEventBus() {
    List<JsonObject> lines;
    Map<String, Double> answers;
    try (LogCapture logs = new LogCapture()) {
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String body = "{\"tenure_months\": " + (i + 1) + ", \"monthly_charges\": " + (20 + i) + ", "
            + "\"contract_type\": \"month-to-month\", \"num_products\": 1}";
        sent.add(server.request(HttpMethod.POST, "/predict").putHeader("Content-Type", "application/json")
            .putHeader("X-Request-ID", "req-" + i).sendBuffer(Buffer.buffer(body)));
      }
      List<HttpResponse<Buffer>> responses = TestServer.await(Future.all(sent)).list();
      answers = responses.stream().collect(Collectors.toMap(r -> r.getHeader("X-Request-ID"),
          r -> r.bodyAsJsonObject().getDouble("churn_probability")));
      // The handler logs its line just after the answer is written, so the client can see the answer first.
      Faults.eventually(() -> logs.json().stream()
          .filter(l -> PredictHandler.class.getName().equals(l.getString("logger"))).count() >= 40);
      lines = logs.json();
      assertThat(logs.raw()).noneMatch(l -> l.contains(TestServer.KEY));
    }
    for (int i = 0; i < 40; i++) {
      String id = "req-" + i;
      double p = answers.get(id);
      assertThat(lines).as("HTTP line of %s", id).anySatisfy(l -> {
        assertThat(l.getString("correlation_id")).isEqualTo(id);
        assertThat(l.getString("logger")).isEqualTo(PredictHandler.class.getName());
        assertThat(l.getDouble("churn_probability")).isEqualTo(p, org.assertj.core.data.Offset.offset(1e-6));
      });
      assertThat(lines).as("worker line of %s", id).anySatisfy(l -> {
        assertThat(l.getString("correlation_id")).isEqualTo(id);
        assertThat(l.getString("logger")).isEqualTo("io.churnserving.scoring.ScoringVerticle");
        assertThat(l.getDouble("churn_probability")).isEqualTo(p, org.assertj.core.data.Offset.offset(1e-6));
      });
    }
    assertThat(lines).allSatisfy(l -> assertThat(l.fieldNames()).contains("timestamp", "level", "logger", "message"));
  }
}
