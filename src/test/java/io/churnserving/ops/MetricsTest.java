package io.churnserving.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** /metrics on the real server after real traffic: the meters operators alert on, and promtool's approval. */
class MetricsTest {
  @Test
  void predictionsRejectionsAndHttpMetersAreExposedByRouteTemplate() {
    try (TestServer server = TestServer.start("RATE_LIMIT_PER_SECOND", "1", "RATE_LIMIT_BURST", "3")) {
      server.postJson("/predict", TestServer.EXAMPLE);
      server.postJson("/predict", "{}");
      server.postJson("/v1/models/churn:predict", "{\"instances\": [" + TestServer.EXAMPLE + "]}");
      for (int i = 0; i < 5; i++) {
        server.postJson("/predict", TestServer.EXAMPLE);
      }
      var scrape = server.get("/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.getHeader("Content-Type")).startsWith("text/plain");
      String text = scrape.bodyAsString();
      assertThat(text)
          .contains("predictions_total{model=\"churn\",outcome=\"ok\",transport=\"http\",version=\"1\"}")
          .contains("outcome=\"validation-error\",transport=\"http\"")
          .contains("outcome=\"ok\",transport=\"http-batch\"")
          .contains("outcome=\"rate-limited\",transport=\"http\"")
          .contains("rejections_total{reason=\"rate_limited\"}")
          .contains("rejections_total{reason=\"overloaded\"} 0.0")
          .contains("predictions_by_tier_total{model=\"churn\",tier=")
          .contains("inference_duration_seconds_bucket{")
          .contains("queue_wait_seconds_bucket{")
          .contains("batch_size_bucket{")
          .contains("requests_in_flight ")
          .contains("circuit_breaker_state{model=\"churn\",version=\"1\"} 0.0")
          .contains("model_load_seconds{")
          .contains("drift_window_predictions{").contains("drift_window_tier_predictions{")
          .contains("vertx_http_server_requests_total{code=\"200\",route=\"/predict\"}")
          .contains("route=\"/v1/models/{model}[/versions/{version}]:predict\"")
          .contains("vertx_http_server_response_time_seconds_bucket{")
          .contains("jvm_memory_used_bytes{").contains("process_cpu_usage").contains("process_uptime_seconds");
      // Raw paths never become labels: the batch route's label is its template.
      assertThat(text).doesNotContain("route=\"/v1/models/churn:predict\"");
    }
  }

  /**
   * A request that becomes a WebSocket is counted once, as 101 on the stream's route, and, like every other
   * request, no longer counts as active once it is over; a request no route matched is labelled unmatched.
   */
  @Test
  void upgradesAndUnmatchedRequestsAreCountedAndNothingStaysActive() {
    try (TestServer server = TestServer.start()) {
      WebSocketClient client = server.vertx().createWebSocketClient();
      List<WebSocket> streams = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        streams.add(TestServer.await(client.connect(new WebSocketConnectOptions()
            .setHost("127.0.0.1").setPort(server.port()).setURI("/v1/models/churn/stream")
            .addHeader("X-API-Key", TestServer.KEY))));
      }
      for (WebSocket ws : streams) {
        TestServer.await(ws.close());
      }
      assertThat(server.get("/no/such/path").statusCode()).isEqualTo(404);
      String text = server.get("/metrics").bodyAsString();
      assertThat(text)
          .contains("vertx_http_server_requests_total{code=\"101\",route=\"/v1/models/{model}/stream\"} 3.0")
          .contains("vertx_http_server_requests_total{code=\"404\",route=\"unmatched\"} 1.0")
          // Only the scrape itself is being handled.
          .contains("vertx_http_server_active_requests 1.0");
    }
  }

  @Test
  void theScrapePassesPromtool() throws Exception {
    try (TestServer server = TestServer.start()) {
      server.postJson("/predict", TestServer.EXAMPLE);
      Path file = Files.createTempFile("metrics", ".txt");
      Files.writeString(file, server.get("/metrics").bodyAsString());
      // src/test/verify.sh installs promtool (Debian package prometheus); without it this test fails rather than skips.
      Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
          .redirectErrorStream(true).start();
      assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(promtool.exitValue()).as(out).isZero();
      Files.delete(file);
    }
  }

  @Test
  void withMetricsOffThereIsNoMetricsRoute() {
    try (TestServer server = TestServer.start("METRICS_ENABLED", "false")) {
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
      assertThat(server.get("/metrics").statusCode()).isEqualTo(404);
    }
  }
}
