package io.churnserving.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** /health with the original design's checks, and the Open Inference Protocol probes. */
class HealthChecksTest {
  @Test
  void aFreshServerIsHealthyWithEveryCheck() {
    try (TestServer server = TestServer.start()) {
      var answer = server.get("/health");
      assertThat(answer.statusCode()).isEqualTo(200);
      JsonObject body = answer.bodyAsJsonObject();
      assertThat(body.getString("status")).isEqualTo("healthy");
      JsonObject checks = body.getJsonObject("checks");
      assertThat(checks.fieldNames()).containsExactlyInAnyOrder("model_loaded", "memory", "last_prediction",
          "recent_errors", "circuit_breaker");
      assertThat(checks.getJsonObject("last_prediction").getBoolean("idle")).isTrue();
      assertThat(checks.getJsonObject("circuit_breaker").getString("state")).isEqualTo("closed");
      assertThat(checks.getJsonObject("memory").getLong("heap_max_bytes")).isPositive();

      server.postJson("/predict", TestServer.EXAMPLE);
      JsonObject after = server.get("/health").bodyAsJsonObject().getJsonObject("checks");
      assertThat(after.getJsonObject("last_prediction").getString("at")).isNotBlank();
      assertThat(after.getJsonObject("last_prediction").getString("status")).isEqualTo("ok");

      assertThat(server.get("/v2/health/live").bodyAsJsonObject()).isEqualTo(new JsonObject().put("live", true));
      assertThat(server.get("/v2/health/ready").bodyAsJsonObject()).isEqualTo(new JsonObject().put("ready", true));
    }
  }

  @Test
  void serverErrorsDegradeAndAnOpenCircuitMakesItUnhealthy() {
    Faults faults = new Faults();
    try (TestServer server = TestServer.startWithFaults(faults, "CIRCUIT_MAX_FAILURES", "6",
        "CIRCUIT_RESET_MS", "60000")) {
      faults.failing();
      for (int i = 0; i < 6; i++) {
        assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(500);
      }
      var answer = server.get("/health");
      JsonObject body = answer.bodyAsJsonObject();
      assertThat(body.getJsonObject("checks").getJsonObject("recent_errors").getInteger("server_errors_last_60s"))
          .isEqualTo(6);
      assertThat(body.getJsonObject("checks").getJsonObject("recent_errors").getString("status"))
          .isEqualTo("degraded");
      assertThat(body.getJsonObject("checks").getJsonObject("circuit_breaker").getString("state"))
          .isEqualTo("open");
      assertThat(body.getString("status")).isEqualTo("unhealthy");
      assertThat(answer.statusCode()).isEqualTo(503);
      faults.healthy();
    }
  }
}
