package io.churnserving.ratelimit;

/**
 * What the limiter said about one request, with the figures of the {@code RateLimit-*} headers.
 *
 * @param allowed           whether the request may go on
 * @param limit             the bucket's capacity ({@code RateLimit-Limit}); 0 when the key has no limit
 * @param remaining         whole tokens left ({@code RateLimit-Remaining})
 * @param resetSeconds      seconds until the bucket is full again ({@code RateLimit-Reset})
 * @param retryAfterSeconds when refused, whole seconds until a token is there ({@code Retry-After}); else 0
 */
public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
  /** The answer for a key without a limit: allowed, and no headers to send. */
  public static final Decision UNLIMITED = new Decision(true, 0, 0, 0, 0);

  public boolean limited() {
    return limit > 0;
  }
}
