package io.churnserving.hardening;

import static io.churnserving.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.LogCapture;
import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/** The breaker around model execution: opens on failures in a row, refuses fast, probes half-open, closes. */
class CircuitBreakerTest {
  private static HttpResponse<Buffer> predict(TestServer server) {
    return server.postJson("/predict", TestServer.EXAMPLE);
  }

  @Test
  void failuresInARowOpenTheCircuitAndASuccessfulProbeClosesIt() {
    Faults faults = new Faults();
    try (LogCapture logs = new LogCapture();
         TestServer server = TestServer.startWithFaults(faults, "CIRCUIT_MAX_FAILURES", "3",
             "CIRCUIT_RESET_MS", "300")) {
      faults.failing();
      for (int i = 0; i < 3; i++) {
        assertProblem(predict(server), 500);
      }
      int scoredBefore = faults.rowsScored();
      HttpResponse<Buffer> open = predict(server);
      assertThat(assertProblem(open, 503).getString("type")).endsWith(":circuit-open");
      assertThat(open.getHeader("Retry-After")).isEqualTo("1");

      faults.healthy();
      // After the reset time one probe goes through; its success closes the circuit.
      Faults.eventually(() -> predict(server).statusCode() == 200);
      for (int i = 0; i < 5; i++) {
        assertThat(predict(server).statusCode()).isEqualTo(200);
      }
      assertThat(faults.rowsScored()).isGreaterThan(scoredBefore);
      assertThat(logs.raw()).anyMatch(l -> l.contains("Circuit breaker opened"));
      assertThat(logs.raw()).anyMatch(l -> l.contains("Circuit breaker half-open"));
      assertThat(logs.raw()).anyMatch(l -> l.contains("Circuit breaker closed"));
    }
  }

  @Test
  void timeoutsCountAsFailures() {
    Faults faults = new Faults();
    try (TestServer server = TestServer.startWithFaults(faults, "CIRCUIT_MAX_FAILURES", "2",
        "CIRCUIT_RESET_MS", "60000", "SCORING_TIMEOUT_MS", "200")) {
      faults.stall();
      assertProblem(predict(server), 504);
      assertProblem(predict(server), 504);
      assertThat(assertProblem(predict(server), 503).getString("type")).endsWith(":circuit-open");
      faults.release();
    }
  }

  @Test
  void whenTheWorkersGoAwayRequestsGet503NotAHang() {
    Faults faults = new Faults();
    try (TestServer server = TestServer.startWithFaults(faults, "CIRCUIT_MAX_FAILURES", "100")) {
      assertThat(predict(server).statusCode()).isEqualTo(200);
      for (String id : faults.workerDeployments()) {
        TestServer.await(server.vertx().undeploy(id));
      }
      assertThat(assertProblem(predict(server), 503).getString("type")).endsWith(":model-unavailable");
      assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
    }
  }
}
