package io.churnserving.http;

import io.churnserving.config.ServerConfig;
import io.churnserving.events.PredictionEvents;
import io.churnserving.observability.Readiness;
import io.churnserving.scoring.BatchingScorer;
import io.churnserving.security.ApiKeys;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import java.util.function.IntConsumer;

/**
 * Serves HTTP on one event loop. Several instances share one listening socket; each has its own scorer, so its
 * micro-batcher is confined to its own event loop and needs no locks.
 */
public final class HttpServerVerticle extends VerticleBase {

  /**
   * What the HTTP transport is given by the composition root.
   *
   * @param http         HTTP settings
   * @param apiKeys      accepted keys
   * @param readiness    readiness, for the probe
   * @param modelName    name of the served model
   * @param modelVersion version of the served model
   * @param validator    request validation, shared by every transport
   * @param scoring      batching settings of each instance's scorer
   * @param stream       WebSocket stream settings
   * @param events       where predictions are published
   */
  public record Dependencies(ServerConfig.Http http, ApiKeys apiKeys, Readiness readiness, String modelName,
                             String modelVersion, RequestValidator validator, BatchingScorer.Settings scoring,
                             ServerConfig.Stream stream, PredictionEvents events) {
  }

  private final Dependencies deps;
  private final int port;
  private final IntConsumer boundPort;

  /**
   * @param port      port to bind (0 for any free port)
   * @param boundPort told the port actually bound
   */
  public HttpServerVerticle(Dependencies deps, int port, IntConsumer boundPort) {
    this.deps = deps;
    this.port = port;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    var router = Routes.create(vertx, deps, new BatchingScorer(vertx, deps.scoring()));
    // A WebSocket message over the limit closes the connection with 1009 (message too big), by Vert.x itself.
    var options = new HttpServerOptions().setHost(deps.http().host()).setPort(port)
        .setMaxWebSocketFrameSize(deps.stream().maxFrameBytes())
        .setMaxWebSocketMessageSize(deps.stream().maxFrameBytes());
    return vertx.createHttpServer(options).requestHandler(router).listen()
        .onSuccess(server -> boundPort.accept(server.actualPort()));
  }
}
