package io.churnserving.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus files in README are what an operator copies: each block, written to the file its first line names,
 * passes Debian's promtool ({@code check config} resolves the rules file beside it, {@code check rules}), and the
 * error-ratio alert behaves as README says under {@code promtool test rules}. src/test/verify.sh installs promtool;
 * without it this test fails rather than skips.
 */
class PrometheusReadmeTest {
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\n(# (\\S+\\.yml)\n.*?)```\n", Pattern.DOTALL);

  @TempDir
  Path dir;

  /** README's YAML blocks whose first line is a file name comment, by that name. */
  private static Map<String, String> blocks() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    Matcher m = YAML_BLOCK.matcher(Files.readString(Path.of("README.md")));
    while (m.find()) {
      files.put(m.group(2), m.group(1));
    }
    return files;
  }

  private void writeBlocks() throws Exception {
    Map<String, String> files = blocks();
    assertThat(files).containsOnlyKeys("prometheus.yml", "churn-serving-rules.yml");
    for (var file : files.entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
  }

  private String promtool(String... args) throws Exception {
    Process p = new ProcessBuilder(List.of(args)).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", args) + ":\n" + out).isZero();
    return out;
  }

  @Test
  void theScrapeConfigAndTheRulesEachPassPromtool() throws Exception {
    writeBlocks();
    // check config also loads the rule files it names, relative to itself.
    assertThat(promtool("promtool", "check", "config", "prometheus.yml")).contains("1 rule files found");
    assertThat(promtool("promtool", "check", "rules", "churn-serving-rules.yml")).contains("6 rules found");
  }

  /**
   * ChurnErrorRatio counts prediction requests only: 5% of /predict failing fires it beside 200 probes and scrapes a
   * second; saturation and client deadlines do not; a stream-only server's failures do (see the test file).
   */
  @Test
  void theErrorRatioCountsPredictionRequestsOnly() throws Exception {
    writeBlocks();
    try (InputStream in = getClass().getResourceAsStream("/prometheus/churn-error-ratio.test.yml")) {
      Files.write(dir.resolve("churn-error-ratio.test.yml"), in.readAllBytes());
    }
    assertThat(promtool("promtool", "test", "rules", "churn-error-ratio.test.yml")).contains("SUCCESS");
  }

  /** The series and label values the error ratio selects are the ones a real server exports, so it is not vacuous. */
  @Test
  void theErrorRatioReadsSeriesTheServerExports() throws Exception {
    try (TestServer server = TestServer.start()) {
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
      assertThat(server.postJson("/v1/models/churn:predict", "{\"instances\": [" + TestServer.EXAMPLE + "]}")
          .statusCode()).isEqualTo(200);
      String scrape = server.get("/metrics").bodyAsString();
      assertThat(scrape.lines().filter(l -> l.startsWith("vertx_http_server_requests_total{"))
          .map(l -> l.replaceAll(".*route=\"([^\"]*)\".*", "$1")))
          .contains("/predict").anyMatch(r -> r.matches(".+:predict"));
      assertThat(scrape).contains("transport=\"http\"").contains("outcome=\"ok\"");
    }
    // Every outcome the ratio counts is a problem kind the server answers with a 5xx of its own.
    for (String kind : List.of("internal-error", "timeout", "circuit-open", "model-unavailable")) {
      assertThat(blocks().get("churn-serving-rules.yml")).contains(kind);
    }
    assertThat(ServingMetrics.isServerError("internal-error", 500)).isTrue();
    assertThat(ServingMetrics.isServerError("overloaded", 503)).isFalse();
  }
}
