package io.churnserving.ratelimit;

import io.churnserving.security.RateLimit;

/**
 * One key's bucket: holds at most {@code burst} tokens, gains {@code perSecond} a second, and each admitted request
 * takes one. A new limit applies to the same bucket, so the tokens already spent stay spent. Thread-safe; the lock is
 * held for a few arithmetic operations.
 */
final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1e9;

  private RateLimit limit;
  private double tokens;
  private long lastNanos;

  TokenBucket(RateLimit limit, long nowNanos) {
    this.limit = limit;
    this.tokens = limit.burst();
    this.lastNanos = nowNanos;
  }

  /**
   * Takes one token under {@code current}, the limit of the key as the caller authenticated it. When that differs
   * from the bucket's (a reload changed it, or two callers hold the key from either side of a reload), the tokens
   * earned so far under the old limit are kept, capped at the new burst: a changed limit never refills the bucket,
   * however often it flips.
   */
  synchronized Decision take(RateLimit current, long nowNanos) {
    refill(nowNanos);
    if (!current.equals(limit)) {
      limit = current;
      tokens = Math.min(tokens, limit.burst());
    }
    boolean allowed = tokens >= 1;
    if (allowed) {
      tokens -= 1;
    }
    long resetSeconds = (long) Math.ceil((limit.burst() - tokens) / limit.perSecond());
    long retryAfter = allowed ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / limit.perSecond()));
    return new Decision(allowed, limit.burst(), (long) Math.floor(tokens), resetSeconds, retryAfter);
  }

  /**
   * How full the bucket is at {@code nowNanos}, from 0 to 1. A full bucket carries no debt: dropping it and later
   * starting a new, full one for the same key changes nothing.
   */
  synchronized double fullness(long nowNanos) {
    refill(nowNanos);
    return tokens / limit.burst();
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(limit.burst(), tokens + elapsed * limit.perSecond() / NANOS_PER_SECOND);
      lastNanos = nowNanos;
    }
  }
}
