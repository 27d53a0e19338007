package io.churnserving.security;

/**
 * A token bucket's shape: it holds at most {@code burst} tokens and gains {@code perSecond} a second; each request
 * takes one.
 *
 * @param perSecond refill rate, tokens per second (at least 1)
 * @param burst     capacity (at least 1)
 */
public record RateLimit(int perSecond, int burst) {
  public RateLimit {
    if (perSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("rate and burst must be at least 1");
    }
  }

  /** The limit of config settings where 0 means none (rate) or "same as the rate" (burst); null for no limit. */
  public static RateLimit ofSettings(int perSecond, int burst) {
    return perSecond == 0 ? null : new RateLimit(perSecond, burst == 0 ? perSecond : burst);
  }
}
