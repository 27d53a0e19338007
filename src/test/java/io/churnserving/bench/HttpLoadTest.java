package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's HTTP transport against the real server and model on a free port, with bodies drawn from the
 * model version's schema: single instances on {@code /predict} and batches on {@code /v1/models/churn:predict}, every
 * one answered 200. Runs are under a second with no warm-up; nothing is asserted about speed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpLoadTest {
  @TempDir
  Path dir;

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  /** Runs {@code bench} with these arguments and asserts every measured request was answered 200. */
  private JsonObject allAnswered200(String name, String... args) throws Exception {
    Path prefix = dir.resolve(name);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--api-key", TestServer.KEY, "--connections", "2", "--duration", "500ms", "--warmup", "0s",
        "--out", prefix.toString()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = LoadTest.run(all.toArray(String[]::new), Map.of(), new PrintStream(new ByteArrayOutputStream(),
        true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(LoadTest.OK);
    JsonObject json = new JsonObject(Files.readString(dir.resolve(name + ".json")));
    assertThat(json.getLong("requests")).isPositive();
    assertThat(json.getJsonObject("status_counts").getLong("200")).isEqualTo(json.getLong("requests"));
    assertThat(json.getJsonObject("error_status_counts")).isEmpty();
    assertThat(json.getJsonObject("transport_errors")).isEmpty();
    return json;
  }

  @Test
  void everySingleInstanceFromTheDefaultSchemaIsPredicted() throws Exception {
    JsonObject json = allAnswered200("single", "--url", url("/predict"));

    assertThat(json.getJsonObject("settings").getString("schema")).isEqualTo(SchemaFile.DEFAULT.toString());
  }

  @Test
  void everyBatchIsPredictedAndTheSchemaMayBeGivenAsTheVersionFolder() throws Exception {
    JsonObject json = allAnswered200("batch", "--url", url("/v1/models/churn:predict"), "--batch-size", "50",
        "--schema", "models/churn/1");

    assertThat(json.getDouble("predictions_per_second"))
        .isCloseTo(50 * json.getDouble("requests_per_second"), org.assertj.core.data.Offset.offset(1.0));
  }
}
