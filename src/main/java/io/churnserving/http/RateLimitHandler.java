package io.churnserving.http;

import io.churnserving.ratelimit.Decision;
import io.churnserving.ratelimit.RateLimitExceeded;
import io.churnserving.ratelimit.RateLimiter;
import io.churnserving.security.ApiKey;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Takes a token from the authenticated key's bucket: over the limit, the request fails with 429 before its body
 * is read. Every answer of a limited key carries the {@code RateLimit-*} headers. Runs after {@link ApiKeyHandler}.
 */
final class RateLimitHandler implements PlatformHandler {
  private final RateLimiter limiter;

  private RateLimitHandler(RateLimiter limiter) {
    this.limiter = limiter;
  }

  static RateLimitHandler create(RateLimiter limiter) {
    return new RateLimitHandler(limiter);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Decision decision = limiter.take(ctx.get(ApiKey.CONTEXT_KEY));
    if (decision.limited()) {
      headers(ctx.response(), decision);
    }
    if (decision.allowed()) {
      ctx.next();
    } else {
      ctx.fail(new RateLimitExceeded(decision));
    }
  }

  static void headers(HttpServerResponse response, Decision d) {
    response.putHeader("RateLimit-Limit", Long.toString(d.limit()))
        .putHeader("RateLimit-Remaining", Long.toString(d.remaining()))
        .putHeader("RateLimit-Reset", Long.toString(d.resetSeconds()));
  }
}
