package io.churnserving.bench;

/**
 * Decides when the next request goes out. A connection that is free asks for work; the pacer answers with the time
 * the request was due, which is where its latency is counted from. One pacer per event loop, used from that loop
 * only. Transports share pacers: the WebSocket driver asks the same questions, once per message.
 */
interface Pacer {
  /** Returned by {@link #next(long)} when nothing is due yet, or nothing remains. */
  long NOTHING_DUE = Long.MIN_VALUE;

  /**
   * Takes the next request due at or before {@code nowNanos}.
   *
   * @return the time the request was due, or {@link #NOTHING_DUE}
   */
  long next(long nowNanos);

  /** When the next request falls due, for a wake-up timer; {@link Long#MAX_VALUE} when none remain. */
  long nextDueNanos();

  /** Measured requests that fell due but never went out, because every connection was still busy at the end. */
  long notSent();

  /** Measured requests the schedule called for; 0 when there is no schedule (closed loop). */
  long scheduled();

  /** Warm-up requests still unsent when the measured part began, and so never sent. */
  long warmupDropped();

  /** Requests the schedule called for during the warm-up; 0 when there is no schedule (closed loop). */
  long warmupScheduled();

  /** Closed loop: there is always a request due, sent now, until the end. */
  static Pacer closedLoop(Timeline timeline) {
    return new Pacer() {
      @Override
      public long next(long nowNanos) {
        return timeline.over(nowNanos) ? NOTHING_DUE : nowNanos;
      }

      @Override
      public long nextDueNanos() {
        return Long.MAX_VALUE;
      }

      @Override
      public long notSent() {
        return 0;
      }

      @Override
      public long scheduled() {
        return 0;
      }

      @Override
      public long warmupDropped() {
        return 0;
      }

      @Override
      public long warmupScheduled() {
        return 0;
      }
    };
  }
}
