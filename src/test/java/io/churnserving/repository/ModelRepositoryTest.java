package io.churnserving.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model repository against the real server and the real bundled versions: both churn versions served at once,
 * each with its own schema; labels and the default version; each version policy; a version that fails its checks
 * leaving the others serving.
 */
class ModelRepositoryTest {
  static final Path BUNDLED = Path.of("models/churn");
  static final String V1 = TestServer.EXAMPLE;
  static final String V2 = "{\"tenure_months\": 24, \"monthly_charges\": 79.5, \"contract_type\": \"month-to-month\", "
      + "\"num_products\": 2, \"support_calls\": 4, \"payment_method\": \"electronic_check\"}";

  @TempDir
  Path repo;

  private static HttpResponse<Buffer> get(TestServer server, String path) {
    return TestServer.await(server.request(HttpMethod.GET, path).send());
  }

  private static String batch(String instance) {
    return "{\"instances\": [" + instance + "]}";
  }

  /** A copy of the bundled churn versions in a repository of the test's own. */
  private void copy(long... versions) throws IOException {
    for (long v : versions) {
      Path dir = Files.createDirectories(repo.resolve("churn/" + v));
      for (String file : new String[] {"model.onnx", "metadata.json", "schema.json"}) {
        Files.copy(BUNDLED.resolve(v + "/" + file), dir.resolve(file));
      }
    }
  }

  @Test
  void theBundledConfigServesBothVersionsWithPredictOnTheStableOne() {
    try (TestServer server = TestServer.start()) {
      HttpResponse<Buffer> predict = server.postJson("/predict", V1);
      assertThat(predict.statusCode()).isEqualTo(200);
      assertThat(predict.bodyAsJsonObject().getString("model_version")).isEqualTo("1");

      HttpResponse<Buffer> v2 = server.postJson("/v1/models/churn/versions/2:predict", batch(V2));
      assertThat(v2.statusCode()).isEqualTo(200);
      assertThat(v2.bodyAsJsonObject().getString("model_version")).isEqualTo("2");
      assertThat(v2.bodyAsJsonObject().getJsonArray("predictions").getJsonObject(0).getString("model_version"))
          .isEqualTo("2");

      // Each version validates with its own schema: version 1's instance lacks version 2's fields, and the other way.
      HttpResponse<Buffer> v1OnV2 = server.postJson("/v1/models/churn/versions/2:predict", batch(V1));
      assertThat(v1OnV2.statusCode()).isEqualTo(422);
      assertThat(v1OnV2.bodyAsJsonObject().getJsonArray("errors")).extracting(e -> ((JsonObject) e).getJsonArray("loc")
          .getString(3)).containsExactly("support_calls", "payment_method");
      assertThat(server.postJson("/predict", V2).statusCode()).isEqualTo(422);

      // A label names a version; no version is the default.
      assertThat(server.postJson("/v1/models/churn/versions/stable:predict", batch(V1)).bodyAsJsonObject()
          .getString("model_version")).isEqualTo("1");
      assertThat(server.postJson("/v1/models/churn:predict", batch(V1)).bodyAsJsonObject()
          .getString("model_version")).isEqualTo("1");

      JsonObject status = get(server, "/v1/models/churn").bodyAsJsonObject();
      assertThat(status.getJsonArray("versions")).containsExactly("1", "2");
      assertThat(status.getBoolean("ready")).isTrue();
      assertThat(status.getString("default_version")).isEqualTo("1");
      assertThat(status.getJsonObject("labels").getString("stable")).isEqualTo("1");
      assertThat(get(server, "/v1/models").bodyAsJsonObject().getJsonArray("models")).containsExactly("churn");
      assertThat(get(server, "/v1/models/churn/versions/2").bodyAsJsonObject().getBoolean("ready")).isTrue();
      assertThat(get(server, "/version").bodyAsJsonObject().getJsonArray("models")).hasSize(2);
    }
  }

  @Test
  void anUnknownModelVersionOrLabelIsA404Problem() {
    try (TestServer server = TestServer.start()) {
      for (String path : new String[] {"/v1/models/nope:predict", "/v1/models/churn/versions/9:predict",
          "/v1/models/churn/versions/canary:predict"}) {
        HttpResponse<Buffer> r = server.postJson(path, batch(V1));
        assertThat(r.statusCode()).as(path).isEqualTo(404);
        assertThat(r.bodyAsJsonObject().getString("type")).as(path).endsWith("model-not-found");
        assertThat(r.getHeader("X-Request-ID")).as(path).isNotBlank();
      }
      assertThat(get(server, "/v1/models/nope").statusCode()).isEqualTo(404);
      assertThat(get(server, "/v1/models/churn/versions/9").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void withoutAStableLabelTheNewestVersionIsTheDefault() throws IOException {
    copy(1, 2);
    try (TestServer server = TestServer.start(env("MODEL_VERSION_POLICY", "all"))) {
      assertThat(get(server, "/v1/models/churn").bodyAsJsonObject().getString("default_version")).isEqualTo("2");
      assertThat(server.postJson("/predict", V2).bodyAsJsonObject().getString("model_version")).isEqualTo("2");
    }
    try (TestServer server = TestServer.start(env("MODEL_VERSION_POLICY", "all", "MODEL_LABELS", "stable=1,canary=2"))) {
      assertThat(server.postJson("/predict", V1).bodyAsJsonObject().getString("model_version")).isEqualTo("1");
      assertThat(server.postJson("/v1/models/churn/versions/canary:predict", batch(V2)).bodyAsJsonObject()
          .getString("model_version")).isEqualTo("2");
    }
  }

  @Test
  void eachVersionPolicyPicksItsVersions() throws IOException {
    copy(1, 2);
    Map<String, String> expected = Map.of("latest:1", "[\"2\"]", "latest:2", "[\"1\",\"2\"]", "all", "[\"1\",\"2\"]",
        "specific:1", "[\"1\"]", "specific:1,2", "[\"1\",\"2\"]");
    expected.forEach((policy, versions) -> {
      try (TestServer server = TestServer.start(env("MODEL_VERSION_POLICY", policy))) {
        assertThat(get(server, "/v1/models/churn").bodyAsJsonObject().getJsonArray("versions"))
            .as(policy).isEqualTo(new JsonArray(versions));
      }
    });
    // A model's own entry overrides the server-wide policy.
    try (TestServer server = TestServer.start(env("MODEL_VERSION_POLICY", "all",
        "MODEL_SETTINGS", "{\"churn\": {\"version_policy\": \"specific:2\"}}"))) {
      assertThat(get(server, "/v1/models/churn").bodyAsJsonObject().getJsonArray("versions")).containsExactly("2");
    }
  }

  @Test
  void aVersionThatFailsItsChecksIsUnavailableWithItsReasonAndTheOthersServe() throws IOException {
    copy(1, 2);
    // Version 2 with a corrupt model, version 3 whose schema does not cover its columns.
    Files.write(repo.resolve("churn/2/model.onnx"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    copy3WithoutSupportCalls();
    copy4WithLogitsForProbabilities();
    try (TestServer server = TestServer.start(env("MODEL_VERSION_POLICY", "all"))) {
      JsonObject status = get(server, "/v1/models/churn").bodyAsJsonObject();
      assertThat(status.getJsonArray("versions")).containsExactly("1");
      assertThat(status.getString("default_version")).isEqualTo("1");
      JsonArray unavailable = status.getJsonArray("unavailable");
      assertThat(unavailable).hasSize(3);
      assertThat(unavailable.getJsonObject(0).getString("reason")).contains("not a valid ONNX model");
      assertThat(unavailable.getJsonObject(1).getString("reason"))
          .contains("does not cover the input columns", "support_calls");
      assertThat(unavailable.getJsonObject(2).getString("reason")).contains("at warm-up", "not a probability");
      JsonObject two = get(server, "/v1/models/churn/versions/2").bodyAsJsonObject();
      assertThat(two.getBoolean("ready")).isFalse();
      assertThat(two.getString("state")).isEqualTo("UNAVAILABLE");
      assertThat(server.postJson("/v1/models/churn/versions/2:predict", batch(V2)).statusCode()).isEqualTo(404);
      assertThat(server.postJson("/predict", V1).statusCode()).isEqualTo(200);
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
    }
  }

  private void copy3WithoutSupportCalls() throws IOException {
    Path dir = Files.createDirectories(repo.resolve("churn/3"));
    Files.copy(BUNDLED.resolve("2/model.onnx"), dir.resolve("model.onnx"));
    Files.writeString(dir.resolve("metadata.json"), Files.readString(BUNDLED.resolve("2/metadata.json"))
        .replace("\"version\" : \"2\"", "\"version\" : \"3\""));
    JsonObject schema = new JsonObject(Files.readString(BUNDLED.resolve("2/schema.json")));
    schema.getJsonObject("properties").remove("support_calls");
    schema.getJsonArray("required").remove("support_calls");
    schema.remove("examples");
    Files.writeString(dir.resolve("schema.json"), schema.encodePrettily());
  }

  /** The test's repository, with an empty config file, so the bundled config's churn settings do not apply. */
  /**
   * Version 4: version 1's model with its Softmax node turned into a Flatten (the same seven letters, so the protobuf
   * stays whole), which passes the raw scores through: outputs that are not probabilities.
   */
  private void copy4WithLogitsForProbabilities() throws IOException {
    Path dir = Files.createDirectories(repo.resolve("churn/4"));
    byte[] model = Files.readAllBytes(BUNDLED.resolve("1/model.onnx"));
    byte[] softmax = "\"\u0007Softmax".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] flatten = "\"\u0007Flatten".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    int found = 0;
    for (int i = 0; i + softmax.length <= model.length; i++) {
      if (java.util.Arrays.equals(model, i, i + softmax.length, softmax, 0, softmax.length)) {
        System.arraycopy(flatten, 0, model, i, flatten.length);
        found++;
      }
    }
    assertThat(found).as("the op_type field of the Softmax node").isEqualTo(1);
    Files.write(dir.resolve("model.onnx"), model);
    Files.copy(BUNDLED.resolve("1/schema.json"), dir.resolve("schema.json"));
    Files.writeString(dir.resolve("metadata.json"), Files.readString(BUNDLED.resolve("1/metadata.json"))
        .replace("\"version\" : \"1\"", "\"version\" : \"4\""));
  }

  private Map<String, String> env(String... more) {
    Map<String, String> env = TestServer.baseEnv();
    env.put("MODELS_DIR", repo.toString());
    try {
      env.put("CONFIG_PATH", Files.writeString(repo.resolve("config.json"), "{}").toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }
}
