package io.churnserving.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 405 names the methods the path does take ({@code Allow}, RFC 9110 15.5.6), and a HEAD answer carries the
 * {@code Content-Length} the GET would (RFC 9110 9.3.2), read from a raw socket so nothing in between adds or drops
 * a header.
 */
class AllowAndHeadTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static RawHttp.Answer call(String method, String path) throws Exception {
    return RawHttp.send(server.port(), method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
        + TestServer.KEY + "\r\nConnection: close\r\n\r\n");
  }

  @Test
  void a405NamesTheMethodsThePathTakes() throws Exception {
    record Case(String method, String path, String allow) { }
    for (Case c : List.of(new Case("GET", "/predict", "POST"), new Case("DELETE", "/openapi.json", "GET, HEAD"),
        new Case("PUT", "/health", "GET, HEAD"), new Case("GET", "/v1/models/churn:predict", "POST"))) {
      RawHttp.Answer answer = call(c.method(), c.path());
      assertThat(answer.statusLine()).as(c + answer.text()).startsWith("HTTP/1.1 405 ");
      assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(new JsonObject(answer.body()).getString("correlation_id")).isEqualTo(answer.header("X-Request-ID"));
      assertThat(answer.header("Allow")).as(c.toString()).isEqualTo(c.allow());
    }
  }

  @Test
  void headAnswersCarryTheContentLengthOfTheGet() throws Exception {
    for (String path : List.of("/openapi.json", "/health", "/health/live", "/health/ready", "/metrics", "/docs")) {
      RawHttp.Answer get = call("GET", path);
      RawHttp.Answer head = call("HEAD", path);
      assertThat(get.statusLine()).as(path).startsWith("HTTP/1.1 200 ");
      assertThat(head.statusLine()).as(path + head.text()).startsWith("HTTP/1.1 200 ");
      assertThat(head.body()).as(path).isEmpty();
      assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
      if (!path.equals("/metrics") && !path.equals("/health")) { // their bodies change from one call to the next
        assertThat(head.header("Content-Length")).as(path).isEqualTo(get.header("Content-Length"));
      }
      assertThat(head.header("Content-Length")).as(path).isNotNull();
    }
  }
}
