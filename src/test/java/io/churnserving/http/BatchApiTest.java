package io.churnserving.http;

import static io.churnserving.support.Problems.assertProblem;
import static io.churnserving.support.Problems.locTypes;
import static io.churnserving.support.Problems.msgAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchApiTest {
  static final int LIMIT = 300;
  TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start("MAX_BATCH_INSTANCES", Integer.toString(LIMIT));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  static JsonObject instance(int i) {
    return new JsonObject().put("tenure_months", 1 + i % 120).put("monthly_charges", 18 + (i * 7) % 130)
        .put("contract_type", List.of("month-to-month", "one_year", "two_year").get(i % 3))
        .put("num_products", 1 + i % 8).put("internet_service", List.of("DSL", "Fiber", "None").get(i % 3));
  }

  @Test
  void predictionsComeBackInOrderAndEqualSinglePredictions() {
    JsonArray instances = new JsonArray();
    for (int i = 0; i < LIMIT; i++) {
      instances.add(instance(i));
    }
    var response = server.postJson("/v1/models/churn:predict", new JsonObject().put("instances", instances).encode());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("model_name")).isEqualTo("churn");
    assertThat(body.getString("model_version")).isEqualTo("1");
    JsonArray predictions = body.getJsonArray("predictions");
    assertThat(predictions).hasSize(LIMIT);
    for (int i = 0; i < LIMIT; i += 37) {
      JsonObject single = server.postJson("/predict", instance(i).encode()).bodyAsJsonObject();
      assertThat(predictions.getJsonObject(i).getDouble("churn_probability"))
          .as("instance %d", i).isEqualTo(single.getDouble("churn_probability"));
    }
    var versioned = server.postJson("/v1/models/churn/versions/1:predict",
        new JsonObject().put("instances", new JsonArray().add(instance(0))).encode());
    assertThat(versioned.statusCode()).isEqualTo(200);
  }

  @Test
  void errorsNameTheIndexOfEachBadInstance() {
    JsonArray instances = new JsonArray().add(instance(0)).add(instance(1).put("tenure_months", 0)).add(instance(2))
        .add(new JsonObject().put("contract_type", "x"));
    JsonObject problem = assertProblem(server.postJson("/v1/models/churn:predict",
        new JsonObject().put("instances", instances).encode()), 422);
    assertThat(locTypes(problem)).contains("body.instances.1.tenure_months:greater_than_equal",
        "body.instances.3.tenure_months:missing", "body.instances.3.contract_type:literal_error");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getJsonArray("loc").getValue(2)).isInstanceOf(Integer.class);
  }

  @Test
  void theInstanceCountIsBounded() {
    List<JsonObject> many = new ArrayList<>();
    for (int i = 0; i <= LIMIT; i++) {
      many.add(instance(i));
    }
    JsonObject tooMany = assertProblem(server.postJson("/v1/models/churn:predict",
        new JsonObject().put("instances", new JsonArray(new ArrayList<>(many))).encode()), 422);
    assertThat(locTypes(tooMany)).containsExactly("body.instances:too_long");
    assertThat(msgAt(tooMany, "body.instances")).contains("at most " + LIMIT);

    assertThat(locTypes(assertProblem(server.postJson("/v1/models/churn:predict", "{\"instances\": []}"), 422)))
        .containsExactly("body.instances:too_short");
    assertThat(locTypes(assertProblem(server.postJson("/v1/models/churn:predict", "{}"), 422)))
        .containsExactly("body.instances:missing");
    assertThat(locTypes(assertProblem(server.postJson("/v1/models/churn:predict", "{\"instances\": 3}"), 422)))
        .containsExactly("body.instances:list_type");
  }
}
