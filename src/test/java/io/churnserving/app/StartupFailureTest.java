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

  @Test
  void aPortThatCannotBeBoundFailsTheStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Map<String, String> env = TestServer.baseEnv();
      env.put("HTTP_PORT", Integer.toString(taken.getLocalPort()));
      assertThat(TestServer.startFailure(env)).isNotNull();
    }
  }
}
