package io.churnserving.ratelimit;

import io.churnserving.security.ApiKey;
import io.churnserving.security.RateLimit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key name. Only keys that passed authentication reach it, so its map holds at most one bucket per
 * key name configured since the start. A key keeps its bucket across reloads: a changed limit, or a key removed and
 * added again, carries the tokens already spent. Thread-safe.
 */
public final class RateLimiter {
  /**
   * Most buckets held. More names than this can only come from very many keys or many reloads of renamed keys; then
   * full buckets are dropped, which carry no debt, so the bound never hands a key a refill.
   */
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
    if (bucket == null) {
      if (buckets.size() >= MAX_BUCKETS) {
        evict(now);
      }
      bucket = buckets.computeIfAbsent(key.name(), n -> new TokenBucket(limit, now));
    }
    return bucket.take(limit, now);
  }

  /**
   * Makes room by dropping every full bucket. Only if none is full (as many keys in debt at once as the bound, which
   * no real key set reaches) does the fullest go, the smallest gift the bound can make.
   */
  private void evict(long now) {
    String fullest = null;
    double most = -1;
    int dropped = 0;
    for (Map.Entry<String, TokenBucket> e : buckets.entrySet()) {
      double fullness = e.getValue().fullness(now);
      if (fullness >= 1) {
        buckets.remove(e.getKey(), e.getValue());
        dropped++;
      } else if (fullness > most) {
        most = fullness;
        fullest = e.getKey();
      }
    }
    if (dropped == 0 && fullest != null) {
      buckets.remove(fullest);
    }
  }

  /** Buckets held, for tests of the bound. */
  int size() {
    return buckets.size();
  }
}
