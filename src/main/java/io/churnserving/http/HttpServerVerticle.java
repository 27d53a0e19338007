package io.churnserving.http;

import io.churnserving.apidocs.ApiDocs;
import io.churnserving.config.ServerConfig;
import io.churnserving.events.PredictionEvents;
import io.churnserving.grpc.InferenceGrpc;
import io.churnserving.health.ServerHealth;
import io.churnserving.metrics.PrometheusScrape;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.LogThrottles;
import io.churnserving.observability.Readiness;
import io.churnserving.ratelimit.RateLimiter;
import io.churnserving.serving.ModelControl;
import io.churnserving.serving.PredictionService;
import io.churnserving.serving.ServedModels;
import io.churnserving.serving.VersionScorers;
import io.churnserving.security.KeyRing;
import io.churnserving.tls.ServerCertificates;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
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
   * @param keys         the keys in force
   * @param limiter      per-key rate limits
   * @param readiness    readiness, for the probe
   * @param models       the served models and versions, each with its validator and scoring stack
   * @param control      loads and unloads versions (the repository API)
   * @param controlMode  whether the repository API may load and unload
   * @param stream       WebSocket stream settings
   * @param events       where predictions are published
   * @param observability metrics, health and access log
   * @param apiDocs      the OpenAPI document and Swagger UI
   * @param budget       what every HTTP verticle together may hold for clients
   * @param certificates the certificate every listener serves, or null when TLS is off
   */
  public record Dependencies(ServerConfig.Http http, KeyRing keys, RateLimiter limiter, Readiness readiness,
                             ServedModels models, ModelControl control, ServerConfig.ControlMode controlMode,
                             ServerConfig.Stream stream, PredictionEvents events,
                             Observability observability, ApiDocs apiDocs, ServerBudget budget,
                             ServerCertificates certificates) {
  }

  /**
   * What operators see.
   *
   * @param metrics          the server's meters and vital signs
   * @param health           the checks of {@code /health}
   * @param scrape           the Prometheus text {@code /metrics} serves, or null when metrics are off
   * @param accessLogPercent share of requests written to the access log
   * @param refusalLog       throttles of the lines refusals write, shared by every event loop of the server
   */
  public record Observability(ServingMetrics metrics, ServerHealth health, PrometheusScrape scrape,
                              int accessLogPercent, LogThrottles refusalLog) {
    /** With throttles of its own: every verticle given this one record shares them. */
    public Observability(ServingMetrics metrics, ServerHealth health, PrometheusScrape scrape, int accessLogPercent) {
      this(metrics, health, scrape, accessLogPercent, new LogThrottles());
    }
  }

  private final Dependencies deps;
  private final int port;
  private final IntConsumer boundPort;
  private HttpServer server;

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
    var guard = ConnectionGuard.create(vertx, deps.budget(), deps.observability());
    var scorers = new VersionScorers(vertx);
    var router = Routes.create(vertx, deps, scorers, guard);
    // A WebSocket message over the limit closes the connection with 1009 (message too big), by Vert.x itself.
    // No WebSocket compression: Vert.x inflates a whole frame before checking its size, so a 64 KiB frame could
    // become 64 MiB on an event loop; without the extension, a compressed (RSV1) frame closes the connection.
    var options = baseOptions(deps, port)
        .setMaxWebSocketFrameSize(deps.stream().maxFrameBytes())
        .setMaxWebSocketMessageSize(deps.stream().maxFrameBytes())
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
    // gRPC calls share the port: h2c with prior knowledge is on (baseOptions), and Vert.x's gRPC server takes the
    // calls from the same request stream, beside the router.
    var grpc = InferenceGrpc.create(vertx, new InferenceGrpc.Dependencies(deps.keys(), deps.limiter(),
        deps.readiness(), new PredictionService(deps.models(), scorers, deps.events()), deps.control(),
        deps.controlMode(), Routes.openInference(deps), deps.observability().metrics().grpc()));
    return listen(vertx, options, guard, InferenceGrpc.beside(grpc, router,
        call -> guard.admitCall(call, InferenceGrpc.MAX_MESSAGE_BYTES)), deps).onSuccess(bound -> {
      server = bound;
      boundPort.accept(bound.actualPort());
    });
  }

  /**
   * What every listener of the server shares: the host, the head limit (431 above it, 414 for a request line over
   * Vert.x's 4,096 bytes, both as problems), the idle timeout, and HTTP/2 with its streams per connection capped and
   * its header list limited as HTTP/1.1's head: the router refuses a list over the limit with the same problem
   * ({@link HeaderListLimitHandler}), and Netty, with a bare 431, one over the larger size announced. Without TLS,
   * HTTP/2 is h2c (by upgrade or prior knowledge, kept on because gRPC needs it); with TLS, the listener speaks only
   * TLS, and HTTP/2 is chosen by ALPN.
   */
  static HttpServerOptions baseOptions(Dependencies deps, int port) {
    ServerConfig.Http http = deps.http();
    var options = new HttpServerOptions().setHost(http.host()).setPort(port)
        .setMaxHeaderSize(http.maxHeaderBytes())
        .setIdleTimeout(http.idleTimeoutS()).setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setInitialSettings(new Http2Settings()
            .setMaxConcurrentStreams(http.limits().h2MaxConcurrentStreams())
            .setMaxHeaderListSize(HeaderListLimitHandler.announced(http.maxHeaderBytes())));
    return deps.certificates() == null ? options : deps.certificates().apply(options);
  }

  /**
   * Binds a listener: every connection counted by the guard, requests through the router (on the HTTP port, gRPC
   * calls beside it), unreadable ones refused;
   * with TLS, told of each new certificate.
   */
  static Future<HttpServer> listen(Vertx vertx, HttpServerOptions options, ConnectionGuard guard,
                                   Handler<HttpServerRequest> router, Dependencies deps) {
    return vertx.createHttpServer(options).connectionHandler(guard::accept).requestHandler(router)
        .invalidRequestHandler(InvalidRequestHandler.create(deps.observability().metrics())).listen()
        .onSuccess(bound -> {
          if (deps.certificates() != null) {
            deps.certificates().serve(bound);
          }
        });
  }

  /** A listener that stops is no longer told of new certificates. */
  static void forget(HttpServer server, Dependencies deps) {
    if (server != null && deps.certificates() != null) {
      deps.certificates().forget(server);
    }
  }

  /**
   * Graceful: the socket stops accepting at once; each connection is closed once its requests in flight are
   * answered, and each stream once it has drained (its shutdown handler closes it with 1001); whatever remains
   * after the drain time is closed.
   */
  @Override
  public Future<?> stop() {
    forget(server, deps);
    return server == null ? Future.succeededFuture()
        : server.shutdown(deps.http().drainTimeoutMs(), TimeUnit.MILLISECONDS);
  }
}
