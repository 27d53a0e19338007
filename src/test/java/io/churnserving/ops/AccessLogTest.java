package io.churnserving.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.LogCapture;
import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One JSON access-log line per request, with the route template and the key's name, never the key. */
class AccessLogTest {
  private static List<JsonObject> accessLines(LogCapture logs) {
    return logs.json().stream().filter(l -> "access".equals(l.getString("logger"))).toList();
  }

  @Test
  void eachRequestIsOneLineWithTheRouteTemplateAndKeyName() {
    try (LogCapture logs = new LogCapture(); TestServer server = TestServer.start("ACCESS_LOG_PERCENT", "100")) {
      var ok = server.postJson("/v1/models/churn:predict", "{\"instances\": [" + TestServer.EXAMPLE + "]}");
      server.get("/nope");
      Faults.eventually(() -> accessLines(logs).size() >= 2);
      JsonObject line = accessLines(logs).stream().filter(l -> l.getInteger("status") == 200).findFirst()
          .orElseThrow();
      assertThat(line.getString("method")).isEqualTo("POST");
      assertThat(line.getString("route")).isEqualTo("/v1/models/{model}[/versions/{version}]:predict");
      assertThat(line.getDouble("duration_ms")).isNotNegative();
      assertThat(line.getLong("bytes")).isEqualTo((long) ok.body().length());
      assertThat(line.getString("key")).isEqualTo("key-1");
      assertThat(line.getString("correlation_id")).isEqualTo(ok.getHeader("X-Request-ID"));
      JsonObject missing = accessLines(logs).stream().filter(l -> l.getInteger("status") == 404).findFirst()
          .orElseThrow();
      assertThat(missing.getString("route")).isEqualTo("unmatched");
      assertThat(logs.raw()).noneMatch(l -> l.contains("\"" + TestServer.KEY + "\""));
    }
  }

  @Test
  void zeroPercentWritesNoAccessLine() {
    try (LogCapture logs = new LogCapture(); TestServer server = TestServer.start("ACCESS_LOG_PERCENT", "0")) {
      server.postJson("/predict", TestServer.EXAMPLE);
      assertThat(accessLines(logs)).isEmpty();
    }
  }
}
