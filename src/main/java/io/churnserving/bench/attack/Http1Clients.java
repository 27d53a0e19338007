package io.churnserving.bench.attack;

import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * An HTTP/1.1 keep-alive client with a pool of exactly {@code connections}, so an attack's concurrent requests each
 * have a connection. Connections are counted as they open, and as closed by the server when they end while the run
 * is on.
 */
final class Http1Clients {
  private Http1Clients() {
  }

  static HttpClientAgent pool(AttackRun run, int connections) {
    return run.track(run.vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDefaultHost(run.options.host())
            .setDefaultPort(run.options.port()).setConnectTimeout(AttackRun.CONNECT_TIMEOUT_MS))
        .with(new PoolOptions().setHttp1MaxSize(connections))
        .withConnectHandler(run::counted).build());
  }
}
