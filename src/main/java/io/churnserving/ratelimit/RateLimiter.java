package io.churnserving.ratelimit;

import io.churnserving.security.ApiKey;
import io.churnserving.security.RateLimit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key name. Only keys that passed authentication reach it, so its map holds at most one bucket per
 * configured key name; a key whose limit changes on reload gets a new bucket. Thread-safe.
 */
public final class RateLimiter {
  /** More names than this can only come from many reloads of renamed keys; then the map starts over. */
  static final int MAX_BUCKETS = 100_000;

  private final RateLimit defaultLimit;
  private final LongSupplier clock;
  private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param defaultLimit the limit of keys without their own, or null for none
   * @param clock        nanosecond clock ({@code System::nanoTime} in the server)
   */
  public RateLimiter(RateLimit defaultLimit, LongSupplier clock) {
    this.defaultLimit = defaultLimit;
    this.clock = clock;
  }

  /** Takes one token from the key's bucket, if it has a limit. */
  public Decision take(ApiKey key) {
    RateLimit limit = key.limit() != null ? key.limit() : defaultLimit;
    if (limit == null) {
      return Decision.UNLIMITED;
    }
    long now = clock.getAsLong();
    TokenBucket bucket = buckets.get(key.name());
    if (bucket == null || !bucket.limit().equals(limit)) {
      if (buckets.size() >= MAX_BUCKETS) {
        buckets.clear();
      }
      TokenBucket fresh = new TokenBucket(limit, now);
      bucket = bucket == null ? buckets.computeIfAbsent(key.name(), n -> fresh)
          : buckets.compute(key.name(), (n, old) -> old == null || !old.limit().equals(limit) ? fresh : old);
    }
    return bucket.take(now);
  }

  /** Buckets held, for tests of the bound. */
  int size() {
    return buckets.size();
  }
}
