package io.churnserving.http;

import io.churnserving.errors.ClientProblem;
import io.churnserving.security.ApiKeys;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/** Admits only requests whose {@code X-API-Key} is accepted; others fail with 401 before the body is read.
 *
 * <p>A {@code PlatformHandler} because vertx-web only lets those run before the body handler, and refusing
 * before a byte of the body is read is the point.
 */
final class ApiKeyHandler implements PlatformHandler {
  static final String HEADER = "X-API-Key";

  private final ApiKeys keys;

  private ApiKeyHandler(ApiKeys keys) {
    this.keys = keys;
  }

  static ApiKeyHandler create(ApiKeys keys) {
    return new ApiKeyHandler(keys);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (keys.accepts(ctx.request().getHeader(HEADER))) {
      ctx.next();
    } else {
      ctx.fail(ClientProblem.of(401));
    }
  }
}
