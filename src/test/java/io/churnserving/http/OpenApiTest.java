package io.churnserving.http;

import io.churnserving.support.Models;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.apidocs.ApiDocs;
import io.churnserving.observability.Readiness;
import io.churnserving.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * /openapi.json is kept true: it documents exactly the router's routes, and real answers of the real server
 * validate against the schemas it gives for them.
 */
class OpenApiTest {
  private static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri("https://churn-serving.local/");

  @Test
  void theDocumentListsExactlyTheRoutesOfTheRouteTable() {
    Vertx vertx = Vertx.vertx(TestServer.strictOptions());
    try {
      Readiness readiness = new Readiness();
      var deps = TestDependencies.of(vertx, readiness);
      Router router = Routes.create(vertx, deps, new io.churnserving.serving.VersionScorers(vertx),
          ConnectionGuard.create(vertx, deps.budget(), deps.observability()));
      Set<String> routed = new TreeSet<>();
      for (Route route : router.getRoutes()) {
        if (route.getName() == null) {
          continue; // the handlers every request passes (correlation ID, access log) and the fallback
        }
        for (HttpMethod method : route.methods()) {
          // The batch route's optional version segment is two paths in OpenAPI.
          for (String path : route.getName().contains("[")
              ? Set.of(route.getName().replaceAll("\\[[^]]*]", ""), route.getName().replaceAll("[\\[\\]]", ""))
              : Set.of(route.getName())) {
            routed.add(method.name() + " " + path);
          }
        }
      }
      // TestDependencies has metrics off: the document served leaves /metrics out, as the table does.
      JsonObject doc = Routes.document(deps);
      Set<String> documented = new TreeSet<>();
      for (String path : doc.getJsonObject("paths").fieldNames()) {
        for (String method : doc.getJsonObject("paths").getJsonObject(path).fieldNames()) {
          documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
      assertThat(documented).isEqualTo(routed);
      assertThat(doc.getString("openapi")).isEqualTo("3.1.0");
    } finally {
      TestServer.await(vertx.close());
    }
  }

  @Test
  void realAnswersValidateAgainstTheDocumentedSchemas() {
    try (TestServer server = TestServer.start()) {
      JsonObject doc = server.get("/openapi.json").bodyAsJsonObject();
      String batch = "{\"instances\": [" + TestServer.EXAMPLE + ", " + TestServer.EXAMPLE + "]}";
      check(doc, "/predict", "post", server.postJson("/predict", TestServer.EXAMPLE));
      check(doc, "/predict", "post", server.postJson("/predict", "{\"tenure_months\": 0}"));
      check(doc, "/predict", "post", server.postJson("/predict", "{not json"));
      check(doc, "/predict", "post", TestServer.await(server.client().post("/predict").send()));
      check(doc, "/v1/models/{model}:predict", "post", server.postJson("/v1/models/churn:predict", batch));
      check(doc, "/v1/models/{model}/versions/{version}:predict", "post",
          server.postJson("/v1/models/churn/versions/1:predict", batch));
      check(doc, "/v1/models/{model}:predict", "post", server.postJson("/v1/models/other:predict", batch));
      check(doc, "/v1/models/{model}/monitor", "get",
          TestServer.await(server.request(HttpMethod.GET, "/v1/models/churn/monitor").send()));
      for (String probe : new String[] {"/health", "/health/live", "/health/ready", "/v2/health/live",
          "/v2/health/ready", "/version"}) {
        check(doc, probe, "get", server.get(probe));
      }
      // The Open Inference Protocol's routes: its documents, its answers, its {"error"} shape.
      check(doc, "/v2", "get", server.get("/v2"));
      check(doc, "/v2/models/{model}", "get",
          TestServer.await(server.request(HttpMethod.GET, "/v2/models/churn").send()));
      check(doc, "/v2/models/{model}/versions/{version}/ready", "get",
          TestServer.await(server.request(HttpMethod.GET, "/v2/models/churn/versions/2/ready").send()));
      check(doc, "/v2/models/{model}/ready", "get",
          TestServer.await(server.request(HttpMethod.GET, "/v2/models/other/ready").send()));
      String infer = "{\"id\": \"42\", \"inputs\": ["
          + "{\"name\": \"tenure_months\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [24]},"
          + "{\"name\": \"monthly_charges\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [79.5]},"
          + "{\"name\": \"contract_type\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"one_year\"]},"
          + "{\"name\": \"num_products\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [2]}]}";
      check(doc, "/v2/models/{model}/infer", "post", server.postJson("/v2/models/churn/infer", infer));
      check(doc, "/v2/models/{model}/infer", "post", server.postJson("/v2/models/churn/infer",
          infer.replace("[24]", "[0]")));
      check(doc, "/v2/models/{model}/versions/{version}/infer", "post",
          server.postJson("/v2/models/churn/versions/9/infer", infer));
      // Outputs asked for as binary data: an octet-stream answer whose JSON head is the documented answer.
      checkBinary(doc, "/v2/models/{model}/infer", server.postJson("/v2/models/churn/infer",
          infer.replace("\"inputs\"", "\"parameters\": {\"binary_data_output\": true}, \"inputs\"")));
      // A control: a body that breaks the schema does fail, so the checks above are not vacuous.
      JsonObject control = new JsonObject().put("$ref", "#/components/schemas/Prediction")
          .put("components", doc.getJsonObject("components"));
      assertThat(Validator.create(JsonSchema.of(control), OPTIONS)
          .validate(new JsonObject().put("churn_probability", 2)).getValid()).isFalse();
      // The instance schema in the document is the one the validator compiles.
      assertThat(doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("CustomerInstance")
          .getJsonArray("required")).containsExactly("tenure_months", "monthly_charges", "contract_type",
          "num_products");
    }
  }

  private static void check(JsonObject doc, String path, String method, HttpResponse<Buffer> answer) {
    JsonObject response = doc.getJsonObject("paths").getJsonObject(path).getJsonObject(method)
        .getJsonObject("responses").getJsonObject(String.valueOf(answer.statusCode()));
    assertThat(response).as("%s %s documents status %d", method, path, answer.statusCode()).isNotNull();
    String type = answer.getHeader("Content-Type");
    JsonObject content = response.getJsonObject("content").getJsonObject(type);
    assertThat(content).as("%s %s %d documents %s", method, path, answer.statusCode(), type).isNotNull();
    // The response schema, with the document's components alongside so its $refs resolve.
    JsonObject schema = new JsonObject().put("$ref", "#/$defs/answer")
        .put("$defs", new JsonObject().put("answer", content.getJsonObject("schema")))
        .put("components", doc.getJsonObject("components"));
    OutputUnit result = Validator.create(JsonSchema.of(schema), OPTIONS).validate(answer.bodyAsJson(Object.class));
    assertThat(result.getValid()).as("%s %s %d: %s against %s", method, path, answer.statusCode(),
        answer.bodyAsString(), result.getErrors()).isTrue();
  }

  /**
   * A binary tensor data answer: the 200 documents octet-stream and the header that gives the JSON head's length,
   * and that head validates against the JSON answer's schema.
   */
  private static void checkBinary(JsonObject doc, String path, HttpResponse<Buffer> answer) {
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    assertThat(answer.getHeader("Content-Type")).isEqualTo("application/octet-stream");
    JsonObject ok = doc.getJsonObject("paths").getJsonObject(path).getJsonObject("post").getJsonObject("responses")
        .getJsonObject("200");
    assertThat(ok.getJsonObject("content").fieldNames()).contains("application/octet-stream");
    assertThat(ok.getJsonObject("headers").fieldNames()).contains("Inference-Header-Content-Length");
    int headLength = Integer.parseInt(answer.getHeader("Inference-Header-Content-Length"));
    JsonObject schema = new JsonObject().put("$ref", "#/components/schemas/OipInferenceResponse")
        .put("components", doc.getJsonObject("components"));
    Object head = answer.body().getBuffer(0, headLength).toJsonValue();
    OutputUnit result = Validator.create(JsonSchema.of(schema), OPTIONS).validate(head);
    assertThat(result.getValid()).as("%s: %s", head, result.getErrors()).isTrue();
  }

  /** The document lists {@code /metrics} only where the server answers it. */
  @Test
  void metricsAreDocumentedOnlyWhereTheyAreServed() {
    try (TestServer server = TestServer.start()) {
      assertThat(server.get("/openapi.json").bodyAsJsonObject().getJsonObject("paths").fieldNames())
          .contains("/metrics", "/version");
      assertThat(server.get("/metrics").statusCode()).isEqualTo(200);
    }
    try (TestServer server = TestServer.start("METRICS_ENABLED", "false")) {
      assertThat(server.get("/openapi.json").bodyAsJsonObject().getJsonObject("paths").fieldNames())
          .doesNotContain("/metrics").contains("/version", "/predict");
      assertThat(server.get("/metrics").statusCode()).isEqualTo(404);
    }
    try (TestServer server = TestServer.start("MANAGEMENT_PORT", "0")) {
      assertThat(server.get("/openapi.json").bodyAsJsonObject().getJsonObject("paths").fieldNames())
          .doesNotContain("/metrics");
    }
  }

  /**
   * Every schema that names required properties defines them (Redocly's no-required-schema-properties-undefined):
   * the Health schema once required five checks it never defined. Walks every schema in the document.
   */
  @Test
  void everyRequiredPropertyIsDefined() {
    JsonObject doc = ApiDocs.load(Models.schema()).openApi();
    List<String> undefined = new ArrayList<>();
    undefinedRequired(doc, "#", undefined);
    assertThat(undefined).isEmpty();
    JsonObject checks = doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("Health")
        .getJsonObject("properties").getJsonObject("checks");
    assertThat(checks.getJsonObject("properties").fieldNames())
        .containsExactlyInAnyOrderElementsOf(checks.getJsonArray("required").getList());
  }

  private static void undefinedRequired(Object node, String at, List<String> found) {
    if (node instanceof JsonObject object) {
      if (object.getValue("required") instanceof JsonArray required) {
        JsonObject properties = object.getJsonObject("properties", new JsonObject());
        for (Object name : required) {
          if (!properties.containsKey((String) name)) {
            found.add(at + " requires " + name);
          }
        }
      }
      for (String key : object.fieldNames()) {
        undefinedRequired(object.getValue(key), at + "/" + key, found);
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        undefinedRequired(array.getValue(i), at + "/" + i, found);
      }
    }
  }
}
