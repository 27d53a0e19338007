package io.churnserving.bench.attack;

import io.vertx.core.Handler;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;

/**
 * HTTP/2 cleartext clients by prior knowledge (no upgrade), each holding exactly one connection, so that an attack
 * with N clients has N connections, each with its own streams. Connections are counted as they open, and counted
 * as closed by the server when they end while the run is on: the attacks never close them themselves.
 */
final class Http2Clients {
  /**
   * For a request's exception handler: its failure also fails its response, where the attack counts it; a request
   * without one has Vert.x log every failure at ERROR.
   */
  static final Handler<Throwable> COUNTED_ELSEWHERE = e -> { };

  private Http2Clients() {
  }

  /**
   * One client of one connection.
   *
   * @param windowBytes the initial flow-control window the client announces for each stream; 0 lets no answer's
   *                    body through, -1 keeps Vert.x's default
   */
  static HttpClientAgent oneConnection(AttackRun run, int windowBytes) {
    HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost(run.options.host()).setDefaultPort(run.options.port())
        .setConnectTimeout(AttackRun.CONNECT_TIMEOUT_MS);
    if (windowBytes >= 0) {
      options.setInitialSettings(new Http2Settings().setInitialWindowSize(windowBytes));
    }
    return run.track(run.vertx.httpClientBuilder().with(options).with(new PoolOptions().setHttp2MaxSize(1))
        .withConnectHandler(run::counted).build());
  }
}
