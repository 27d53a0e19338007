package io.churnserving.hardening;

import static io.churnserving.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.LogCapture;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a client does wrong, or gives up on, is the client's: it is counted as such, logged below ERROR, and neither
 * counts toward {@code recent_errors} and {@code server_errors_total} nor turns {@code /health} degraded, which is
 * what the README's error alert watches. A fault of the server's own still does all of that.
 */
class ClientFaultsTest {
  /** More than the 5 server errors a minute after which /health says degraded. */
  private static final int FAULTS = 6;
  private static final String HEAD = "POST /predict HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestServer.KEY
      + "\r\nContent-Type: application/json\r\n";

  @Test
  void uploadsAbortedMidBodyAreCountedClientClosedAndAreNoServerError() throws Exception {
    try (LogCapture log = new LogCapture(); TestServer server = TestServer.start()) {
      List<Socket> sockets = new ArrayList<>();
      for (int i = 0; i < FAULTS; i++) {
        Socket socket = new Socket("127.0.0.1", server.port());
        sockets.add(socket);
        socket.getOutputStream().write((HEAD + "Content-Length: 1000\r\n\r\n{\"tenure_")
            .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
      }
      // The server is reading every one of them (the scrape that asks is active too); then the clients go away.
      Faults.eventually(() -> metric(server, "vertx_http_server_active_requests") >= FAULTS + 1);
      for (Socket socket : sockets) {
        socket.close();
      }
      Faults.eventually(() -> predictions(server, "transport=\"http\"") >= FAULTS);
      assertThat(predictions(server, "outcome=\"client-closed\",transport=\"http\"")).isEqualTo(FAULTS);
      // Nobody was answered: the HTTP meter counts them as nginx would, 499, not as 200 or 500.
      assertThat(metric(server, "vertx_http_server_requests_total{code=\"499\",route=\"/predict\"}"))
          .isEqualTo(FAULTS);
      assertThat(metric(server, "vertx_http_server_requests_total{code=\"200\",route=\"/predict\"}")).isNaN();
      assertNoServerError(server, log);
    }
  }

  /**
   * Chunked bodies the HTTP decoder cannot read: a chunk size that is not hex, one that overflows, and a chunk
   * extension far over the line limit. Each is the client's framing: a 400 problem, read from the raw socket, then
   * the connection closes.
   */
  @Test
  void aChunkedBodyTheDecoderCannotReadGets400AndAClosedConnection() throws Exception {
    Map<String, String> bodies = Map.of(
        "a chunk size that is not hex", "zz\r\n{}\r\n0\r\n\r\n",
        "a chunk size that overflows", "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
        "a 100 KB chunk extension", "2;" + "e".repeat(100 * 1024) + "\r\n{}\r\n0\r\n\r\n");
    try (LogCapture log = new LogCapture(); TestServer server = TestServer.start()) {
      for (var body : bodies.entrySet()) {
        for (int i = 0; i < FAULTS / bodies.size(); i++) {
          try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write((HEAD + "Transfer-Encoding: chunked\r\n\r\n" + body.getValue())
                .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            Read answer = readToTheEnd(socket);
            assertThat(answer.text()).as(body.getKey()).startsWith("HTTP/1.1 400 ")
                .containsIgnoringCase("content-type: application/problem+json").contains("\"status\":400");
            assertThat(answer.closed()).as(body.getKey() + ": the connection closes after the answer").isTrue();
          }
        }
      }
      assertThat(predictions(server, "outcome=\"bad-request\",transport=\"http\"")).isEqualTo(FAULTS);
      assertThat(metric(server, "vertx_http_server_requests_total{code=\"400\",route=\"/predict\"}"))
          .isEqualTo(FAULTS);
      assertNoServerError(server, log);
      // The server serves on: the bad framing spoiled only its own connection.
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
    }
  }

  /** An HTTP/2 client (prior knowledge, no upgrade) sends part of each body, then resets the streams. */
  @Test
  void http2StreamsResetMidBodyAreCountedClientClosedAndAreNoServerError() throws Exception {
    try (LogCapture log = new LogCapture(); TestServer server = TestServer.start()) {
      HttpClient h2 = server.vertx().createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
          .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
      try {
        List<HttpClientRequest> streams = new ArrayList<>();
        for (int i = 0; i < FAULTS; i++) {
          HttpClientRequest request = TestServer.await(h2.request(HttpMethod.POST, "/predict"));
          request.putHeader("X-API-Key", TestServer.KEY).putHeader("Content-Type", "application/json")
              .putHeader("Content-Length", "1000").exceptionHandler(e -> { }); // the client's own "Stream reset"
          TestServer.await(request.write("{\"tenure_months\": 24, "));
          streams.add(request);
        }
        Faults.eventually(() -> metric(server, "vertx_http_server_active_requests") >= FAULTS + 1);
        for (HttpClientRequest request : streams) {
          TestServer.await(request.reset());
        }
        Faults.eventually(() -> predictions(server, "transport=\"http\"") >= FAULTS);
        assertThat(predictions(server, "outcome=\"client-closed\",transport=\"http\"")).isEqualTo(FAULTS);
        assertThat(metric(server, "vertx_http_server_requests_total{code=\"499\",route=\"/predict\"}"))
            .isEqualTo(FAULTS);
        assertThat(metric(server, "vertx_http_server_requests_total{code=\"500\"")).isNaN();
        assertNoServerError(server, log);
        // The connection and the server carry on.
        HttpClientRequest next = TestServer.await(h2.request(HttpMethod.POST, "/predict"));
        next.putHeader("X-API-Key", TestServer.KEY).putHeader("Content-Type", "application/json");
        assertThat(TestServer.await(next.send(TestServer.EXAMPLE)).statusCode()).isEqualTo(200);
      } finally {
        TestServer.await(h2.close());
      }
    }
  }

  /**
   * A client that asks for a 1 ms deadline and gets a 504 chose it: client-timeout, no server error. A 504 at the
   * server's own deadline, with no header or with a header asking for more than the server allows, is the server
   * failing its promise: still a server error, at ERROR, counted and degrading /health.
   */
  @Test
  void a504OnTheClientsOwnDeadlineIsClientTimeoutButOneOnTheServersDeadlineIsAServerError() throws Exception {
    Faults faults = new Faults();
    try (LogCapture log = new LogCapture();
         // The stalled model's timeouts would open the circuit breaker, whose "unhealthy" is not what this is about.
         TestServer server = TestServer.startWithFaults(faults, "SCORING_TIMEOUT_MS", "300",
             "CIRCUIT_MAX_FAILURES", "1000")) {
      faults.stall();
      try {
        for (int i = 0; i < FAULTS; i++) {
          HttpResponse<Buffer> chosen = TestServer.await(predict(server, "1"));
          assertThat(assertProblem(chosen, 504).getString("type")).endsWith(":timeout");
        }
        assertThat(predictions(server, "outcome=\"client-timeout\",transport=\"http\"")).isEqualTo(FAULTS);
        assertThat(metric(server, "rejections_total{reason=\"timeout\"}")).isEqualTo(FAULTS);
        assertNoServerError(server, log);

        // No header, or one asking for more than the server's 300 ms (capped to them): the server's own deadline.
        for (int i = 0; i < FAULTS; i++) {
          HttpResponse<Buffer> late = TestServer.await(predict(server, i % 2 == 0 ? null : "5000"));
          assertThat(assertProblem(late, 504).getString("type")).endsWith(":timeout");
        }
        assertThat(predictions(server, "outcome=\"client-timeout\"")).as("still only those the client chose")
            .isEqualTo(FAULTS);
        assertThat(predictions(server, "outcome=\"timeout\",transport=\"http\"")).isEqualTo(FAULTS);
        assertThat(metric(server, "server_errors_total")).isEqualTo(FAULTS);
        JsonObject health = server.get("/health").bodyAsJsonObject();
        assertThat(recentErrors(health).getInteger("server_errors_last_60s")).isEqualTo(FAULTS);
        assertThat(recentErrors(health).getString("status")).isEqualTo("degraded");
        assertThat(errorLines(log)).hasSize(FAULTS);
      } finally {
        faults.release();
      }
    }
  }

  /**
   * A flood of 503 overloaded (a stalled model, a queue of one row) is saturation, not a fault: no ERROR line, no
   * server error, and at most one WARN line a second for it, however many refusals.
   */
  @Test
  void manyOverloadedRefusalsLogNoErrorAndAtMostAWarnLineASecond() throws Exception {
    Faults faults = new Faults();
    try (LogCapture log = new LogCapture();
         TestServer server = TestServer.startWithFaults(faults, "SCORING_QUEUE_ROWS", "1",
             "SCORING_TIMEOUT_MS", "60000")) {
      faults.stall();
      try {
        List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
        long started = System.nanoTime();
        sent.add(predict(server, null));
        Faults.eventually(() -> faults.callsWaiting() == 1); // the one row admitted holds the queue
        for (int i = 0; i < 500; i++) {
          sent.add(predict(server, null));
        }
        // Every one refused at once (a server that counted its queue per event loop would admit one more).
        Faults.eventually(() -> sent.stream().filter(Future::isComplete).count() >= 499);
        long elapsedSeconds = (System.nanoTime() - started) / 1_000_000_000L;
        List<HttpResponse<Buffer>> refused = sent.stream().filter(Future::isComplete).map(Future::result).toList();
        assertThat(refused).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(503));

        List<JsonObject> warnings = log.json().stream().filter(l -> "WARN".equals(l.getString("level")))
            .filter(l -> l.getString("message").contains("Request refused")).toList();
        // At most one line a second for the whole server (every event loop together). The lines say how many they
        // left out: the refusals are not hidden, only not written one line each.
        assertThat(warnings).isNotEmpty().hasSizeLessThanOrEqualTo((int) (1 + elapsedSeconds));
        for (int i = 1; i < warnings.size(); i++) {
          // A second apart by the throttle's clock; the log's wall clock may differ from it by a little.
          assertThat(Duration.between(Instant.parse(warnings.get(i - 1).getString("timestamp")),
              Instant.parse(warnings.get(i).getString("timestamp")))).isGreaterThan(Duration.ofMillis(900));
        }
        assertThat(warnings.stream().mapToLong(l -> l.getLong("not_logged_since")).sum() + warnings.size())
            .isLessThanOrEqualTo(501);
        assertThat(metric(server, "rejections_total{reason=\"overloaded\"}")).isGreaterThanOrEqualTo(refused.size());
        assertNoServerError(server, log);
      } finally {
        faults.release();
      }
    }
  }

  private static Future<HttpResponse<Buffer>> predict(TestServer server, String timeoutMs) {
    var request = server.request(HttpMethod.POST, "/predict").putHeader("Content-Type", "application/json");
    if (timeoutMs != null) {
      request.putHeader("X-Request-Timeout-Ms", timeoutMs);
    }
    return request.sendBuffer(Buffer.buffer(TestServer.EXAMPLE));
  }

  /** Nothing counted as the server's fault, nothing logged at ERROR, and /health not degraded by it. */
  private static void assertNoServerError(TestServer server, LogCapture log) {
    assertThat(errorLines(log)).as("ERROR lines").isEmpty();
    assertThat(metric(server, "server_errors_total")).isEqualTo(0);
    JsonObject health = server.get("/health").bodyAsJsonObject();
    assertThat(recentErrors(health).getInteger("server_errors_last_60s")).isZero();
    assertThat(recentErrors(health).getString("status")).isNotEqualTo("degraded");
    assertThat(health.getString("status")).as(health.encode()).isEqualTo("healthy");
  }

  private static List<String> errorLines(LogCapture log) {
    return log.json().stream().filter(l -> "ERROR".equals(l.getString("level"))).map(JsonObject::encode).toList();
  }

  private static JsonObject recentErrors(JsonObject health) {
    return health.getJsonObject("checks").getJsonObject("recent_errors");
  }

  /** The sum of the samples whose line starts with {@code prefix} (a name, or a name and its first labels). */
  private static double metric(TestServer server, String prefix) {
    List<Double> values = server.get("/metrics").bodyAsString().lines().filter(l -> l.startsWith(prefix))
        .filter(l -> prefix.contains("{") || l.startsWith(prefix + " ") || l.startsWith(prefix + "{"))
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).toList();
    return values.isEmpty() ? Double.NaN : values.stream().mapToDouble(Double::doubleValue).sum();
  }

  /** {@code predictions_total} summed over the samples whose labels contain {@code labels}. */
  private static double predictions(TestServer server, String labels) {
    return server.get("/metrics").bodyAsString().lines()
        .filter(l -> l.startsWith("predictions_total{") && l.contains(labels))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** What came back on a raw connection, and whether the server closed it (rather than going silent). */
  private record Read(String text, boolean closed) {
  }

  private static Read readToTheEnd(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    boolean closed;
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        got.write(buffer, 0, n);
      }
      closed = true;
    } catch (SocketTimeoutException e) {
      closed = false;
    } catch (IOException e) {
      closed = true; // reset by the server: closed all the same
    }
    return new Read(got.toString(StandardCharsets.ISO_8859_1), closed);
  }
}
