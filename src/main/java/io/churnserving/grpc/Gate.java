package io.churnserving.grpc;

import io.churnserving.metrics.GrpcMeters;
import io.churnserving.ratelimit.Decision;
import io.churnserving.ratelimit.RateLimitExceeded;
import io.churnserving.ratelimit.RateLimiter;
import io.churnserving.security.ApiKey;
import io.churnserving.security.Scope;
import io.vertx.grpc.server.GrpcServerRequest;

/**
 * What a call passes before its message is read, as an HTTP request passes its route's first handlers: the key from
 * its {@code x-api-key} metadata with the method's scope ({@link CallerKey}), then one token from the key's rate
 * limit, whose state goes back in the {@code ratelimit-*} headers HTTP sends.
 *
 * @param keys    the keys in force
 * @param limiter the per-key rate limits, shared with HTTP and the WebSocket stream
 * @param meters  the calls' meters
 */
record Gate(CallerKey keys, RateLimiter limiter, GrpcMeters meters) {

  /**
   * @param limited whether the call takes a token
   * @return the caller's key
   * @throws io.churnserving.errors.ClientProblem for a missing or unknown key, or a key without the scope
   * @throws RateLimitExceeded for a key over its limit
   */
  ApiKey admit(GrpcServerRequest<?, ?> call, Scope scope, boolean limited) {
    ApiKey key = keys.require(call.headers(), scope);
    if (limited) {
      take(call, key);
    }
    return key;
  }

  /** One token, for a call or for one message of a stream. */
  void take(GrpcServerRequest<?, ?> call, ApiKey key) {
    Decision decision = limiter.take(key);
    if (decision.limited() && !call.response().headers().contains("ratelimit-limit")) {
      // Once per call: headers go out with the first message, and a stream's later tokens cannot change them.
      call.response().headers().set("ratelimit-limit", Long.toString(decision.limit()))
          .set("ratelimit-remaining", Long.toString(decision.remaining()))
          .set("ratelimit-reset", Long.toString(decision.resetSeconds()));
    }
    if (!decision.allowed()) {
      throw new RateLimitExceeded(decision);
    }
  }
}
