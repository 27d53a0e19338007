package io.churnserving.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redocly CLI's lint of the document the real server serves at /openapi.json: no errors and no warnings, under the
 * rules of redocly.yaml at the repository's root (where each rule turned off says why). Both shapes of the document
 * are linted, with and without /metrics. src/test/verify.sh installs the CLI locked by
 * src/test/redocly/package-lock.json into .tools/redocly from the npm registry; without it this test fails rather
 * than skips, as the promtool tests do.
 */
class RedoclyLintTest {
  /** Where src/test/verify.sh installs the pinned @redocly/cli; Maven runs tests from the repository's root. */
  static final Path REDOCLY = Path.of(".tools", "redocly", "node_modules", ".bin", "redocly");

  @ParameterizedTest(name = "METRICS_ENABLED={0}")
  @ValueSource(strings = {"true", "false"})
  void theServedDocumentHasNoLintErrorsNorWarnings(String metrics) throws Exception {
    assertThat(REDOCLY).as("Redocly CLI; src/test/verify.sh installs it").isExecutable();
    Path dir = Files.createTempDirectory("redocly-lint");
    Path document = dir.resolve("openapi.json");
    Path report = dir.resolve("report.json");
    try (TestServer server = TestServer.start("METRICS_ENABLED", metrics)) {
      var answer = server.get("/openapi.json");
      assertThat(answer.statusCode()).isEqualTo(200);
      Files.writeString(document, answer.bodyAsString());
    }
    ProcessBuilder lint = new ProcessBuilder(REDOCLY.toString(), "lint", "--config", "redocly.yaml",
        "--format", "json", document.toString()).redirectOutput(report.toFile())
        .redirectError(ProcessBuilder.Redirect.PIPE);
    // No network at test time: Redocly otherwise sends usage data and looks for a newer version of itself.
    lint.environment().put("REDOCLY_TELEMETRY", "off");
    lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    Process process = lint.start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(report);
    assertThat(process.exitValue()).as(out + stderr).isZero();
    JsonObject totals = new JsonObject(out).getJsonObject("totals");
    assertThat(totals.getInteger("errors")).as(out).isZero();
    assertThat(totals.getInteger("warnings")).as(out).isZero();
    Files.delete(document);
    Files.delete(report);
    Files.delete(dir);
  }
}
