package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.churnserving.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness against a stand-in target that answers 503 to every fifth request, so counting by status can be
 * checked; the harness itself is what is under test here.
 */
class LoadTestTest {
  @TempDir
  Path dir;

  @Test
  void closedAndOpenLoopsCountAnswersByStatusAndWriteReports() throws Exception {
    Vertx vertx = Vertx.vertx();
    Set<String> bodies = ConcurrentHashMap.newKeySet();
    AtomicLong seen = new AtomicLong();
    HttpServer target = TestServer.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      JsonObject json = b.toJsonObject();
      assertThat(json.fieldNames()).containsExactlyInAnyOrder("tenure_months", "monthly_charges", "contract_type",
          "num_products", "internet_service");
      bodies.add(b.toString());
      req.response().setStatusCode(seen.incrementAndGet() % 5 == 0 ? 503 : 200).end("{}");
    })).listen(0, "127.0.0.1"));
    try {
      String url = "http://127.0.0.1:" + target.actualPort() + "/predict";
      Vertx client = Vertx.vertx();
      Report closed = LoadTest.execute(client, BenchOptions.parse(new String[] {"--url", url, "--duration", "1s",
          "--warmup", "0s", "--connections", "4"}, Map.of()));
      assertThat(closed.json().get("requests")).isInstanceOfSatisfying(Long.class, n -> assertThat(n).isPositive());
      @SuppressWarnings("unchecked")
      Map<String, Long> statuses = (Map<String, Long>) closed.json().get("status_counts");
      assertThat(statuses).containsKeys("200", "503");
      assertThat(bodies.size()).isGreaterThan(100);

      Report open = LoadTest.execute(client, BenchOptions.parse(new String[] {"--url", url, "--mode", "open",
          "--rate", "500", "--duration", "1s", "--warmup", "0s"}, Map.of()));
      assertThat((Long) open.json().get("requests")).isBetween(300L, 700L);
      open.write(dir.resolve("open").toString());
      JsonObject json = new JsonObject(Files.readString(dir.resolve("open.json")));
      assertThat(json.getJsonObject("latency_ms").fieldNames()).contains("p50", "p90", "p99", "p99.9", "max");
      assertThat(json.getJsonArray("percentiles")).isNotEmpty();
      assertThat(Files.readString(dir.resolve("open.html"))).contains("<svg").doesNotContain("http://cdn");
      TestServer.await(client.close());
    } finally {
      TestServer.await(vertx.close());
    }
  }

  @Test
  void aRemoteTargetIsRefusedUnlessAllowed() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--url", "http://10.0.0.1/predict"}, Map.of()))
        .hasMessageContaining("non-loopback");
    assertThat(BenchOptions.parse(new String[] {"--url", "http://10.0.0.1/predict", "--allow-remote"}, Map.of())
        .allowRemote()).isTrue();
  }
}
