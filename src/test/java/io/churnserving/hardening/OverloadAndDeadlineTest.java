package io.churnserving.hardening;

import static io.churnserving.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Admission control (503 at once when the queue is full) and deadlines (504; expired work never scored). */
class OverloadAndDeadlineTest {
  private static Future<HttpResponse<Buffer>> send(TestServer server, String timeoutMs) {
    var request = server.request(HttpMethod.POST, "/predict").putHeader("Content-Type", "application/json");
    if (timeoutMs != null) {
      request.putHeader("X-Request-Timeout-Ms", timeoutMs);
    }
    return request.sendBuffer(Buffer.buffer(TestServer.EXAMPLE));
  }

  @Test
  void aFullQueueIsRefusedAt503WithRetryAfterAndTheAdmittedAreAllAnswered() {
    Faults faults = new Faults();
    // The 8-row memory guard holds over the whole server; at a 60 s deadline the wait is never what refuses.
    try (TestServer server = TestServer.startWithFaults(faults, "HTTP_INSTANCES", "1", "SCORING_QUEUE_ROWS", "8",
        "SCORING_TIMEOUT_MS", "60000")) {
      faults.stall();
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        sent.add(send(server, null));
      }
      // The refusals come while the model is still stalled: they do not wait for it.
      Faults.eventually(() -> sent.stream().filter(Future::isComplete).count() == 32);
      assertThat(faults.callsWaiting()).isPositive();
      for (Future<HttpResponse<Buffer>> f : sent) {
        if (f.isComplete()) {
          HttpResponse<Buffer> refused = f.result();
          assertThat(assertProblem(refused, 503).getString("type")).endsWith(":overloaded");
          assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        }
      }
      faults.release();
      Map<Integer, Long> statuses = sent.stream().map(TestServer::await)
          .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
      assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(200, 8L, 503, 32L));
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aRequestPastItsDeadlineGets504AndItsRowNeverReachesTheModel() {
    Faults faults = new Faults();
    try (TestServer server = TestServer.startWithFaults(faults, "HTTP_INSTANCES", "1", "SCORING_WORKERS", "1",
        "MAX_BATCH_SIZE", "1")) {
      int before = faults.rowsScored();
      faults.stall();
      // The first request occupies the only worker; the second waits behind it with a 200 ms deadline.
      Future<HttpResponse<Buffer>> first = send(server, null);
      Faults.eventually(() -> faults.callsWaiting() == 1);
      HttpResponse<Buffer> late = TestServer.await(send(server, "200"));
      JsonAssert.timeout(assertProblem(late, 504));
      faults.release();
      assertThat(TestServer.await(first).statusCode()).isEqualTo(200);
      // Only the first request's row was scored: the expired one was dropped before the model.
      Faults.eventually(() -> faults.rowsScored() == before + 1);
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
      assertThat(faults.rowsScored()).isEqualTo(before + 2);
    }
  }

  @Test
  void theDefaultDeadlineAnswers504WhenTheModelStalls() {
    Faults faults = new Faults();
    try (TestServer server = TestServer.startWithFaults(faults, "SCORING_TIMEOUT_MS", "300")) {
      faults.stall();
      JsonAssert.timeout(assertProblem(TestServer.await(send(server, null)), 504));
      JsonAssert.timeout(assertProblem(TestServer.await(send(server, "5000")), 504)); // asking for more is capped
      faults.release();
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aMalformedTimeoutHeaderIs400NamingIt() {
    try (TestServer server = TestServer.start()) {
      for (String bad : List.of("0", "-5", "soon", "1.5")) {
        assertThat(assertProblem(TestServer.await(send(server, bad)), 400).getString("detail"))
            .contains("X-Request-Timeout-Ms");
      }
    }
  }

  /** Small helpers for problem bodies. */
  static final class JsonAssert {
    private JsonAssert() {
    }

    static void timeout(io.vertx.core.json.JsonObject problem) {
      assertThat(problem.getString("type")).endsWith(":timeout");
    }
  }
}
