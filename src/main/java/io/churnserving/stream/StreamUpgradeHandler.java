package io.churnserving.stream;

import io.churnserving.config.ServerConfig;
import io.churnserving.errors.ClientProblem;
import io.churnserving.events.PredictionEvents;
import io.churnserving.observability.CorrelationId;
import io.churnserving.scoring.Scorer;
import io.churnserving.security.ApiKeys;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks the key, then upgrades to a WebSocket and starts a {@link StreamSession}. The key comes from the
 * {@code X-API-Key} header or, for browsers, which cannot set headers on a WebSocket, the {@code api_key} query
 * parameter (weaker: URLs end up in proxy logs and browser history). A refused key is a 401 before the upgrade.
 */
public final class StreamUpgradeHandler implements Handler<RoutingContext> {
  private final ApiKeys keys;
  private final RequestValidator validator;
  private final Scorer scorer;
  private final ServerConfig.Stream settings;
  private final PredictionEvents events;

  private StreamUpgradeHandler(ApiKeys keys, RequestValidator validator, Scorer scorer, ServerConfig.Stream settings,
                               PredictionEvents events) {
    this.keys = keys;
    this.validator = validator;
    this.scorer = scorer;
    this.settings = settings;
    this.events = events;
  }

  public static StreamUpgradeHandler create(ApiKeys keys, RequestValidator validator, Scorer scorer,
                                            ServerConfig.Stream settings, PredictionEvents events) {
    return new StreamUpgradeHandler(keys, validator, scorer, settings, events);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader("X-API-Key");
    if (key == null) {
      key = ctx.request().getParam("api_key");
    }
    if (!keys.accepts(key)) {
      ctx.fail(ClientProblem.of(401));
      return;
    }
    if (!ctx.request().canUpgradeToWebSocket()) {
      ctx.fail(ClientProblem.of(400, "This endpoint speaks WebSocket: send an upgrade request"));
      return;
    }
    // One correlation ID for the whole connection: the upgrade request's.
    String connectionId = CorrelationId.current();
    ctx.request().toWebSocket().onSuccess(ws -> new StreamSession(ctx.vertx(), ws, validator, scorer, settings,
        events, connectionId).start());
  }
}
