package io.churnserving.stream;

import io.churnserving.config.ServerConfig;
import io.churnserving.errors.ClientProblem;
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

  private StreamUpgradeHandler(ApiKeys keys, RequestValidator validator, Scorer scorer, ServerConfig.Stream settings) {
    this.keys = keys;
    this.validator = validator;
    this.scorer = scorer;
    this.settings = settings;
  }

  public static StreamUpgradeHandler create(ApiKeys keys, RequestValidator validator, Scorer scorer,
                                            ServerConfig.Stream settings) {
    return new StreamUpgradeHandler(keys, validator, scorer, settings);
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
    ctx.request().toWebSocket()
        .onSuccess(ws -> new StreamSession(ctx.vertx(), ws, validator, scorer, settings).start());
  }
}
