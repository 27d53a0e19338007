package io.churnserving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.config.ServerConfig;
import io.churnserving.events.PredictionEvents;
import io.churnserving.health.ServerHealth;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.Readiness;
import io.churnserving.scoring.BatchingScorer;
import io.churnserving.ratelimit.RateLimiter;
import io.churnserving.scoring.ModelCircuit;
import io.churnserving.scoring.ScorerFactory;
import io.churnserving.security.ApiKeys;
import io.churnserving.security.KeyRing;
import io.churnserving.support.TestServer;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Liveness answers as soon as HTTP does; readiness only once the server says it is ready, and not after. */
class HealthTest {
  @Test
  void readinessFollowsTheServerState() {
    Vertx vertx = Vertx.vertx(TestServer.strictOptions());
    try {
      Readiness readiness = new Readiness();
      ServingMetrics metrics = new ServingMetrics(ServingMetrics.noRegistry(), "churn", "1");
      ModelCircuit circuit = new ModelCircuit(vertx, 5, 1000, metrics);
      var deps = new HttpServerVerticle.Dependencies(
          new ServerConfig.Http("127.0.0.1", 0, 1, 65536, 1 << 20, 8192, 60, 10_000, 1000),
          KeyRing.of(ApiKeys.of(List.of("k"))), new RateLimiter(null, System::nanoTime), readiness, "churn", "1",
          RequestValidator.create(10),
          new ScorerFactory(new BatchingScorer.Settings(8, 0, 1, 1000, 100), circuit, metrics),
          new ServerConfig.Stream(16, 65536, 60_000), new PredictionEvents(vertx, 0),
          new HttpServerVerticle.Observability(metrics, new ServerHealth(vertx, readiness, metrics, circuit), null, 0));
      AtomicInteger port = new AtomicInteger();
      TestServer.await(vertx.deployVerticle(new HttpServerVerticle(deps, 0, port::set)));
      WebClient client = WebClient.create(vertx);
      assertThat(TestServer.await(client.get(port.get(), "127.0.0.1", "/health/live").send()).statusCode())
          .isEqualTo(200);
      var notReady = TestServer.await(client.get(port.get(), "127.0.0.1", "/health/ready").send());
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
      readiness.markReady();
      assertThat(TestServer.await(client.get(port.get(), "127.0.0.1", "/health/ready").send()).statusCode())
          .isEqualTo(200);
      readiness.markNotReady();
      assertThat(TestServer.await(client.get(port.get(), "127.0.0.1", "/health/ready").send()).statusCode())
          .isEqualTo(503);
    } finally {
      TestServer.await(vertx.close());
    }
  }
}
