package io.churnserving.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * With OTEL_ENABLED, each request's span goes to the configured OTLP/HTTP endpoint, in the caller's trace. The
 * endpoint here is a real HTTP server in the test standing in for a collector; it records what it is sent.
 */
class OpenTelemetryExportTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void spansOfRequestsAreExportedInTheCallersTraceUnderTheAnsweredSpanId() {
    // New traces are not sampled at all here: the caller's sampled traceparent alone decides this one.
    String answered = exportedTraceparent("0", "00-" + TRACE + "-b7ad6b7169203331-01", false);
    assertThat(answered.split("-")[1]).isEqualTo(TRACE);
  }

  @Test
  void theScoringOfAnExportedRequestIsAChildSpanOfItsServerSpan() {
    String answered = exportedTraceparent("0", "00-" + TRACE + "-b7ad6b7169203331-01", true);
    assertThat(answered.split("-")[1]).isEqualTo(TRACE);
  }

  @Test
  void aRequestWithoutTraceparentIsAnsweredWithTheTraceItWasExportedIn() {
    assertThat(exportedTraceparent("100", null, false)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
  }

  /**
   * Sends one prediction (with the given traceparent, if any) to a server exporting to a stand-in collector, and
   * waits until the collector has received the span the answer's {@code traceparent} names: OTLP's protobuf carries
   * the trace and span ids as raw bytes.
   *
   * @param scoringSpan also wait for a span named {@code churn.score} whose parent is that span. A span's fields
   *                    go out in field-number order, empty ones left out, so such a span has the parent's id
   *                    (field 4, 8 bytes) followed by its name (field 5)
   * @return the answer's traceparent
   */
  private static String exportedTraceparent(String samplePercent, String traceparent, boolean scoringSpan) {
    Vertx collectorVertx = Vertx.vertx();
    List<Buffer> received = new CopyOnWriteArrayList<>();
    // The JDK client offers an h2c upgrade with its first POST. Vert.x would accept it, and then at times never
    // delivers the upgraded request's body; a collector (Go's net/http) ignores the offer and stays on HTTP/1.1.
    HttpServerOptions http1 = new HttpServerOptions().setHttp2ClearTextEnabled(false);
    HttpServer collector = TestServer.await(collectorVertx.createHttpServer(http1).requestHandler(req -> {
      if (req.path().equals("/v1/traces")) {
        req.body().onSuccess(received::add);
      }
      req.response().setStatusCode(200).end();
    }).listen(0, "127.0.0.1"));
    try (TestServer server = TestServer.start("OTEL_ENABLED", "true", "OTEL_SAMPLE_PERCENT", samplePercent,
        "OTEL_ENDPOINT", "http://127.0.0.1:" + collector.actualPort() + "/v1/traces")) {
      var request = server.request(HttpMethod.POST, "/predict").putHeader("Content-Type", "application/json");
      if (traceparent != null) {
        request.putHeader("traceparent", traceparent);
      }
      var answer = TestServer.await(request.sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
      assertThat(answer.statusCode()).isEqualTo(200);
      String answered = answer.getHeader("traceparent");
      assertThat(answered).isNotNull();
      byte[] traceId = HexFormat.of().parseHex(answered.split("-")[1]);
      byte[] spanId = HexFormat.of().parseHex(answered.split("-")[2]);
      Faults.eventually(() -> received.stream()
          .anyMatch(b -> contains(b.getBytes(), traceId) && contains(b.getBytes(), spanId)));
      if (scoringSpan) {
        byte[] name = "churn.score".getBytes(StandardCharsets.US_ASCII);
        byte[] childOf = new byte[2 + spanId.length + 2 + name.length];
        childOf[0] = 0x22; // field 4 (parent_span_id), length-delimited
        childOf[1] = (byte) spanId.length;
        System.arraycopy(spanId, 0, childOf, 2, spanId.length);
        childOf[2 + spanId.length] = 0x2a; // field 5 (name), length-delimited
        childOf[3 + spanId.length] = (byte) name.length;
        System.arraycopy(name, 0, childOf, 4 + spanId.length, name.length);
        Faults.eventually(() -> received.stream()
            .anyMatch(b -> contains(b.getBytes(), traceId) && contains(b.getBytes(), childOf)));
      }
      return answered;
    } finally {
      TestServer.await(collectorVertx.close());
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
