package io.churnserving.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.JavaProcess;
import io.churnserving.support.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that cannot serve correctly refuses to start, and says why in one line naming the file or key. */
class StartupFailureTest {
  static final Path BUNDLED = Path.of("models/churn/1");

  @TempDir
  Path models;

  private Path versionDir() throws Exception {
    return Files.createDirectories(models.resolve("churn/1"));
  }

  private Map<String, String> env(String... more) {
    Map<String, String> env = TestServer.baseEnv();
    env.put("MODELS_DIR", models.toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void aMissingModelFileIsNamed() throws Exception {
    Files.copy(BUNDLED.resolve("metadata.json"), versionDir().resolve("metadata.json"));
    Files.copy(BUNDLED.resolve("schema.json"), versionDir().resolve("schema.json"));
    assertThat(TestServer.startFailure(env()))
        .hasMessage("model file not found: " + models.resolve("churn/1/model.onnx"));
  }

  @Test
  void missingMetadataIsNamed() throws Exception {
    Files.copy(BUNDLED.resolve("model.onnx"), versionDir().resolve("model.onnx"));
    assertThat(TestServer.startFailure(env()))
        .hasMessage("model metadata not found: " + models.resolve("churn/1/metadata.json"));
  }

  @Test
  void aCorruptModelFileIsNamed() throws Exception {
    Path dir = versionDir();
    Files.copy(BUNDLED.resolve("metadata.json"), dir.resolve("metadata.json"));
    Files.copy(BUNDLED.resolve("schema.json"), dir.resolve("schema.json"));
    Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertThat(TestServer.startFailure(env()).getMessage())
        .startsWith("model file is not a valid ONNX model: " + dir.resolve("model.onnx"));
  }

  @Test
  void metadataThatDisagreesWithTheModelIsNamed() throws Exception {
    Path dir = versionDir();
    Files.copy(BUNDLED.resolve("model.onnx"), dir.resolve("model.onnx"));
    String metadata = Files.readString(BUNDLED.resolve("metadata.json"));
    Files.writeString(dir.resolve("metadata.json"), metadata.replace("\"positive_label\"", "\"positive_labelx\""));
    assertThat(TestServer.startFailure(env()).getMessage())
        .startsWith("model metadata " + dir.resolve("metadata.json") + " is invalid");
  }

  @Test
  void anInvalidConfigIsNamedBeforeTheModelIsTouched() throws Exception {
    Path config = models.resolve("config.json");
    Files.writeString(config, "{\"scoring\": {\"workers\": 0}}");
    assertThat(TestServer.startFailure(env("CONFIG_PATH", config.toString())).getMessage())
        .contains("scoring.workers").contains(config.toString());
  }

  @Test
  void theProcessExitsNonZeroWithOneClearLine() throws Exception {
    Files.copy(BUNDLED.resolve("metadata.json"), versionDir().resolve("metadata.json"));
    Files.copy(BUNDLED.resolve("schema.json"), versionDir().resolve("schema.json"));
    JavaProcess.Result result = JavaProcess.run(Main.class.getName(), env());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr().lines().filter(l -> l.startsWith("Cannot start:")).toList())
        .containsExactly("Cannot start: model file not found: " + models.resolve("churn/1/model.onnx"));
  }

  @Test
  void theProcessRefusesABadEnvironmentValue() throws Exception {
    JavaProcess.Result result = JavaProcess.run(Main.class.getName(), Map.of("HTTP_PORT", "eighty"));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("Cannot start: environment variable HTTP_PORT must be an integer");
  }

  /** The JDK says only "Address already in use": the line names the address and the settings that chose it. */
  @Test
  void aPortThatCannotBeBoundFailsTheStartNamingHostAndPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Map<String, String> env = TestServer.baseEnv();
      env.put("HTTP_PORT", Integer.toString(port));
      assertThat(TestServer.startFailure(env)).hasMessage("could not bind 127.0.0.1:" + port
          + " (HTTP_HOST, HTTP_PORT): Address already in use");

      Map<String, String> management = TestServer.baseEnv();
      management.put("MANAGEMENT_PORT", Integer.toString(port));
      assertThat(TestServer.startFailure(management)).hasMessage("could not bind 127.0.0.1:" + port
          + " (HTTP_HOST, MANAGEMENT_PORT): Address already in use");

      JavaProcess.Result result = JavaProcess.run(Main.class.getName(), Map.of("HTTP_PORT", Integer.toString(port)));
      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.stderr().lines().filter(l -> l.startsWith("Cannot start:")).toList()).containsExactly(
          "Cannot start: could not bind 127.0.0.1:" + port + " (HTTP_HOST, HTTP_PORT): Address already in use");
    }
  }

  /**
   * {@code java -jar} from another folder: the default MODELS_DIR, {@code models}, is read from the working
   * directory, and the line says so, with the absolute path looked for.
   */
  @Test
  void aModelMissingFromTheWorkingDirectoryNamesItAndModelsDir() throws Exception {
    JavaProcess.Result result = JavaProcess.runWithArgs(models, Map.of("HTTP_PORT", "0"), Main.class.getName());
    Path cwd = models.toRealPath();
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr().lines().filter(l -> l.startsWith("Cannot start:")).toList()).containsExactly(
        "Cannot start: model directory not found: " + cwd.resolve("models/churn") + " (MODELS_DIR 'models' is "
            + "read relative to the working directory " + cwd + ", MODEL_NAME 'churn'): start "
            + "the server from the folder that holds models, or set MODELS_DIR to an absolute path");
  }

  @Test
  void metadataThatIsNotJsonIsNamedWithLineAndColumn() throws Exception {
    Path dir = versionDir();
    Files.copy(BUNDLED.resolve("model.onnx"), dir.resolve("model.onnx"));
    Files.writeString(dir.resolve("metadata.json"), "{\"name\": \"churn\",\n  \"version\": 1,,\n}");
    assertThat(TestServer.startFailure(env()).getMessage())
        .startsWith("model metadata " + dir.resolve("metadata.json") + " is not valid JSON (line 2, column 16): ");
  }

  /** An env file whose quotes were kept: the line shows the value with its quotes, and says what to do. */
  @Test
  void theProcessShowsAQuotedValueWithItsQuotes() throws Exception {
    JavaProcess.Result result = JavaProcess.run(Main.class.getName(), Map.of("HTTP_PORT", "\"8080\""));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr().lines().filter(l -> l.startsWith("Cannot start:")).toList()).containsExactly(
        "Cannot start: environment variable HTTP_PORT must be an integer from 0 to 65535, got '\"8080\"': the "
            + "quotes are part of the value (an env file read by docker --env-file keeps them); remove them");
  }
}
