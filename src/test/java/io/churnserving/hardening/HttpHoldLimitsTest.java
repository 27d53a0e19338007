package io.churnserving.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.ServerProcess;
import io.churnserving.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What one client can make the HTTP layer hold, with raw and hostile clients against the real server: HTTP/2 streams
 * whose answers the client never lets through, HTTP/1.1 answers it never reads, more connections than allowed.
 */
class HttpHoldLimitsTest {
  private static final long MB = 1 << 20;

  /**
   * The attack that took the heap: an HTTP/2 client announces a flow-control window of 0, so no answer can be sent,
   * and opens 100 streams on each of 150 connections (no key needed). The server runs in its own process with a
   * 96 MB heap, which those 15,000 parked streams (about 7.5 KB each) would more than fill.
   */
  @Test
  void http2StreamsWhoseAnswersCannotBeSentDoNotFillTheHeapAndOthersAreServed() throws Exception {
    try (ServerProcess server = ServerProcess.start(Map.of(), "-Xmx96m")) {
      long budget = 96 * MB / 4; // HTTP_BUFFER_BYTES = 0: a quarter of the heap
      Vertx vertx = Vertx.vertx();
      AtomicInteger opened = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      List<HttpClient> attackers = new ArrayList<>();
      for (int c = 0; c < 150; c++) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false).setDefaultPort(server.port()).setDefaultHost("127.0.0.1")
            .setInitialSettings(new Http2Settings().setInitialWindowSize(0)), new PoolOptions().setHttp2MaxSize(1));
        attackers.add(client);
        for (int s = 0; s < 100; s++) {
          client.request(HttpMethod.GET, "/openapi.json").compose(request -> {
            opened.incrementAndGet();
            return request.send();
          }).onSuccess(answer -> answer.pause()).onFailure(e -> failed.incrementAndGet());
        }
      }
      Faults.eventually(() -> opened.get() + failed.get() >= 12_000);

      // While the attack goes on, and after: everyone else is answered, and what the HTTP layer holds stays within
      // its budget.
      double heldMax = 0;
      for (int i = 0; i < 30; i++) {
        int status = server.predict();
        if (status != 200) {
          System.err.println("DIAG " + server.get("/metrics").body().lines()
              .filter(l -> l.startsWith("http_")).toList());
        }
        assertThat(status).as("a normal client's /predict during the attack").isEqualTo(200);
        assertThat(server.status("/health/live")).isEqualTo(200);
        heldMax = Math.max(heldMax, server.metric("http_buffer_bytes"));
        Thread.sleep(100);
      }
      assertThat(heldMax).isLessThanOrEqualTo(budget);
      assertThat(server.metric("http_refusals_total")).isPositive();
      assertThat(server.process().isAlive()).isTrue();
      assertThat(server.stdout() + server.stderr()).doesNotContain("java.lang.OutOfMemoryError");
      assertThat(server.rssBytes()).as("resident set of a server with a 96 MB heap").isLessThan(400 * MB);
      assertThat(server.terminate()).isZero();
      TestServer.await(vertx.close());
    }
  }

  /**
   * An HTTP/1.1 client pipelines requests for a document and never reads: its answers fill the socket's buffers and
   * wait. After the write timeout its connection is closed; meanwhile and after, others are served.
   */
  @Test
  void anHttp1ClientThatNeverReadsIsClosedAfterTheWriteTimeout() throws Exception {
    try (TestServer server = TestServer.start("HTTP_WRITE_TIMEOUT_MS", "500");
         Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
      byte[] request = "GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 300; i++) {
        socket.getOutputStream().write(request);
      }
      socket.getOutputStream().flush();
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
      Faults.eventually(() -> server.get("/metrics").bodyAsString()
          .contains("http_refusals_total{reason=\"not_reading\"} 1.0"));
      // Whatever the socket's buffers still held is readable, then the end: the server closed it.
      assertThat(readsToTheEnd(socket)).isTrue();
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aConnectionPastTheLimitIsClosedAtOnceAndTheLimitFreesAsConnectionsClose() throws Exception {
    try (TestServer server = TestServer.start("HTTP_MAX_CONNECTIONS", "3")) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket socket = new Socket("127.0.0.1", server.port());
          held.add(socket);
          assertThat(ask(socket, "/health/live")).startsWith("HTTP/1.1 200");
        }
        try (Socket fourth = new Socket("127.0.0.1", server.port())) {
          assertThat(ask(fourth, "/health/live")).as("the fourth connection's answer").isEmpty();
        }
        held.remove(0).close();
        Faults.eventually(() -> answersOnANewConnection(server));
      } finally {
        for (Socket socket : held) {
          socket.close();
        }
      }
    }
  }

  /** A WebSocket counts as a connection until it closes, however it closes; then its place is free again. */
  @Test
  void streamsCountTowardTheConnectionLimitUntilTheyClose() throws Exception {
    try (TestServer server = TestServer.start("HTTP_MAX_CONNECTIONS", "2")) {
      WebSocketClient client = server.vertx().createWebSocketClient();
      try {
        List<WebSocket> streams = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          streams.add(TestServer.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
              .setPort(server.port()).setURI("/v1/models/churn/stream").addHeader("X-API-Key", TestServer.KEY))));
        }
        try (Socket third = new Socket("127.0.0.1", server.port())) {
          assertThat(ask(third, "/health/live")).as("a third connection's answer").isEmpty();
        }
        TestServer.await(streams.get(0).close());
        Faults.eventually(() -> answersOnANewConnection(server));
      } finally {
        TestServer.await(client.close());
      }
    }
  }

  private static boolean answersOnANewConnection(TestServer server) {
    try (Socket next = new Socket("127.0.0.1", server.port())) {
      return ask(next, "/health/live").startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends a GET and reads what comes back until the answer's end or the connection's; empty if nothing came. */
  private static String ask(Socket socket, String path) throws IOException {
    socket.setSoTimeout(5000);
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    StringBuilder text = new StringBuilder();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        if (text.indexOf("}") >= 0) {
          break;
        }
      }
    } catch (IOException e) {
      // reset by the server: nothing (more) came
    }
    return text.toString();
  }

  /** Reads until the end of the stream: true if it ends, false if it is still open after 10 s of silence. */
  private static boolean readsToTheEnd(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    byte[] buffer = new byte[65536];
    try {
      while (socket.getInputStream().read(buffer) >= 0) {
        // drain what the buffers held
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset: closed all the same
    }
  }
}
