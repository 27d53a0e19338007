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
    Decision changed = limiter.take(key("a", new RateLimit(5, 5)));
    assertThat(changed.limit()).isEqualTo(5);
    now.addAndGet(SECOND / 5); // one token back at the new rate of 5 per second
    assertThat(limiter.take(key("a", new RateLimit(5, 5))).allowed()).isTrue();
  }

  @Test
  void aChangedLimitCarriesTheTokensAlreadySpent() {
    RateLimiter limiter = new RateLimiter(null, now::get);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.take(key("a", new RateLimit(1, 3))).allowed()).isTrue();
    }
    Decision raised = limiter.take(key("a", new RateLimit(1, 50)));
    assertThat(raised.allowed()).isFalse();
    assertThat(raised.remaining()).isZero();

    now.addAndGet(2 * SECOND); // what was earned under the old limit up to now is kept...
    assertThat(limiter.take(key("a", new RateLimit(1, 1))).remaining()).isZero(); // ...capped at the new burst
    assertThat(limiter.take(key("a", new RateLimit(1, 1))).allowed()).isFalse();
  }

  @Test
  void aLimitFlippingBackAndForthNeverRefillsTheBucket() {
    // Two transports holding the key from either side of a reload: the 80 of 80 in 0.19 s.
    RateLimiter limiter = new RateLimiter(null, now::get);
    ApiKey before = key("a", new RateLimit(7, 7));
    ApiKey after = key("a", new RateLimit(8, 8));
    int allowed = 0;
    for (int i = 0; i < 80; i++) {
      allowed += limiter.take(i % 2 == 0 ? before : after).allowed() ? 1 : 0;
      now.addAndGet(SECOND / 400);
    }
    assertThat(allowed).isEqualTo(8); // 7 of the burst, and 1 earned in the 0.2 s
  }

  @Test
  void aKeyRemovedAndAddedAgainKeepsItsDebt() {
    RateLimiter limiter = new RateLimiter(null, now::get);
    ApiKey a = key("a", new RateLimit(1, 2));
    limiter.take(a);
    limiter.take(a);
    limiter.take(key("a", null)); // a reload left it without a limit for a while
    assertThat(limiter.take(a).allowed()).isFalse();
  }

  @Test
  void theBoundOnBucketsNeverRefillsAKeyInDebt() {
    RateLimiter limiter = new RateLimiter(new RateLimit(1, 1), now::get);
    ApiKey indebted = key("indebted", new RateLimit(1, 1000));
    for (int i = 0; i < 1000; i++) {
      limiter.take(indebted);
    }
    for (int i = 0; i < RateLimiter.MAX_BUCKETS; i++) {
      limiter.take(key("k" + i, null));
    }
    now.addAndGet(2 * SECOND); // every other bucket is full again; the indebted one has earned 2 tokens of 1000
    for (int i = 0; i < 10; i++) {
      limiter.take(key("new" + i, null));
    }
    assertThat(limiter.size()).isLessThanOrEqualTo(RateLimiter.MAX_BUCKETS);
    assertThat(limiter.take(indebted).remaining()).isEqualTo(1);
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
