package io.churnserving.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.LogCapture;
import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

/** A W3C traceparent is continued: same trace id on the answer and on the request's log lines. */
class TraceparentTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";

  @Test
  void aValidTraceparentIsContinuedAndLogged() {
    try (LogCapture logs = new LogCapture(); TestServer server = TestServer.start("ACCESS_LOG_PERCENT", "100")) {
      var answer = TestServer.await(server.request(HttpMethod.POST, "/predict")
          .putHeader("Content-Type", "application/json").putHeader("traceparent", "00-" + TRACE + "-" + PARENT + "-01")
          .sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
      assertThat(answer.statusCode()).isEqualTo(200);
      String back = answer.getHeader("traceparent");
      assertThat(back).matches("00-" + TRACE + "-[0-9a-f]{16}-01").doesNotContain(PARENT);
      Faults.eventually(() -> logs.json().stream().anyMatch(l -> TRACE.equals(l.getString("trace_id"))));
      assertThat(logs.json()).anySatisfy(l -> {
        assertThat(l.getString("logger")).isEqualTo("access");
        assertThat(l.getString("trace_id")).isEqualTo(TRACE);
      });
    }
  }

  @Test
  void aMalformedTraceparentIsIgnored() {
    try (TestServer server = TestServer.start()) {
      for (String bad : new String[] {"junk", "00-" + "0".repeat(32) + "-" + PARENT + "-01",
          "ff-" + TRACE + "-" + PARENT + "-01", "00-" + TRACE.toUpperCase() + "-" + PARENT + "-01"}) {
        var answer = TestServer.await(server.request(HttpMethod.POST, "/predict")
            .putHeader("Content-Type", "application/json").putHeader("traceparent", bad)
            .sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.getHeader("traceparent")).isNull();
      }
    }
  }
}
