package io.churnserving.ratelimit;

/** A request over its key's quota: answered 429 with the decision's headers. */
public final class RateLimitExceeded extends RuntimeException {
  private final Decision decision;

  public RateLimitExceeded(Decision decision) {
    super("Rate limit exceeded; retry after " + decision.retryAfterSeconds() + " s", null, false, false);
    this.decision = decision;
  }

  public Decision decision() {
    return decision;
  }
}
