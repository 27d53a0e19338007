package io.churnserving.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.security.ApiKey;
import io.churnserving.security.RateLimit;
import io.churnserving.security.Scope;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves by hand. */
class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private static final long SECOND = 1_000_000_000L;

  private static ApiKey key(String name, RateLimit limit) {
    return new ApiKey(name, Set.of(Scope.PREDICT), limit);
  }

  @Test
  void aFullBucketAdmitsItsBurstThenRefusesWithTheTimeToTheNextToken() {
    RateLimiter limiter = new RateLimiter(new RateLimit(2, 3), now::get);
    ApiKey k = key("a", null);
    assertThat(limiter.take(k)).isEqualTo(new Decision(true, 3, 2, 1, 0));
    assertThat(limiter.take(k).remaining()).isEqualTo(1);
    assertThat(limiter.take(k).remaining()).isEqualTo(0);
    Decision refused = limiter.take(k);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    assertThat(refused.resetSeconds()).isEqualTo(2);

    now.addAndGet(SECOND / 2); // one token back at 2 per second
    assertThat(limiter.take(k).allowed()).isTrue();
    assertThat(limiter.take(k).allowed()).isFalse();
    now.addAndGet(10 * SECOND); // refill stops at the burst
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.take(k).allowed()).isTrue();
    }
    assertThat(limiter.take(k).allowed()).isFalse();
  }

  @Test
  void aSlowRateTellsClientsToWaitWholeSeconds() {
    RateLimiter limiter = new RateLimiter(null, now::get);
    ApiKey k = key("slow", new RateLimit(1, 1));
    assertThat(limiter.take(k).allowed()).isTrue();
    now.addAndGet(SECOND / 10);
    Decision refused = limiter.take(k);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void keysAreLimitedSeparatelyAndAKeyWithoutALimitIsNotLimited() {
    RateLimiter limiter = new RateLimiter(null, now::get);
    assertThat(limiter.take(key("free", null))).isEqualTo(Decision.UNLIMITED);
    ApiKey a = key("a", new RateLimit(1, 1));
    ApiKey b = key("b", new RateLimit(1, 1));
    assertThat(limiter.take(a).allowed()).isTrue();
    assertThat(limiter.take(a).allowed()).isFalse();
    assertThat(limiter.take(b).allowed()).isTrue();
    assertThat(limiter.size()).isEqualTo(2);
  }

  @Test
  void aChangedLimitOnReloadTakesEffectAtOnce() {
    RateLimiter limiter = new RateLimiter(null, now::get);
    assertThat(limiter.take(key("a", new RateLimit(1, 1))).allowed()).isTrue();
    assertThat(limiter.take(key("a", new RateLimit(1, 1))).allowed()).isFalse();
    assertThat(limiter.take(key("a", new RateLimit(5, 5))).remaining()).isEqualTo(4);
  }

  @Test
  void stateIsBoundedWhateverNamesArrive() {
    RateLimiter limiter = new RateLimiter(new RateLimit(1, 1), now::get);
    for (int i = 0; i < RateLimiter.MAX_BUCKETS + 10; i++) {
      limiter.take(key("k" + i, null));
    }
    assertThat(limiter.size()).isLessThanOrEqualTo(RateLimiter.MAX_BUCKETS);
  }
}
