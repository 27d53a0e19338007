package io.churnserving.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code MANAGEMENT_PORT}: probes and metrics on a listener of their own, so operators' scrapes and probes neither
 * compete with clients for the main port nor are reachable from where clients are.
 */
class ManagementPortTest {
  private static final List<String> PROBES =
      List.of("/health/live", "/health/ready", "/health", "/v2/health/live", "/v2/health/ready");

  @Test
  void withAManagementPortMetricsMoveThereWithTheProbesAndTheMainPortStillServes() {
    try (TestServer server = TestServer.start("MANAGEMENT_PORT", "0")) {
      assertThat(server.get("/metrics").statusCode()).as("/metrics on the main port").isEqualTo(404);

      int managementPort = server.root().managementPort();
      assertThat(managementPort).isPositive().isNotEqualTo(server.port());
      WebClient management = WebClient.create(server.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(managementPort));
      try {
        HttpResponse<Buffer> scrape = TestServer.await(management.get("/metrics").send());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.bodyAsString()).contains("# TYPE requests_in_flight gauge");
        for (String probe : PROBES) {
          assertThat(TestServer.await(management.get(probe).send()).statusCode()).as(probe).isEqualTo(200);
        }
        // Only operators' paths: nothing that takes a key.
        assertThat(TestServer.await(management.post("/predict").putHeader("X-API-Key", TestServer.KEY)
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(TestServer.EXAMPLE)))
            .statusCode()).as("/predict on the management port").isEqualTo(404);
      } finally {
        management.close();
      }

      assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void withoutOneTheMainPortServesMetrics() {
    try (TestServer server = TestServer.start()) {
      assertThat(server.root().managementPort()).isEqualTo(-1);
      assertThat(server.get("/metrics").statusCode()).isEqualTo(200);
    }
  }
}
