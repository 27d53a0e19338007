package io.churnserving.bench;

import java.time.Duration;

/**
 * When a run starts, when its measured part starts, and when it ends, on the {@link System#nanoTime()} clock. A
 * request belongs to the measurement when it was due (open loop) or sent (closed loop) inside
 * {@code [measureFromNanos, endNanos)}; its answer is waited for even if it comes after the end, so a slow answer at
 * the end is counted rather than cut off.
 */
record Timeline(long startNanos, long measureFromNanos, long endNanos) {

  /** A timeline starting now: warm-up, then the measured duration. */
  static Timeline startingNow(Duration warmup, Duration duration) {
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    return new Timeline(start, measureFrom, measureFrom + duration.toNanos());
  }

  /** Whether a request due or sent at {@code nanos} is measured. */
  boolean measured(long nanos) {
    return nanos - measureFromNanos >= 0 && nanos - endNanos < 0;
  }

  /** Whether no more requests should be sent. */
  boolean over(long nowNanos) {
    return nowNanos - endNanos >= 0;
  }

  /** Length of the measured part in seconds. */
  double measuredSeconds() {
    return (endNanos - measureFromNanos) / 1e9;
  }
}
