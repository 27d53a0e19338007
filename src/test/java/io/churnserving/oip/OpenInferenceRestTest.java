package io.churnserving.oip;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Open Inference Protocol over REST against the real server (churn 1 and 2, stable = 1): requests shaped as the
 * specification's examples, with churn's fields for the example's tensors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenInferenceRestTest {
  TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start("MAX_BATCH_BODY_BYTES", "20000");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** The specification's inference request example, with churn's inputs: two rows, one output asked for. */
  static JsonObject twoRows() {
    return new JsonObject().put("id", "42").put("inputs", new JsonArray()
            .add(input("tenure_months", "INT64", new JsonArray().add(24).add(3)))
            .add(input("monthly_charges", "FP32", new JsonArray().add(79.5).add(105.2)))
            .add(input("contract_type", "BYTES", new JsonArray().add("month-to-month").add("two_year")))
            .add(input("num_products", "INT32", new JsonArray().add(2).add(1)))
            .add(input("internet_service", "BYTES", new JsonArray().add("Fiber").add("DSL"))))
        .put("outputs", new JsonArray().add(new JsonObject().put("name", "churn_probability")));
  }

  static JsonObject input(String name, String datatype, JsonArray data) {
    return new JsonObject().put("name", name).put("shape", new JsonArray().add(data.size())).put("datatype", datatype)
        .put("data", data);
  }

  static JsonObject singleRow() {
    JsonObject request = twoRows();
    request.remove("outputs");
    for (Object o : request.getJsonArray("inputs")) {
      JsonObject input = (JsonObject) o;
      input.put("shape", new JsonArray().add(1)).put("data", new JsonArray().add(input.getJsonArray("data").getValue(0)));
    }
    return request;
  }

  HttpResponse<Buffer> infer(String path, JsonObject body) {
    return server.postJson(path, body.encode());
  }

  static JsonObject output(JsonObject answer, String name) {
    for (Object o : answer.getJsonArray("outputs")) {
      if (((JsonObject) o).getString("name").equals(name)) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no output " + name + " in " + answer);
  }

  static String error(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.getHeader("X-Request-ID")).isNotBlank();
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactly("error");
    return body.getString("error");
  }

  @Test
  void serverMetadataListsTheRepositoryExtension() {
    JsonObject metadata = server.get("/v2").bodyAsJsonObject();
    assertThat(metadata.getString("name")).isNotBlank();
    assertThat(metadata.getString("version")).isNotBlank();
    assertThat(metadata.getJsonArray("extensions")).containsExactly("model_repository", "binary_tensor_data");
  }

  @Test
  void modelMetadataDescribesTheNamedInputsAndTheOutputs() {
    var response = TestServer.await(server.request(HttpMethod.GET, "/v2/models/churn").send());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject metadata = response.bodyAsJsonObject();
    assertThat(metadata.getString("name")).isEqualTo("churn");
    assertThat(metadata.getString("platform")).isEqualTo("onnx_onnxv1");
    assertThat(metadata.getJsonArray("versions")).containsExactly("1", "2");
    Set<String> inputs = metadata.getJsonArray("inputs").stream().map(o -> (JsonObject) o)
        .map(t -> t.getString("name") + ":" + t.getString("datatype") + ":" + t.getJsonArray("shape").encode())
        .collect(Collectors.toSet());
    assertThat(inputs).containsExactlyInAnyOrder("tenure_months:INT64:[-1]", "monthly_charges:FP64:[-1]",
        "contract_type:BYTES:[-1]", "num_products:INT64:[-1]", "internet_service:BYTES:[-1]", "input:FP32:[-1,9]");
    List<String> outputs = metadata.getJsonArray("outputs").stream().map(o -> (JsonObject) o)
        .map(t -> t.getString("name") + ":" + t.getString("datatype") + ":" + t.getJsonArray("shape").encode())
        .toList();
    assertThat(outputs).containsExactly("probabilities:FP32:[-1,2]", "churn_probability:FP32:[-1]",
        "churn_prediction:BOOL:[-1]", "risk_tier:BYTES:[-1]");
    var versioned = TestServer.await(server.request(HttpMethod.GET, "/v2/models/churn/versions/2").send());
    assertThat(versioned.statusCode()).isEqualTo(200);
    assertThat(versioned.bodyAsJsonObject().getString("name")).isEqualTo("churn");
  }

  @Test
  void readinessOfTheModelAndOfAVersion() {
    for (String path : List.of("/v2/models/churn/ready", "/v2/models/churn/versions/2/ready")) {
      var response = TestServer.await(server.request(HttpMethod.GET, path).send());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("name", "churn").put("ready", true));
    }
    assertThat(error(TestServer.await(server.request(HttpMethod.GET, "/v2/models/churn/versions/9/ready").send()),
        404)).contains("9");
    assertThat(error(TestServer.await(server.request(HttpMethod.GET, "/v2/models/nope/ready").send()), 404))
        .contains("nope");
  }

  @Test
  void namedColumnsAreScoredAsPredictScoresThemWithTheIdEchoedAndTheOutputAskedFor() {
    var response = infer("/v2/models/churn/infer", twoRows());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getString("model_name")).isEqualTo("churn");
    assertThat(answer.getString("model_version")).isEqualTo("1");
    assertThat(answer.getString("id")).isEqualTo("42");
    assertThat(answer.getJsonArray("outputs")).hasSize(1);
    JsonObject probability = output(answer, "churn_probability");
    assertThat(probability.getString("datatype")).isEqualTo("FP32");
    assertThat(probability.getJsonArray("shape")).isEqualTo(new JsonArray().add(2));
    JsonObject first = server.postJson("/predict", TestServer.EXAMPLE).bodyAsJsonObject();
    assertThat(probability.getJsonArray("data").getDouble(0)).isEqualTo(first.getDouble("churn_probability"));
  }

  @Test
  void everyOutputComesBackWhenNoneIsAskedFor() {
    JsonObject answer = infer("/v2/models/churn/infer", singleRow()).bodyAsJsonObject();
    JsonObject single = server.postJson("/predict", TestServer.EXAMPLE).bodyAsJsonObject();
    assertThat(answer.getJsonArray("outputs").stream().map(o -> ((JsonObject) o).getString("name")))
        .containsExactly("probabilities", "churn_probability", "churn_prediction", "risk_tier");
    JsonObject probabilities = output(answer, "probabilities");
    assertThat(probabilities.getJsonArray("shape")).isEqualTo(new JsonArray().add(1).add(2));
    double p = single.getDouble("churn_probability");
    // Version 1's labels are ["true", "false"]: the churn column comes first.
    assertThat(probabilities.getJsonArray("data").getDouble(0)).isEqualTo(p);
    assertThat(probabilities.getJsonArray("data").getDouble(1)).isCloseTo(1 - p, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(output(answer, "churn_prediction").getString("datatype")).isEqualTo("BOOL");
    assertThat(output(answer, "churn_prediction").getJsonArray("data").getBoolean(0))
        .isEqualTo(single.getBoolean("churn_prediction"));
    assertThat(output(answer, "risk_tier").getJsonArray("data").getString(0)).isEqualTo(single.getString("risk_tier"));
  }

  @Test
  void nestedDataAndColumnShapesAreRead() {
    JsonObject request = twoRows();
    for (Object o : request.getJsonArray("inputs")) {
      JsonObject input = (JsonObject) o;
      JsonArray nested = new JsonArray();
      input.getJsonArray("data").forEach(v -> nested.add(new JsonArray().add(v)));
      input.put("shape", new JsonArray().add(2).add(1)).put("data", nested);
    }
    var nested = infer("/v2/models/churn/infer", request);
    assertThat(nested.statusCode()).as(nested.bodyAsString()).isEqualTo(200);
    assertThat(output(nested.bodyAsJsonObject(), "churn_probability").getJsonArray("data"))
        .isEqualTo(output(infer("/v2/models/churn/infer", twoRows()).bodyAsJsonObject(), "churn_probability")
            .getJsonArray("data"));
  }

  @Test
  void aVersionIsScoredByItsPathWithItsOwnInputs() {
    // Version 2 takes one field more than version 1.
    assertThat(error(infer("/v2/models/churn/versions/2/infer", twoRows()), 400)).contains("'support_calls' is missing")
        .contains("'payment_method' is missing");
    JsonObject request = twoRows();
    request.getJsonArray("inputs").add(input("support_calls", "INT64", new JsonArray().add(0).add(4)))
        .add(input("payment_method", "BYTES", new JsonArray().add("credit_card").add("mailed_check")));
    var response = infer("/v2/models/churn/versions/2/infer", request);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("model_version")).isEqualTo("2");
    assertThat(response.bodyAsJsonObject().getString("id")).isEqualTo("42");
  }

  @Test
  void anOptionalInputMayBeLeftOutAndTakesItsDefault() {
    JsonObject request = twoRows();
    request.getJsonArray("inputs").remove(4);
    var without = infer("/v2/models/churn/infer", request);
    assertThat(without.statusCode()).as(without.bodyAsString()).isEqualTo(200);
  }

  @Test
  void badValuesAre400NamingTheInputAndTheRow() {
    JsonObject request = twoRows();
    request.getJsonArray("inputs").getJsonObject(0).put("data", new JsonArray().add(24).add(0));
    request.getJsonArray("inputs").getJsonObject(2).put("data", new JsonArray().add("weekly").add("two_year"));
    String message = error(infer("/v2/models/churn/infer", request), 400);
    assertThat(message).contains("input 'tenure_months', row 1").contains("input 'contract_type', row 0");
    assertThat(message).doesNotContain("row 1: input 'contract_type'");
  }

  @Test
  void requestsThatDoNotFitTheModelAre400SayingWhy() {
    JsonObject unknownInput = twoRows();
    unknownInput.getJsonArray("inputs").getJsonObject(0).put("name", "tenure");
    assertThat(error(infer("/v2/models/churn/infer", unknownInput), 400)).contains("unknown input 'tenure'");
    JsonObject missing = twoRows();
    missing.getJsonArray("inputs").remove(3);
    assertThat(error(infer("/v2/models/churn/infer", missing), 400)).contains("'num_products' is missing");
    JsonObject wrongType = twoRows();
    wrongType.getJsonArray("inputs").getJsonObject(2).put("datatype", "FP32");
    assertThat(error(infer("/v2/models/churn/infer", wrongType), 400)).contains("contract_type").contains("BYTES");
    JsonObject wrongShape = twoRows();
    wrongShape.getJsonArray("inputs").getJsonObject(1).put("shape", new JsonArray().add(3));
    assertThat(error(infer("/v2/models/churn/infer", wrongShape), 400)).contains("monthly_charges").contains("shape");
    JsonObject rows = twoRows();
    rows.getJsonArray("inputs").getJsonObject(1).put("shape", new JsonArray().add(1))
        .put("data", new JsonArray().add(20));
    assertThat(error(infer("/v2/models/churn/infer", rows), 400)).contains("monthly_charges").contains("rows");
    JsonObject unknownOutput = twoRows().put("outputs", new JsonArray().add(new JsonObject().put("name", "x")));
    assertThat(error(infer("/v2/models/churn/infer", unknownOutput), 400)).contains("unknown output 'x'");
    assertThat(error(server.postJson("/v2/models/churn/infer", "{\"inputs\": "), 400)).contains("JSON");
    assertThat(error(server.postJson("/v2/models/churn/infer", "{\"inputs\": []}"), 400)).contains("inputs");
  }

  @Test
  void unknownModelsAndVersionsAre404AndTheKeyIsChecked() {
    assertThat(error(infer("/v2/models/nope/infer", twoRows()), 404)).contains("nope");
    assertThat(error(infer("/v2/models/churn/versions/7/infer", twoRows()), 404)).contains("7");
    assertThat(error(TestServer.await(server.request(HttpMethod.GET, "/v2/models/nope").send()), 404))
        .contains("nope");
    var noKey = TestServer.await(server.client().post("/v2/models/churn/infer")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(twoRows().encode())));
    error(noKey, 401);
  }

  @Test
  void aBodyThatIsNotJsonOrTooLargeIsRefusedInTheProtocolsShape() {
    var text = TestServer.await(server.request(HttpMethod.POST, "/v2/models/churn/infer")
        .putHeader("Content-Type", "text/plain").putHeader("X-Request-ID", "oip-test-1")
        .sendBuffer(Buffer.buffer(twoRows().encode())));
    error(text, 415);
    assertThat(text.getHeader("X-Request-ID")).isEqualTo("oip-test-1");
    JsonObject large = twoRows().put("parameters", new JsonObject().put("pad", "x".repeat(30_000)));
    error(infer("/v2/models/churn/infer", large), 413);
  }

  @Test
  void theQuotaIs429WithRetryAfter() {
    try (TestServer limited = TestServer.start("RATE_LIMIT_PER_SECOND", "1", "RATE_LIMIT_BURST", "1")) {
      assertThat(limited.postJson("/v2/models/churn/infer", twoRows().encode()).statusCode()).isEqualTo(200);
      var refused = limited.postJson("/v2/models/churn/infer", twoRows().encode());
      error(refused, 429);
      assertThat(refused.getHeader("Retry-After")).isNotBlank();
    }
  }

  @Test
  void overloadIs503WithRetryAfterAndADeadlinePassedIs504() throws Exception {
    Faults faults = new Faults();
    try (TestServer faulty = TestServer.startWithFaults(faults, "HTTP_INSTANCES", "1", "SCORING_QUEUE_ROWS", "2",
        "SCORING_WORKERS", "1", "MAX_BATCH_SIZE", "1", "SCORING_TIMEOUT_MS", "60000")) {
      faults.stall();
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      sent.add(send(faulty, null));
      Faults.eventually(() -> faults.callsWaiting() == 1);
      // The second waits behind the stalled first with a deadline of its own.
      HttpResponse<Buffer> late = TestServer.await(send(faulty, "200"));
      error(late, 504);
      // The raw form waits, and times out, the same way.
      var rawLate = TestServer.await(faulty.request(HttpMethod.POST, "/v2/models/churn/infer")
          .putHeader("Content-Type", "application/json").putHeader("X-Request-Timeout-Ms", "200")
          .sendBuffer(Buffer.buffer(raw(encoded(new JsonObject(TestServer.EXAMPLE))).encode())));
      error(rawLate, 504);
      // The queue holds two rows, the stalled one and one more: of six more requests, five are refused at once.
      for (int i = 0; i < 6; i++) {
        sent.add(send(faulty, null));
      }
      Faults.eventually(() -> sent.stream().filter(Future::isComplete).count() == 5);
      List<HttpResponse<Buffer>> refused = sent.stream().filter(Future::isComplete).map(Future::result).toList();
      for (HttpResponse<Buffer> r : refused) {
        error(r, 503);
        assertThat(r.getHeader("Retry-After")).isEqualTo("1");
      }
      faults.release();
      assertThat(sent.stream().map(TestServer::await).filter(r -> r.statusCode() == 200).count()).isEqualTo(2);
    }
  }

  /** Rows encoded as version 1 encodes them, by its own encoder: what a client of the raw form sends. */
  static JsonArray encoded(JsonObject... instances) throws java.io.IOException {
    var metadata = new com.fasterxml.jackson.databind.ObjectMapper()
        .readValue(java.nio.file.Path.of("models/churn/1/metadata.json").toFile(), io.churnserving.model.ModelMetadata.class);
    var encoder = io.churnserving.model.ModelEdge.of(metadata).encoder();
    JsonArray rows = new JsonArray();
    for (JsonObject instance : instances) {
      float[] row = new float[encoder.width()];
      encoder.encode(io.churnserving.support.Rows.of(instance), row, 0);
      JsonArray values = new JsonArray();
      for (float f : row) {
        values.add(f);
      }
      rows.add(values);
    }
    return rows;
  }

  static JsonObject raw(JsonArray rows) {
    return new JsonObject().put("id", "raw-1").put("inputs", new JsonArray().add(new JsonObject().put("name", "input")
        .put("datatype", "FP32").put("shape", new JsonArray().add(rows.size()).add(rows.getJsonArray(0).size()))
        .put("data", rows)));
  }

  @Test
  void theRawTensorGoesToTheModelAsItIsAndScoresAsTheNamedFormDoes() throws Exception {
    JsonObject example = new JsonObject(TestServer.EXAMPLE);
    JsonObject other = new JsonObject().put("tenure_months", 3).put("monthly_charges", 105.2)
        .put("contract_type", "two_year").put("num_products", 1).put("internet_service", "DSL");
    var response = infer("/v2/models/churn/infer", raw(encoded(example, other)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getString("id")).isEqualTo("raw-1");
    JsonObject probabilities = output(answer, "probabilities");
    assertThat(probabilities.getJsonArray("shape")).isEqualTo(new JsonArray().add(2).add(2));
    JsonArray named = output(infer("/v2/models/churn/infer", twoRows()).bodyAsJsonObject(), "churn_probability")
        .getJsonArray("data");
    // Version 1's churn column is the first of each row.
    assertThat(probabilities.getJsonArray("data").getDouble(0)).isEqualTo(named.getDouble(0));
    assertThat(probabilities.getJsonArray("data").getDouble(2)).isEqualTo(named.getDouble(1));
    assertThat(output(answer, "churn_probability").getJsonArray("data")).isEqualTo(named);
    // Flat data is read as the nested.
    JsonObject flat = raw(encoded(example, other));
    JsonArray values = new JsonArray();
    flat.getJsonArray("inputs").getJsonObject(0).getJsonArray("data").forEach(r -> ((JsonArray) r).forEach(values::add));
    flat.getJsonArray("inputs").getJsonObject(0).put("data", values);
    flat.put("outputs", new JsonArray().add(new JsonObject().put("name", "probabilities")));
    JsonObject flatAnswer = infer("/v2/models/churn/infer", flat).bodyAsJsonObject();
    assertThat(flatAnswer.getJsonArray("outputs")).hasSize(1);
    assertThat(output(flatAnswer, "probabilities").getJsonArray("data")).isEqualTo(probabilities.getJsonArray("data"));
  }

  @Test
  void aRawTensorOfTheWrongKindIs400SayingWhy() throws Exception {
    JsonObject example = new JsonObject(TestServer.EXAMPLE);
    JsonObject fp64 = raw(encoded(example));
    fp64.getJsonArray("inputs").getJsonObject(0).put("datatype", "FP64");
    assertThat(error(infer("/v2/models/churn/infer", fp64), 400)).contains("FP32");
    JsonObject narrow = raw(encoded(example));
    narrow.getJsonArray("inputs").getJsonObject(0).put("shape", new JsonArray().add(3).add(3));
    assertThat(error(infer("/v2/models/churn/infer", narrow), 400)).contains("[N, 9]");
    JsonObject text = raw(encoded(example));
    text.getJsonArray("inputs").getJsonObject(0).getJsonArray("data").getJsonArray(0).set(4, "x");
    assertThat(error(infer("/v2/models/churn/infer", text), 400)).contains("row 0, column 4");
  }

  private static Future<HttpResponse<Buffer>> send(TestServer server, String timeoutMs) {
    var request = server.request(HttpMethod.POST, "/v2/models/churn/infer")
        .putHeader("Content-Type", "application/json");
    if (timeoutMs != null) {
      request.putHeader("X-Request-Timeout-Ms", timeoutMs);
    }
    return request.sendBuffer(Buffer.buffer(singleRow().encode()));
  }
}
