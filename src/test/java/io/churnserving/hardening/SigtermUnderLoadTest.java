package io.churnserving.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.app.Main;
import io.churnserving.support.Faults;
import io.churnserving.support.JavaProcess;
import io.churnserving.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The real process under load gets SIGTERM: it drains and exits 0, and every request it answered was answered in
 * full (200); the only failures a client sees are connections refused or closed before an answer began.
 */
class SigtermUnderLoadTest {
  @Test
  void sigtermUnderLoadDrainsAndExitsZero() throws Exception {
    try (JavaProcess.Running server = JavaProcess.start(Main.class.getName(), Map.of(
        "CONFIG_PATH", "conf/config.json", "HTTP_PORT", "0", "DRAIN_TIMEOUT_MS", "5000",
        "SHUTDOWN_GRACE_MS", "500"))) { // a short grace: the load goes on through it, and is served
      Faults.eventually(() -> read(server).contains("Server ready"));
      int port = read(server).lines().filter(l -> l.contains("Server ready")).map(JsonObject::new)
          .findFirst().orElseThrow().getInteger("port");

      Vertx vertx = Vertx.vertx();
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(32));
      AtomicInteger ok = new AtomicInteger();
      Map<Integer, Integer> otherStatuses = new ConcurrentHashMap<>();
      AtomicInteger connectionFailures = new AtomicInteger();
      AtomicBoolean stopped = new AtomicBoolean();
      for (int c = 0; c < 32; c++) {
        loop(client, ok, otherStatuses, connectionFailures, stopped);
      }
      Faults.eventually(() -> ok.get() > 2000);
      server.process().destroy(); // SIGTERM
      assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      stopped.set(true);
      assertThat(server.process().exitValue()).as(server.stderrText()).isZero();
      assertThat(otherStatuses).isEmpty();
      assertThat(read(server)).contains("Shutting down").contains("Drained");
      TestServer.await(vertx.close());
    }
  }

  private static String read(JavaProcess.Running server) {
    try {
      return server.stdoutText();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void loop(WebClient client, AtomicInteger ok, Map<Integer, Integer> otherStatuses,
                           AtomicInteger connectionFailures, AtomicBoolean stopped) {
    if (stopped.get()) {
      return;
    }
    client.post("/predict").putHeader("X-API-Key", TestServer.KEY).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(TestServer.EXAMPLE)).onComplete(ar -> {
          if (ar.failed()) {
            connectionFailures.incrementAndGet();
            if (connectionFailures.get() > 10_000) {
              return; // the server is gone; stop hammering a closed port
            }
          } else if (ar.result().statusCode() == 200) {
            ok.incrementAndGet();
          } else {
            otherStatuses.merge(ar.result().statusCode(), 1, Integer::sum);
          }
          loop(client, ok, otherStatuses, connectionFailures, stopped);
        });
  }
}
