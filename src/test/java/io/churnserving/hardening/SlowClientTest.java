package io.churnserving.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.LogCapture;
import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Raw sockets that misbehave: oversized heads, trickled bodies, silent connections. Others are still served. */
class SlowClientTest {
  /** A raw connection to the server, with everything it has received and whether the server closed it. */
  private record Raw(NetSocket socket, StringBuffer received, AtomicBoolean closed) {
    static Raw connect(TestServer server) {
      NetSocket socket = TestServer.await(server.vertx().createNetClient().connect(server.port(), "127.0.0.1"));
      Raw raw = new Raw(socket, new StringBuffer(), new AtomicBoolean());
      socket.handler(b -> raw.received.append(b.toString(StandardCharsets.ISO_8859_1)));
      socket.closeHandler(v -> raw.closed.set(true));
      return raw;
    }

    String text() {
      return received.toString();
    }
  }

  @Test
  void aHeadOverTheLimitIsRefusedWith431() {
    try (TestServer server = TestServer.start("HTTP_MAX_HEADER_BYTES", "2048")) {
      Raw raw = Raw.connect(server);
      raw.socket().write("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4096) + "\r\n\r\n");
      Faults.eventually(() -> raw.text().startsWith("HTTP/1.1 431") && raw.closed().get());
      assertThat(raw.text()).contains("application/problem+json").containsIgnoringCase("x-request-id:")
          .contains("\"status\":431");
      assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aRequestLineOverTheLimitIsRefusedWith414AsAProblem() {
    try (TestServer server = TestServer.start()) {
      Raw raw = Raw.connect(server);
      raw.socket().write("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
      Faults.eventually(raw.closed()::get);
      assertThat(raw.text()).startsWith("HTTP/1.0 414").contains("application/problem+json")
          .containsIgnoringCase("x-request-id:").contains("\"type\":\"urn:problem:churn-serving:uri-too-long\"");
    }
  }

  @Test
  void aHeadTheDecoderCannotReadGets400NamingWhyAndTheConnectionCloses() {
    try (TestServer server = TestServer.start()) {
      Raw raw = Raw.connect(server);
      raw.socket().write("POST /predict HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestServer.KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{}");
      Faults.eventually(raw.closed()::get);
      assertThat(raw.text()).startsWith("HTTP/1.1 400").contains("application/problem+json")
          .containsIgnoringCase("x-request-id:").contains("Content-Length");
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aPathThatCannotBeDecodedGets400AsAProblemAndLogsNoError() {
    try (LogCapture logs = new LogCapture(); TestServer server = TestServer.start()) {
      Raw raw = Raw.connect(server);
      raw.socket().write("GET /pre%zzdict HTTP/1.1\r\nHost: x\r\n\r\n");
      Faults.eventually(() -> raw.text().contains("}"));
      assertThat(raw.text()).startsWith("HTTP/1.1 400").contains("application/problem+json")
          .containsIgnoringCase("x-request-id:").contains("Invalid escape sequence: %zz");
      assertThat(logs.json()).noneMatch(line -> "ERROR".equals(line.getString("level")));
    }
  }

  @Test
  void aRequestWithoutAHostHeaderGets400NamingItWithACorrelationId() {
    try (TestServer server = TestServer.start()) {
      Raw raw = Raw.connect(server);
      String body = TestServer.EXAMPLE;
      raw.socket().write("POST /predict HTTP/1.1\r\nX-API-Key: " + TestServer.KEY + "\r\nX-Request-ID: no-host-1"
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
      Faults.eventually(() -> raw.text().contains("}"));
      String answer = raw.text();
      assertThat(answer).startsWith("HTTP/1.1 400").containsIgnoringCase("x-request-id: no-host-1")
          .contains("application/problem+json").contains("'Host' header is required")
          .contains("\"correlation_id\":\"no-host-1\"");
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aBodyTrickledPastTheBodyTimeoutGets408AndTheConnectionCloses() {
    try (TestServer server = TestServer.start("HTTP_BODY_TIMEOUT_MS", "300")) {
      Raw raw = Raw.connect(server);
      String body = TestServer.EXAMPLE;
      raw.socket().write("POST /predict HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestServer.KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
          + body.substring(0, 10));
      // The rest never comes. Meanwhile the server serves others.
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
      Faults.eventually(raw.closed()::get);
      assertThat(raw.text()).startsWith("HTTP/1.1 408").contains("application/problem+json");
    }
  }

  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeout() {
    try (TestServer server = TestServer.start("HTTP_IDLE_TIMEOUT_S", "1")) {
      Raw raw = Raw.connect(server);
      Faults.eventually(raw.closed()::get);
      assertThat(raw.text()).isEmpty();
    }
  }

  @Test
  void aBodyLargerThanTheLimitIsRefusedBeforeItIsRead() {
    try (TestServer server = TestServer.start()) {
      Raw raw = Raw.connect(server);
      // Announces 100 MB and sends none of it: the answer comes from the Content-Length alone.
      raw.socket().write(Buffer.buffer("POST /predict HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestServer.KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n"));
      Faults.eventually(() -> raw.text().startsWith("HTTP/1.1 413"));
    }
  }
}
