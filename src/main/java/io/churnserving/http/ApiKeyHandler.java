package io.churnserving.http;

import io.churnserving.errors.ClientProblem;
import io.churnserving.security.ApiKey;
import io.churnserving.security.KeyRing;
import io.churnserving.security.Scope;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Admits only requests whose {@code X-API-Key} is a key in force with the route's scope: 401 for a missing or
 * unknown key, 403 for a key without the scope, before the body is read or a WebSocket is upgraded. The key found
 * is left in the routing context under {@link ApiKey#CONTEXT_KEY} for the rate limiter and the stream.
 *
 * <p>A {@code PlatformHandler} because vertx-web only lets those run before the body handler, and refusing
 * before a byte of the body is read is the point.
 */
final class ApiKeyHandler implements PlatformHandler {
  static final String HEADER = "X-API-Key";
  /** The header name with its case-insensitive hash computed once, not on every request. */
  static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);
  static final String QUERY_PARAMETER = "api_key";

  private final KeyRing keys;
  private final Scope scope;
  private final boolean queryParameter;

  private ApiKeyHandler(KeyRing keys, Scope scope, boolean queryParameter) {
    this.keys = keys;
    this.scope = scope;
    this.queryParameter = queryParameter;
  }

  static ApiKeyHandler create(KeyRing keys, Scope scope) {
    return new ApiKeyHandler(keys, scope, false);
  }

  /**
   * Also takes the key from the {@code api_key} query parameter when the header is absent: browsers cannot set
   * headers on a WebSocket. Weaker, since URLs end up in proxy logs and browser history, so only the stream uses it.
   */
  static ApiKeyHandler allowingQueryParameter(KeyRing keys, Scope scope) {
    return new ApiKeyHandler(keys, scope, true);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String presented = ctx.request().getHeader(HEADER_NAME);
    if (presented == null && queryParameter) {
      try {
        presented = ctx.request().getParam(QUERY_PARAMETER);
      } catch (IllegalArgumentException e) {
        // Netty's query decoder throws on a bad percent escape: the client's fault, and worth naming.
        ctx.fail(ClientProblem.of(400, "The query string cannot be decoded: " + e.getMessage()));
        return;
      }
    }
    ApiKey key = keys.current().find(presented);
    if (key == null) {
      ctx.fail(ClientProblem.of(401));
    } else if (!key.allows(scope)) {
      ctx.fail(ClientProblem.of(403, "The key '" + key.name() + "' lacks the '" + scope.label() + "' scope"));
    } else {
      ctx.put(ApiKey.CONTEXT_KEY, key);
      ctx.next();
    }
  }
}
