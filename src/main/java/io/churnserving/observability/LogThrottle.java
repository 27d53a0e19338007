package io.churnserving.observability;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * At most one log line per interval for something a client can make happen as often as it likes (a refusal, a
 * connection closed for not reading): the line that is written says how many were left out since the last one, so
 * nothing is hidden, but a flood of clients cannot flood the log. Thread-safe.
 */
public final class LogThrottle {
  private final long intervalNanos;
  private final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public LogThrottle(long interval, TimeUnit unit) {
    this.intervalNanos = unit.toNanos(interval);
  }

  /** One line per second. */
  public static LogThrottle perSecond() {
    return new LogThrottle(1, TimeUnit.SECONDS);
  }

  /**
   * Writes the line now, given how many were left out before it, or counts it as left out.
   *
   * @param line writes the log line; its argument is the number of lines left out since the last one written
   */
  public void log(LongConsumer line) {
    long now = System.nanoTime();
    long next = nextNanos.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && nextNanos.compareAndSet(next, now + intervalNanos)) {
      line.accept(suppressed.getAndSet(0));
    } else {
      suppressed.incrementAndGet();
    }
  }
}
