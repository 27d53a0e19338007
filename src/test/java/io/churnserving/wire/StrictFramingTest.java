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

  /**
   * Content-Length beside chunked (RFC 9112, 6.1): Netty's decoder drops the Content-Length, so the request is served
   * by its chunks alone, but its connection is closed after the answer, as that section requires. Here the
   * Content-Length covers a second request, as a proxy in front that framed by it would forward: it is never read as
   * one. Sent on a new cleartext connection, so this is the connection's first request.
   */
  @Test
  void contentLengthBesideChunkedIsServedByTheChunksAndTheConnectionClosed() throws Exception {
    String smuggled = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    String body = chunked(BODY) + smuggled;
    RawHttp.Answer answer = RawHttp.send(server.port(), predict("X-API-Key: " + TestServer.KEY
        + "\r\nTransfer-Encoding: chunked\r\nContent-Length: " + body.length() + "\r\n", body));
    assertThat(answer.statusLine()).as(answer.text()).startsWith("HTTP/1.1 200 ");
    assertThat(answer.body()).contains("churn_probability");
    assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
    assertThat(answer.text().split("HTTP/1\\.1 ", -1)).as("one answer: " + answer.text()).hasSize(2);
    assertThat(answer.closed()).isTrue();
  }

  /** Any chunked request closes its connection after the answer; a request with a Content-Length keeps it open. */
  @Test
  void chunkedClosesItsConnectionAfterTheAnswerWhileContentLengthKeepsItOpen() throws Exception {
    String key = "X-API-Key: " + TestServer.KEY + "\r\n";
    String next = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    RawHttp.Answer chunked = RawHttp.send(server.port(), predict(key + "Transfer-Encoding: chunked\r\n",
        chunked(BODY)) + next);
    assertThat(chunked.text().split("HTTP/1\\.1 ", -1)).as(chunked.text()).hasSize(2);
    assertThat(chunked.header("Connection")).isEqualToIgnoringCase("close");
    assertThat(chunked.closed()).isTrue();
    RawHttp.Answer sized = RawHttp.send(server.port(), predict(key + "Content-Length: " + BODY.length() + "\r\n",
        BODY) + next);
    assertThat(sized.text().split("HTTP/1\\.1 200 ", -1)).as(sized.text()).hasSize(3);
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
