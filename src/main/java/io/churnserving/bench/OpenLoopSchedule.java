package io.churnserving.bench;

/**
 * The open loop's fixed schedule: request {@code g} of the whole run falls due at
 * {@code start + g * 1e9 / rate} nanoseconds, from the start of the warm-up to the end. With several event loops,
 * loop {@code w} of {@code W} takes the requests {@code g = w, w + W, w + 2W, ...}, so the schedule is the same
 * however many loops share it.
 *
 * <p>Nothing is queued: requests due but not yet sent are the ones between {@link #next} and the clock, so a target
 * that falls behind costs no memory, and each request keeps the time it was due.
 *
 * <p>Warm-up requests still unsent when the measured part begins are dropped, not sent late: a cold client or target
 * falls behind during warm-up (a JVM compiling its hot paths can lag by a second at 20k requests/s), and working
 * off that backlog would charge it to the first measured requests.
 */
final class OpenLoopSchedule implements Pacer {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final Timeline timeline;
  private final long rate;
  private final int worker;
  private final int workers;
  /** Local index of the first request due in the measured part, and one past the last request of the run. */
  private final long firstMeasured;
  private final long end;
  private long taken;
  private long warmupDropped;

  /**
   * @param rate    requests per second over all loops
   * @param worker  this loop's index, from 0
   * @param workers how many loops share the schedule
   */
  OpenLoopSchedule(Timeline timeline, long rate, int worker, int workers) {
    this.timeline = timeline;
    this.rate = rate;
    this.worker = worker;
    this.workers = workers;
    this.firstMeasured = localCountBefore(timeline.measureFromNanos());
    this.end = localCountBefore(timeline.endNanos());
  }

  @Override
  public long next(long nowNanos) {
    if (taken < firstMeasured && nowNanos - timeline.measureFromNanos() >= 0) {
      warmupDropped += firstMeasured - taken;
      taken = firstMeasured;
    }
    if (taken >= end) {
      return NOTHING_DUE;
    }
    long due = dueNanos(taken);
    if (due - nowNanos > 0) {
      return NOTHING_DUE;
    }
    taken++;
    return due;
  }

  @Override
  public long nextDueNanos() {
    return taken >= end ? Long.MAX_VALUE : dueNanos(taken);
  }

  @Override
  public long scheduled() {
    return end - firstMeasured;
  }

  @Override
  public long notSent() {
    return end - Math.max(taken, firstMeasured);
  }

  @Override
  public long warmupDropped() {
    return warmupDropped;
  }

  @Override
  public long warmupScheduled() {
    return firstMeasured;
  }

  /** When this loop's request {@code k} is due. BenchOptions bounds g to 1e9, so g * 1e9 cannot overflow. */
  long dueNanos(long k) {
    long g = k * workers + worker;
    return timeline.startNanos() + g * NANOS_PER_SECOND / rate;
  }

  /** How many of this loop's requests are due strictly before {@code nanos}. */
  private long localCountBefore(long nanos) {
    // g * 1e9 / rate (rounded down) < d  <=>  g * 1e9 < d * rate  <=>  g < ceil(d * rate / 1e9)
    long d = nanos - timeline.startNanos();
    long global = d <= 0 ? 0 : (d * rate + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    return global > worker ? (global - worker + workers - 1) / workers : 0;
  }
}
