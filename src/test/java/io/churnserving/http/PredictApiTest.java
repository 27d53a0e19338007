package io.churnserving.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictApiTest {
  static final String EXAMPLE = TestServer.EXAMPLE;

  TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void theExampleCustomerIsScoredWithEveryFieldOfTheAnswer() {
    var response = server.postJson("/predict", EXAMPLE);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("churn_probability", "churn_prediction", "risk_tier",
        "model_version", "predicted_at", "recommendation");
    double p = body.getDouble("churn_probability");
    assertThat(p).isBetween(0.6, 0.75);
    assertThat(body.getBoolean("churn_prediction")).isTrue();
    assertThat(body.getString("risk_tier")).isEqualTo("high");
    assertThat(body.getString("recommendation")).isEqualTo("Immediate retention offer — 20% discount");
    assertThat(body.getString("model_version")).isEqualTo("1");
    assertThat(body.getString("predicted_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(Instant.parse(body.getString("predicted_at"))).isCloseTo(Instant.now(),
        within(60, java.time.temporal.ChronoUnit.SECONDS));
  }

  @Test
  void tiersAndRecommendationsFollowTheModelThresholds() {
    String loyal = "{\"tenure_months\": 110, \"monthly_charges\": 20, \"contract_type\": \"two_year\", "
        + "\"num_products\": 6, \"internet_service\": \"None\"}";
    JsonObject low = server.postJson("/predict", loyal).bodyAsJsonObject();
    assertThat(low.getDouble("churn_probability")).isLessThan(0.3);
    assertThat(low.getString("risk_tier")).isEqualTo("low");
    assertThat(low.getBoolean("churn_prediction")).isFalse();
    assertThat(low.getString("recommendation")).isEqualTo("Standard engagement — no action required");

    for (int tenure = 1; tenure <= 120; tenure += 7) {
      JsonObject b = server.postJson("/predict", "{\"tenure_months\": " + tenure + ", \"monthly_charges\": 70, "
          + "\"contract_type\": \"one_year\", \"num_products\": 1}").bodyAsJsonObject();
      double p = b.getDouble("churn_probability");
      String tier = p >= 0.6 ? "high" : p >= 0.3 ? "medium" : "low";
      assertThat(b.getString("risk_tier")).isEqualTo(tier);
      assertThat(b.getBoolean("churn_prediction")).isEqualTo(p >= 0.5);
      if (tier.equals("medium")) {
        assertThat(b.getString("recommendation")).isEqualTo("Proactive check-in call within 7 days");
      }
    }
  }

  @Test
  void internetServiceDefaultsToDslAndChargesAreRoundedBeforeScoring() {
    String base = "\"tenure_months\": 12, \"contract_type\": \"month-to-month\", \"num_products\": 2";
    double withoutService = server.postJson("/predict", "{" + base + ", \"monthly_charges\": 50}")
        .bodyAsJsonObject().getDouble("churn_probability");
    double withDsl = server.postJson("/predict", "{" + base + ", \"monthly_charges\": 50, "
        + "\"internet_service\": \"DSL\"}").bodyAsJsonObject().getDouble("churn_probability");
    assertThat(withoutService).isEqualTo(withDsl);

    double rounded = server.postJson("/predict", "{" + base + ", \"monthly_charges\": 50.004}")
        .bodyAsJsonObject().getDouble("churn_probability");
    assertThat(rounded).isEqualTo(withDsl);
  }

  @Test
  void anIntegerWrittenAsAWholeFloatIsAccepted() {
    var response = server.postJson("/predict", "{\"tenure_months\": 24.0, \"monthly_charges\": 79.5, "
        + "\"contract_type\": \"month-to-month\", \"num_products\": 2.0, \"internet_service\": \"Fiber\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getDouble("churn_probability"))
        .isEqualTo(server.postJson("/predict", EXAMPLE).bodyAsJsonObject().getDouble("churn_probability"));
  }
}
