package io.churnserving.stream;

import io.churnserving.config.ServerConfig;
import io.churnserving.errors.ClientProblem;
import io.churnserving.observability.CorrelationId;
import io.churnserving.net.ConnectionLease;
import io.churnserving.net.TcpClose;
import io.churnserving.net.Utf8Frames;
import io.churnserving.metrics.HttpMeters;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.ratelimit.RateLimiter;
import io.churnserving.security.ApiKey;
import io.churnserving.security.ApiKeys;
import io.churnserving.security.KeyRing;
import io.churnserving.serving.PredictionService;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Upgrades to a WebSocket and starts a {@link StreamSession} for the model, and optionally the version or label, its
 * path names. The route table puts the key check in front of it, so a refused key is a 401 before the upgrade; a
 * model, version or label that is not served is a 404 before the upgrade. The session checks the key again, against
 * the keys in force, and looks the version up again, against the versions served then, for each message.
 */
public final class StreamUpgradeHandler implements Handler<RoutingContext> {
  // Where the key check in front found the key: the header, or for browsers the query parameter.
  private static final String HEADER = "X-API-Key";
  private static final String QUERY_PARAMETER = "api_key";
  private static final String WS_VERSION = "Sec-WebSocket-Version";
  private static final String WS_KEY = "Sec-WebSocket-Key";

  private final KeyRing keys;
  private final PredictionService service;
  private final ServerConfig.Stream settings;
  private final RateLimiter limiter;
  private final ServingMetrics metrics;
  private final Function<RoutingContext, ConnectionLease> upgraded;

  private StreamUpgradeHandler(KeyRing keys, PredictionService service, ServerConfig.Stream settings,
                               RateLimiter limiter, ServingMetrics metrics,
                               Function<RoutingContext, ConnectionLease> upgraded) {
    this.upgraded = upgraded;
    this.keys = keys;
    this.metrics = metrics;
    this.service = service;
    this.settings = settings;
    this.limiter = limiter;
  }

  /**
   * @param keys     the keys in force, which each message is checked against
   * @param service  this event loop's prediction service, in whose models each message's version is looked up
   * @param metrics  the server's meters, which count answers no version gave (a malformed message, an unknown
   *                 version); a version's answers count on its own
   * @param upgraded told when a request becomes a stream; gives the stream's hold on the server's budget (the HTTP
   *                 layer counts the connection until the stream closes)
   */
  public static StreamUpgradeHandler create(KeyRing keys, PredictionService service,
                                            ServerConfig.Stream settings,
                                            RateLimiter limiter, ServingMetrics metrics,
                                            Function<RoutingContext, ConnectionLease> upgraded) {
    return new StreamUpgradeHandler(keys, service, settings, limiter, metrics, upgraded);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    String modelVersion = ctx.pathParam("version");
    // Throws ModelNotFound (404) or ModelUnavailable (503) to the route's failure handler: nothing to stream to.
    service.target(model, modelVersion);
    if (!ctx.request().canUpgradeToWebSocket()) {
      ctx.fail(ClientProblem.of(400, "This endpoint speaks WebSocket: send an upgrade request"));
      return;
    }
    // Vert.x would answer these with a bare 400 or 426 once the upgrade is tried: checked first, they get problems.
    String version = ctx.request().getHeader(WS_VERSION);
    if (!"13".equals(version)) {
      ctx.response().putHeader(WS_VERSION, "13");
      ctx.fail(ClientProblem.of(426, "This server speaks WebSocket version 13 (RFC 6455), not " + version));
      return;
    }
    if (ctx.request().getHeader(WS_KEY) == null) {
      ctx.fail(ClientProblem.of(400, "A WebSocket upgrade needs a Sec-WebSocket-Key header"));
      return;
    }
    // One correlation ID for the whole connection: the upgrade request's.
    String connectionId = CorrelationId.current();
    String presented = ctx.request().getHeader(HEADER);
    if (presented == null) {
      presented = ctx.request().getParam(QUERY_PARAMETER);
    }
    StreamKey key = new StreamKey(keys, ApiKeys.digest(presented), ctx.get(ApiKey.CONTEXT_KEY));
    // The key as last found in force: a reload that changes its limit applies to the stream as to HTTP.
    Quota quota = () -> limiter.take(key.key());
    HttpConnection connection = ctx.request().connection();
    TcpClose tcpClose = TcpClose.of(connection);
    ctx.request().toWebSocket().onComplete(upgrade -> {
      // The request ends here, as 101 Switching Protocols, or as the 400 Vert.x answers a bad handshake with.
      HttpMeters.Ending ending = ctx.get(HttpMeters.ENDING);
      if (ending != null) {
        ending.end(upgrade.succeeded() ? 101 : 400);
      }
      if (upgrade.succeeded()) {
        Utf8Frames.validate(connection);
        new StreamSession(ctx.vertx(), upgrade.result(), new StreamSession.Target(service, model, modelVersion),
            settings, connectionId, key, quota, tcpClose, metrics).start(upgraded.apply(ctx));
      }
    });
  }
}
