package io.churnserving.http;

import static io.churnserving.support.Problems.assertProblem;
import static io.churnserving.support.Problems.locTypes;
import static io.churnserving.support.Problems.msgAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every way a request can be refused, each answered with its 4xx problem. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestErrorsTest {
  TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private JsonObject invalid(String body) {
    return assertProblem(server.postJson("/predict", body), 422);
  }

  @Test
  void everyFailingFieldIsReportedAtOnceInFastApiForm() {
    JsonObject problem = invalid("{\"tenure_months\": 0, \"monthly_charges\": 0, \"contract_type\": \"weekly\", "
        + "\"num_products\": 9, \"internet_service\": \"Cable\"}");
    assertThat(locTypes(problem)).containsExactlyInAnyOrder(
        "body.tenure_months:greater_than_equal", "body.monthly_charges:greater_than",
        "body.contract_type:literal_error", "body.num_products:less_than_equal",
        "body.internet_service:literal_error");
    assertThat(msgAt(problem, "body.tenure_months")).isEqualTo("Input should be greater than or equal to 1");
    assertThat(msgAt(problem, "body.contract_type"))
        .isEqualTo("Input should be 'month-to-month', 'one_year' or 'two_year'");
    assertThat(problem.getString("type")).contains("validation");
  }

  @Test
  void aStreamKeyInAQueryStringThatCannotBeDecodedIsA400NotA500() {
    JsonObject problem = assertProblem(server.get("/v1/models/churn/stream?api_key=%zz"), 400);
    assertThat(problem.getString("detail")).startsWith("The query string cannot be decoded");
  }

  @Test
  void missingFieldsAreEachNamed() {
    assertThat(locTypes(invalid("{}"))).containsExactlyInAnyOrder("body.tenure_months:missing",
        "body.monthly_charges:missing", "body.contract_type:missing", "body.num_products:missing");
  }

  @Test
  void jsonTypesAreStrict() {
    String rest = ", \"monthly_charges\": 50, \"contract_type\": \"one_year\", \"num_products\": 1}";
    assertThat(locTypes(invalid("{\"tenure_months\": \"24\"" + rest))).containsExactly("body.tenure_months:int_type");
    assertThat(locTypes(invalid("{\"tenure_months\": true" + rest))).containsExactly("body.tenure_months:int_type");
    assertThat(locTypes(invalid("{\"tenure_months\": 24.5" + rest)))
        .containsExactly("body.tenure_months:int_from_float");
    assertThat(locTypes(invalid("{\"tenure_months\": null" + rest))).containsExactly("body.tenure_months:int_type");
    assertThat(locTypes(invalid("{\"tenure_months\": 12, \"monthly_charges\": \"50\", \"contract_type\": "
        + "\"one_year\", \"num_products\": 1}"))).containsExactly("body.monthly_charges:float_type");
  }

  @Test
  void overflowingNumbersAreRejected() {
    JsonObject problem = invalid("{\"tenure_months\": 12, \"monthly_charges\": 1e400, \"contract_type\": "
        + "\"one_year\", \"num_products\": 1}");
    assertThat(locTypes(problem)).containsExactly("body.monthly_charges:finite_number");
  }

  @Test
  void unknownFieldsAreRejected() {
    JsonObject problem = invalid("{\"tenure_months\": 12, \"monthly_charges\": 50, \"contract_type\": "
        + "\"one_year\", \"num_products\": 1, \"coupon\": \"FREE\"}");
    assertThat(locTypes(problem)).containsExactly("body.coupon:extra_forbidden");
  }

  @Test
  void chargesBelowTheMinimumPlanGetTheOriginalMessage() {
    JsonObject problem = invalid("{\"tenure_months\": 12, \"monthly_charges\": 5.0, \"contract_type\": "
        + "\"one_year\", \"num_products\": 1}");
    assertThat(locTypes(problem)).containsExactly("body.monthly_charges:value_error");
    assertThat(msgAt(problem, "body.monthly_charges")).contains("monthly_charges=5.0 is below our minimum plan of $18");
  }

  @Test
  void theMinimumPlanIsReportedTogetherWithOtherFieldErrors() {
    JsonObject problem = invalid("{\"tenure_months\": \"24\", \"monthly_charges\": 5, \"contract_type\": "
        + "\"weekly\", \"num_products\": 2}");
    assertThat(locTypes(problem)).containsExactlyInAnyOrder("body.tenure_months:int_type", "body.monthly_charges:value_error",
        "body.contract_type:literal_error");
  }

  @Test
  void aBodyThatIsNotAnObjectIsRefused() {
    assertThat(locTypes(invalid("[1, 2]"))).containsExactly("body:model_attributes_type");
  }

  @Test
  void malformedJsonIs400() {
    assertProblem(server.postJson("/predict", "{\"tenure_months\": "), 400);
    assertProblem(server.postJson("/predict", "{\"tenure_months\": 1, \"tenure_months\": 2}"), 400);
    assertProblem(server.postJson("/predict", "{\"monthly_charges\": NaN}"), 400);
    assertProblem(server.postJson("/predict", ""), 400);
  }

  @Test
  void aBodyThatIsNotJsonIs415() {
    var response = TestServer.await(server.request(HttpMethod.POST, "/predict")
        .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("a=1")));
    assertProblem(response, 415);
    assertProblem(TestServer.await(server.request(HttpMethod.POST, "/predict").sendBuffer(Buffer.buffer("{}"))),
        415);
  }

  @Test
  void aBodyOverTheLimitIs413() {
    String big = "{\"pad\": \"" + "x".repeat(70 * 1024) + "\"}";
    assertProblem(server.postJson("/predict", big), 413);
    String bigBatch = "{\"instances\": [], \"pad\": \"" + "x".repeat(1100 * 1024) + "\"}";
    assertProblem(server.postJson("/v1/models/churn:predict", bigBatch), 413);
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405() {
    assertProblem(server.get("/nope"), 404);
    assertProblem(server.get("/predict"), 405);
    assertProblem(TestServer.await(server.request(HttpMethod.GET, "/v1/models/churn:predict").send()), 405);
    assertProblem(server.postJson("/v1/models/other:predict", "{\"instances\": []}"), 404);
  }

  @Test
  void aWrongOrMissingKeyIs401AndHealthNeedsNone() {
    var noKey = TestServer.await(server.client().post("/predict").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(PredictApiTest.EXAMPLE)));
    assertProblem(noKey, 401);
    var wrongKey = TestServer.await(server.client().post("/predict").putHeader("X-API-Key", "dev-key2")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(PredictApiTest.EXAMPLE)));
    assertProblem(wrongKey, 401);
    assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
  }
}
