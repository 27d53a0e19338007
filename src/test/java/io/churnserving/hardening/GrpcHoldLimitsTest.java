package io.churnserving.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.StreamResetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * gRPC calls do not pass the route table, yet each is charged to the HTTP layer's budget before its message is read:
 * a client that opens calls and never finishes their messages (no key needed for ServerLive) holds at most the
 * budget, its calls past it are refused with REFUSED_STREAM, and everyone else is served.
 */
class GrpcHoldLimitsTest {
  private static final long BUDGET = 2 << 20;
  /** The smallest a connection's share may be: the batch body limit (1 MiB) plus 64 KiB. */
  private static final long PER_CONNECTION = (1 << 20) + (64 << 10);
  /** REFUSED_STREAM (RFC 9113, 7). */
  private static final long REFUSED_STREAM = 0x7;

  @Test
  void unfinishedCallsAreChargedToTheBudgetAndThoseBeyondItAreRefused() throws Exception {
    try (TestServer server = TestServer.start("HTTP_BUFFER_BYTES", Long.toString(BUDGET),
        "HTTP_CONNECTION_BUFFER_BYTES", Long.toString(PER_CONNECTION))) {
      AtomicInteger opened = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      List<HttpClient> attackers = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        HttpClient client = server.vertx().createHttpClient(new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false).setDefaultPort(server.port())
            .setDefaultHost("127.0.0.1"), new PoolOptions().setHttp2MaxSize(1));
        attackers.add(client);
        for (int s = 0; s < 10; s++) {
          client.request(HttpMethod.POST, "/inference.GRPCInferenceService/ServerLive").onSuccess(call -> {
            call.putHeader("content-type", "application/grpc").putHeader("te", "trailers").setChunked(true);
            call.exceptionHandler(e -> {
              if (e instanceof StreamResetException reset && reset.getCode() == REFUSED_STREAM) {
                refused.incrementAndGet();
              }
            });
            // A message that says it is 100,000 bytes long (under the 128 KiB limit), of which 16 ever come.
            call.write(Buffer.buffer(new byte[] {0, 0, 1, (byte) 0x86, (byte) 0xa0}).appendBytes(new byte[16]));
            opened.incrementAndGet();
          });
        }
      }
      Faults.eventually(() -> opened.get() == 100 && refused.get() > 0);

      // 100 calls would be charged 13.6 MB. What is held stays within the 2 MB budget and the quarter above it that is
      // kept for connections that keep up (ServerBudget.fitsWithHeadroom), and /predict is served.
      double heldMax = 0;
      for (int i = 0; i < 10; i++) {
        assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
        heldMax = Math.max(heldMax, metric(server, "http_buffer_bytes"));
        Thread.sleep(50);
      }
      assertThat(heldMax).isPositive().isLessThanOrEqualTo(BUDGET + BUDGET / 4);
      assertThat(refused.get()).isGreaterThan(50);

      // Once the attacker is gone, its charges are given back.
      for (HttpClient client : attackers) {
        TestServer.await(client.close());
      }
      Faults.eventually(() -> metric(server, "http_buffer_bytes") < 64 << 10);
    }
  }

  private static double metric(TestServer server, String name) {
    return server.get("/metrics").bodyAsString().lines().filter(l -> l.startsWith(name + " ")).mapToDouble(
        l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
  }
}
