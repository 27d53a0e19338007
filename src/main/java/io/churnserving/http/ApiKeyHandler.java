package io.churnserving.http;

import io.churnserving.errors.ClientProblem;
import io.churnserving.security.ApiKeys;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Admits only requests whose {@code X-API-Key} is accepted; others fail with 401 before the body is read, or before
 * a WebSocket upgrade.
 *
 * <p>A {@code PlatformHandler} because vertx-web only lets those run before the body handler, and refusing
 * before a byte of the body is read is the point.
 */
final class ApiKeyHandler implements PlatformHandler {
  static final String HEADER = "X-API-Key";
  static final String QUERY_PARAMETER = "api_key";

  private final ApiKeys keys;
  private final boolean queryParameter;

  private ApiKeyHandler(ApiKeys keys, boolean queryParameter) {
    this.keys = keys;
    this.queryParameter = queryParameter;
  }

  static ApiKeyHandler create(ApiKeys keys) {
    return new ApiKeyHandler(keys, false);
  }

  /**
   * Also takes the key from the {@code api_key} query parameter when the header is absent: browsers cannot set
   * headers on a WebSocket. Weaker, since URLs end up in proxy logs and browser history, so only the stream uses it.
   */
  static ApiKeyHandler allowingQueryParameter(ApiKeys keys) {
    return new ApiKeyHandler(keys, true);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader(HEADER);
    if (key == null && queryParameter) {
      key = ctx.request().getParam(QUERY_PARAMETER);
    }
    if (keys.accepts(key)) {
      ctx.next();
    } else {
      ctx.fail(ClientProblem.of(401));
    }
  }
}
