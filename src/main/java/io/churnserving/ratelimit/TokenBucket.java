package io.churnserving.ratelimit;

import io.churnserving.security.RateLimit;

/**
 * One key's bucket: holds at most {@code burst} tokens, gains {@code perSecond} a second, and each admitted request
 * takes one. Thread-safe; the lock is held for a few arithmetic operations.
 */
final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1e9;

  private final RateLimit limit;
  private double tokens;
  private long lastNanos;

  TokenBucket(RateLimit limit, long nowNanos) {
    this.limit = limit;
    this.tokens = limit.burst();
    this.lastNanos = nowNanos;
  }

  RateLimit limit() {
    return limit;
  }

  synchronized Decision take(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(limit.burst(), tokens + elapsed * limit.perSecond() / NANOS_PER_SECOND);
      lastNanos = nowNanos;
    }
    boolean allowed = tokens >= 1;
    if (allowed) {
      tokens -= 1;
    }
    long resetSeconds = (long) Math.ceil((limit.burst() - tokens) / limit.perSecond());
    long retryAfter = allowed ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / limit.perSecond()));
    return new Decision(allowed, limit.burst(), (long) Math.floor(tokens), resetSeconds, retryAfter);
  }
}
