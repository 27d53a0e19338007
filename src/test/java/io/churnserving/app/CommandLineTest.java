package io.churnserving.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.JavaProcess;
import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's command line, as a real process: {@code --help} and {@code --version} print and exit 0, anything else
 * exits 2 with the usage on stderr (a typo such as {@code bnech} used to start a server on 8080); and
 * {@code GET /version} on the real server says what {@code --version} says.
 */
class CommandLineTest {
  @TempDir
  Path elsewhere;

  /** The project version as pom.xml declares it: what Maven filters into the build. */
  static String projectVersion() throws Exception {
    Matcher m = Pattern.compile("<artifactId>churn-serving</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static JavaProcess.Result run(Path workingDir, Map<String, String> env, String... args) throws Exception {
    return JavaProcess.runWithArgs(workingDir, env, Main.class.getName(), args);
  }

  @Test
  void helpPrintsTheUsageAndExitsZero() throws Exception {
    for (String help : new String[] {"--help", "-h"}) {
      JavaProcess.Result result = run(null, Map.of(), help);
      assertThat(result.exitCode()).as(help).isZero();
      assertThat(result.stdout()).as(help).isEqualTo(Main.USAGE)
          .contains("--version").contains("bench").contains("HTTP_PORT").contains("CONFIG_PATH")
          .contains("README.md");
      assertThat(result.stderr()).as(help).isEmpty();
    }
  }

  @Test
  void versionPrintsTheBuildAndTheModelItServes() throws Exception {
    JavaProcess.Result result = run(null, Map.of("CONFIG_PATH", "conf/config.json"), "--version");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout().lines()).containsExactly("churn-serving " + projectVersion(),
        "model churn version 1 (models/churn/1) labels stable", "model churn version 2 (models/churn/2)");
    // Read from metadata.json alone: no model loaded, so no ONNX Runtime and no server.
    assertThat(result.stdout() + result.stderr()).doesNotContain("Server ready").doesNotContain("onnxruntime");
  }

  @Test
  void versionFollowsTheSettingsAndSaysWhenTheModelIsNotThere() throws Exception {
    Path bundled = Path.of("models").toAbsolutePath();
    JavaProcess.Result other = run(elsewhere, Map.of("MODELS_DIR", bundled.toString()), "-V");
    assertThat(other.exitCode()).as(other.stderr()).isZero();
    // Without the bundled config's churn settings, the default policy serves the newest version alone.
    assertThat(other.stdout()).contains("model churn version 2 (" + bundled.resolve("churn/2") + ")")
        .doesNotContain("version 1");

    JavaProcess.Result missing = run(elsewhere, Map.of(), "--version");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stdout().lines()).containsExactly("churn-serving " + projectVersion());
    assertThat(missing.stderr()).startsWith("Cannot tell the model version: model directory not found: "
        + elsewhere.toRealPath().resolve("models/churn"));
  }

  @Test
  void anUnknownArgumentExitsTwoWithTheUsageOnStderr() throws Exception {
    for (String[] args : new String[][] {{"bnech"}, {"--port", "9000"}, {"--help", "extra"},
        {"--version", "extra"}}) {
      JavaProcess.Result result = run(null, Map.of("HTTP_PORT", "0"), args);
      assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(result.stdout()).as(String.join(" ", args)).isEmpty();
      assertThat(result.stderr()).as(String.join(" ", args)).contains("unknown argument '")
          .contains(Main.USAGE).doesNotContain("Server ready");
    }
  }

  /** {@code GET /version} takes no key and says what {@code --version} says. */
  @Test
  void theVersionRouteNamesTheBuildAndTheModelServed() throws Exception {
    try (TestServer server = TestServer.start()) {
      var answer = TestServer.await(server.client().get("/version").send());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.getHeader("Content-Type")).startsWith("application/json");
      assertThat(answer.bodyAsJsonObject()).isEqualTo(new JsonObject().put("name", "churn-serving")
          .put("version", projectVersion())
          .put("models", new JsonArray().add(new JsonObject().put("name", "churn").put("version", "1"))
              .add(new JsonObject().put("name", "churn").put("version", "2"))));
      // The OpenAPI document carries the same version.
      assertThat(server.get("/openapi.json").bodyAsJsonObject().getJsonObject("info").getString("version"))
          .isEqualTo(projectVersion());
    }
  }
}
