package io.churnserving.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * With OTEL_ENABLED, each request's span goes to the configured OTLP/HTTP endpoint, in the caller's trace. The
 * endpoint here is a real HTTP server in the test standing in for a collector; it records what it is sent.
 *
 * <p>OTLP's protobuf carries trace and span ids as raw bytes, and a span's fields go out in field-number order with
 * empty ones left out: a span named {@code churn.score} whose parent is span P has P's 8 bytes as field 4 followed
 * by its name as field 5, which is what {@link #scoringSpanUnder} looks for.
 */
class OpenTelemetryExportTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final byte[] SCORING = "churn.score".getBytes(StandardCharsets.US_ASCII);

  @Test
  void spansOfRequestsAreExportedInTheCallersTraceUnderTheAnsweredSpanId() {
    // New traces are not sampled at all here: the caller's sampled traceparent alone decides this one.
    try (Collector collector = Collector.start(); TestServer server = collector.exportingServer("0")) {
      String answered = exportedPrediction(server, collector, "00-" + TRACE + "-b7ad6b7169203331-01");
      assertThat(answered.split("-")[1]).isEqualTo(TRACE);
    }
  }

  @Test
  void theScoringOfAnExportedRequestIsAChildSpanOfItsServerSpan() {
    try (Collector collector = Collector.start(); TestServer server = collector.exportingServer("0")) {
      String answered = exportedPrediction(server, collector, "00-" + TRACE + "-b7ad6b7169203331-01");
      byte[] spanId = HexFormat.of().parseHex(answered.split("-")[2]);
      Faults.eventually(() -> collector.count(scoringSpanUnder(spanId)) == 1);
    }
  }

  @Test
  void aGrpcCallIsExportedInTheCallersTraceWithItsScoringUnderIt() throws Exception {
    try (Collector collector = Collector.start(); TestServer server = collector.exportingServer("0")) {
      io.grpc.ManagedChannel channel = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", server.port())
          .usePlaintext().build();
      try {
        io.grpc.Metadata sent = new io.grpc.Metadata();
        sent.put(io.grpc.Metadata.Key.of("x-api-key", io.grpc.Metadata.ASCII_STRING_MARSHALLER), TestServer.KEY);
        sent.put(io.grpc.Metadata.Key.of("traceparent", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
            "00-" + TRACE + "-b7ad6b7169203331-01");
        var headers = new java.util.concurrent.atomic.AtomicReference<io.grpc.Metadata>();
        io.churnserving.grpc.proto.GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
            .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(sent),
                io.grpc.stub.MetadataUtils.newCaptureMetadataInterceptor(headers,
                    new java.util.concurrent.atomic.AtomicReference<>()))
            .modelInfer(io.churnserving.support.GrpcRows.row("traced", 24));
        String answered = headers.get().get(io.grpc.Metadata.Key.of("traceparent",
            io.grpc.Metadata.ASCII_STRING_MARSHALLER));
        assertThat(answered.split("-")[1]).isEqualTo(TRACE);
        byte[] spanId = HexFormat.of().parseHex(answered.split("-")[2]);
        Faults.eventually(() -> collector.count(scoringSpanUnder(spanId)) == 1);
      } finally {
        channel.shutdownNow().awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aRequestWithoutTraceparentIsAnsweredWithTheTraceItWasExportedIn() {
    try (Collector collector = Collector.start(); TestServer server = collector.exportingServer("100")) {
      assertThat(exportedPrediction(server, collector, null)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }
  }

  @Test
  void streamMessagesMakeNoScoringSpansUnderTheirEndedUpgradeSpan() {
    try (Collector collector = Collector.start(); TestServer server = collector.exportingServer("100")) {
      WebSocketClient client = server.vertx().createWebSocketClient();
      try {
        WebSocket ws = TestServer.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
            .setPort(server.port()).setURI("/v1/models/churn/stream").addHeader("X-API-Key", TestServer.KEY)));
        Promise<String> answer = Promise.promise();
        ws.textMessageHandler(answer::tryComplete);
        ws.writeTextMessage(new JsonObject().put("id", "1").put("instance", new JsonObject(TestServer.EXAMPLE))
            .encode());
        assertThat(TestServer.await(answer.future())).contains("\"prediction\"");
      } finally {
        TestServer.await(client.close());
      }
      // A prediction afterwards, and its scoring span: spans are exported in the order they end, so by the time
      // this one is in, a span the stream message made would be too.
      String answered = exportedPrediction(server, collector, "00-" + TRACE + "-b7ad6b7169203331-01");
      byte[] spanId = HexFormat.of().parseHex(answered.split("-")[2]);
      Faults.eventually(() -> collector.count(scoringSpanUnder(spanId)) == 1);
      assertThat(collector.count(SCORING)).isEqualTo(1);
    }
  }

  /** A browser's stream passes its key in the query string; the exported upgrade span carries the URL, never the key. */
  @Test
  void aStreamKeyInTheQueryStringIsNotExported() {
    try (Collector collector = Collector.start(); TestServer server = collector.exportingServer("100")) {
      WebSocketClient client = server.vertx().createWebSocketClient();
      try {
        TestServer.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
            .setURI("/v1/models/churn/stream?api_key=" + TestServer.KEY + "&x=1")));
      } finally {
        TestServer.await(client.close());
      }
      byte[] redacted = "api_key=REDACTED&x=1".getBytes(StandardCharsets.US_ASCII);
      Faults.eventually(() -> collector.count(redacted) > 0);
      assertThat(collector.count(("api_key=" + TestServer.KEY).getBytes(StandardCharsets.US_ASCII))).isZero();
    }
  }

  /**
   * Sends one prediction (with the given traceparent, if any) and waits until the collector has received the span
   * the answer's {@code traceparent} names.
   *
   * @return the answer's traceparent
   */
  private static String exportedPrediction(TestServer server, Collector collector, String traceparent) {
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
    Faults.eventually(() -> collector.received.stream()
        .anyMatch(b -> indexOf(b.getBytes(), traceId, 0) >= 0 && indexOf(b.getBytes(), spanId, 0) >= 0));
    return answered;
  }

  /** The bytes of a span named {@code churn.score} whose parent is {@code parentSpanId}: fields 4 and 5. */
  private static byte[] scoringSpanUnder(byte[] parentSpanId) {
    byte[] bytes = new byte[2 + parentSpanId.length + 2 + SCORING.length];
    bytes[0] = 0x22; // field 4 (parent_span_id), length-delimited
    bytes[1] = (byte) parentSpanId.length;
    System.arraycopy(parentSpanId, 0, bytes, 2, parentSpanId.length);
    bytes[2 + parentSpanId.length] = 0x2a; // field 5 (name), length-delimited
    bytes[3 + parentSpanId.length] = (byte) SCORING.length;
    System.arraycopy(SCORING, 0, bytes, 4 + parentSpanId.length, SCORING.length);
    return bytes;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The stand-in collector: records every body posted to {@code /v1/traces}. */
  private record Collector(Vertx vertx, HttpServer server, List<Buffer> received) implements AutoCloseable {
    static Collector start() {
      Vertx vertx = Vertx.vertx();
      List<Buffer> received = new CopyOnWriteArrayList<>();
      // The JDK client offers an h2c upgrade with its first POST. Vert.x would accept it, and then at times never
      // delivers the upgraded request's body; a collector (Go's net/http) ignores the offer and stays on HTTP/1.1.
      HttpServerOptions http1 = new HttpServerOptions().setHttp2ClearTextEnabled(false);
      HttpServer server = TestServer.await(vertx.createHttpServer(http1).requestHandler(req -> {
        if (req.path().equals("/v1/traces")) {
          req.body().onSuccess(received::add);
        }
        req.response().setStatusCode(200).end();
      }).listen(0, "127.0.0.1"));
      return new Collector(vertx, server, received);
    }

    /** A server exporting here, sampling this percentage of new traces. */
    TestServer exportingServer(String samplePercent) {
      return TestServer.start("OTEL_ENABLED", "true", "OTEL_SAMPLE_PERCENT", samplePercent,
          "OTEL_ENDPOINT", "http://127.0.0.1:" + server.actualPort() + "/v1/traces");
    }

    /** How many times these bytes occur in everything received. */
    int count(byte[] bytes) {
      int n = 0;
      for (Buffer body : received) {
        byte[] all = body.getBytes();
        for (int at = indexOf(all, bytes, 0); at >= 0; at = indexOf(all, bytes, at + 1)) {
          n++;
        }
      }
      return n;
    }

    @Override
    public void close() {
      TestServer.await(vertx.close());
    }
  }
}
