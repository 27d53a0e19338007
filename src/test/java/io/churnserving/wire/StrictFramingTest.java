package io.churnserving.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request head that two parties could read two ways (RFC 9112, 6.1 and 6.3) gets a 400 problem, and the
 * connection is closed once it is written: read from a raw socket, since no client library sends such heads.
 */
class StrictFramingTest {
  private static final String BODY = TestServer.EXAMPLE;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String predict(String headers, String body) {
    return "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers + "\r\n"
        + body;
  }

  private static String chunked(String body) {
    return Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
  }

  @Test
  void ambiguousHeadsGetA400ProblemAndAClosedConnection() throws Exception {
    String key = "X-API-Key: " + TestServer.KEY + "\r\n";
    Map<String, String> requests = new LinkedHashMap<>();
    requests.put("Transfer-Encoding: gzip, chunked", predict(key + "Transfer-Encoding: gzip, chunked\r\n",
        chunked(BODY)));
    requests.put("Transfer-Encoding: chunked, chunked", predict(key + "Transfer-Encoding: chunked, chunked\r\n",
        chunked(BODY)));
    requests.put("Transfer-Encoding twice", predict(key + "Transfer-Encoding: chunked\r\n"
        + "Transfer-Encoding: chunked\r\n", chunked(BODY)));
    requests.put("Transfer-Encoding: identity with Content-Length", predict(key
        + "Transfer-Encoding: identity\r\nContent-Length: " + BODY.length() + "\r\n", BODY));
    requests.put("two Host headers", predict(key + "Host: elsewhere\r\nContent-Length: " + BODY.length() + "\r\n",
        BODY));
    requests.put("two X-API-Key headers", predict(key + "X-API-Key: other\r\nContent-Length: " + BODY.length()
        + "\r\n", BODY));
    requests.put("two X-API-Key headers on a GET", "GET /v1/models/churn/monitor HTTP/1.1\r\nHost: x\r\n"
        + key + key + "\r\n");
    requests.put("two Content-Length headers that disagree", predict(key + "Content-Length: " + BODY.length()
        + "\r\nContent-Length: 3\r\n", BODY));
    for (var request : requests.entrySet()) {
      RawHttp.Answer answer = RawHttp.send(server.port(), request.getValue());
      assertThat(answer.statusLine()).as(request.getKey() + ": " + answer.text()).startsWith("HTTP/1.1 400 ");
      assertThat(answer.header("Content-Type")).as(request.getKey()).isEqualTo("application/problem+json");
      JsonObject problem = new JsonObject(answer.body());
      assertThat(problem.getInteger("status")).isEqualTo(400);
      assertThat(problem.getString("correlation_id")).as(request.getKey()).isNotBlank()
          .isEqualTo(answer.header("X-Request-ID"));
      assertThat(answer.header("Connection")).as(request.getKey()).isEqualToIgnoringCase("close");
      assertThat(answer.closed()).as(request.getKey() + ": the connection closes after the answer").isTrue();
    }
    // The server serves on.
    assertThat(server.postJson("/predict", BODY).statusCode()).isEqualTo(200);
  }

  @Test
  void plainChunkedAndPlainContentLengthStillWork() throws Exception {
    String key = "X-API-Key: " + TestServer.KEY + "\r\nConnection: close\r\n";
    assertThat(RawHttp.send(server.port(), predict(key + "Transfer-Encoding: chunked\r\n", chunked(BODY)))
        .statusLine()).startsWith("HTTP/1.1 200 ");
    assertThat(RawHttp.send(server.port(), predict(key + "Content-Length: " + BODY.length() + "\r\n", BODY))
        .statusLine()).startsWith("HTTP/1.1 200 ");
  }
}
