package io.churnserving.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.observability.Readiness;
import io.churnserving.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Liveness answers as soon as HTTP does; readiness only once the server says it is ready, and not after. */
class HealthTest {
  @Test
  void readinessFollowsTheServerState() {
    Vertx vertx = Vertx.vertx(TestServer.strictOptions());
    try {
      Readiness readiness = new Readiness();
      var deps = TestDependencies.of(vertx, readiness);
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
      // HEAD probes get the status and headers of GET, without the body.
      var head = TestServer.await(client.head(port.get(), "127.0.0.1", "/health/ready").send());
      assertThat(head.statusCode()).isEqualTo(503);
      assertThat(head.body()).isNull();
      assertThat(TestServer.await(client.head(port.get(), "127.0.0.1", "/health/live").send()).statusCode())
          .isEqualTo(200);
    } finally {
      TestServer.await(vertx.close());
    }
  }
}
