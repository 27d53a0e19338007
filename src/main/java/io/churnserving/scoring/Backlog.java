package io.churnserving.scoring;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The scoring backlog of the whole server: the rows admitted and not yet answered over every event loop, and how
 * fast the workers get through them. Every scorer feeds the same workers, so one backlog is shared by all of them
 * and decides admission by time: new rows are admitted while the expected wait, for the rows queued ahead and
 * their own, fits within the time left until their deadline. A cap on the rows admitted guards memory whatever the
 * rates say.
 *
 * <p>Rows travel in one of two {@link Lane}s, each with its own measured cost per row, because the two differ by
 * an order of magnitude: single rows go to the model in micro-batches whose size follows the load (one row alone
 * costs a whole model call), while a batch request's rows go in full chunks. Measured here: about 30 µs of worker
 * time per row after a spell of one-at-a-time requests, under 2 µs per row in chunks of 128. One average over both
 * would refuse a burst of batch requests that follows a quiet hour of single ones.
 *
 * <p>Thread-safe and cheap on the hot path: a few atomic reads and one atomic add, no lock. The check and the add
 * are not one atomic step, so event loops admitting at the same instant may pass the cap by their own requests'
 * rows; the cap is a memory guard, and that overshoot is bounded by a few requests.
 */
final class Backlog {
  /** A rate is a moving average over about this many rows: a model call moves it by its rows over this. */
  static final double WINDOW_ROWS = 1024;
  /** How far one model call's cost may lift a lane's estimate, as a multiple of it. */
  static final double MAX_JUMP = 4;

  private static final ScoringException.Overloaded FULL =
      new ScoringException.Overloaded("the scoring queue is full; retry shortly");
  private static final ScoringException.Overloaded TOO_LATE = new ScoringException.Overloaded(
      "the rows queued ahead would not be scored within the request's deadline; retry shortly");

  /** Rows that reach the model one way, and the worker time each has been costing. */
  static final class Lane {
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong nanosPerRow;

    /** @param priorNanosPerRow the cost assumed until calls are measured; it weighs as much as WINDOW_ROWS rows */
    private Lane(double priorNanosPerRow) {
      this.nanosPerRow = new AtomicLong(Double.doubleToRawLongBits(priorNanosPerRow));
    }

    /**
     * One worker's model call is over: {@code scored} rows of this lane in {@code workNanos} of its time. Weighted
     * by rows, so a run of one-row calls cannot swing the estimate as far as one full batch does.
     */
    void scored(int scored, long workNanos) {
      if (scored <= 0 || workNanos <= 0) {
        return;
      }
      double raw = (double) workNanos / scored;
      double weight = Math.min(1.0, scored / WINDOW_ROWS);
      long seen;
      long updated;
      do {
        seen = nanosPerRow.get();
        double current = Double.longBitsToDouble(seen);
        // One call slowed by a GC pause or a descheduled thread counts as at most four times the current cost: the
        // estimate follows a lasting slowdown within a few calls, but one stall cannot make it refuse a burst.
        double sample = Math.min(raw, MAX_JUMP * current);
        updated = Double.doubleToRawLongBits(current + weight * (sample - current));
      } while (!nanosPerRow.compareAndSet(seen, updated));
    }

    double nanosPerRow() {
      return Double.longBitsToDouble(nanosPerRow.get());
    }

    long queued() {
      return rows.get();
    }
  }

  /**
   * Single rows, micro-batched. Assumed at first: one row alone through the model, about 10 µs (DJL's single-row
   * call took 11.6 µs here).
   */
  final Lane singles = new Lane(10_000);
  /** A batch request's rows, sent in full chunks. Assumed at first: 2 µs per row, several times what it costs. */
  final Lane chunks = new Lane(2_000);

  private final int workers;
  private final long maxRows;

  /**
   * @param workers scoring workers, each scoring at the measured per-worker rate
   * @param maxRows most rows admitted and unanswered at once: the memory guard
   */
  Backlog(int workers, long maxRows) {
    if (workers < 1 || maxRows < 1) {
      throw new IllegalArgumentException("workers and maxRows must be >= 1");
    }
    this.workers = workers;
    this.maxRows = maxRows;
  }

  /**
   * Admits {@code n} rows of {@code lane} due by {@code deadline} ({@link System#nanoTime()}), or says why not.
   * When nothing is queued the rows are always admitted, however many, so a request the server could never take
   * is not refused as "overloaded" on an idle server; whether it makes its deadline is then for the deadline to
   * tell.
   *
   * @return null if admitted (then {@link #release} them once answered), else the refusal
   */
  ScoringException.Overloaded admit(Lane lane, int n, long deadline) {
    long queuedSingles = singles.queued();
    long queuedChunks = chunks.queued();
    long queued = queuedSingles + queuedChunks;
    if (queued > 0) {
      if (queued + n > maxRows) {
        return FULL;
      }
      double workNanos = queuedSingles * singles.nanosPerRow() + queuedChunks * chunks.nanosPerRow()
          + n * lane.nanosPerRow();
      if (workNanos / workers > deadline - System.nanoTime()) {
        return TOO_LATE;
      }
    }
    lane.rows.addAndGet(n);
    return null;
  }

  /** Rows admitted earlier are answered (or failed): they no longer wait. */
  void release(Lane lane, int n) {
    lane.rows.addAndGet(-n);
  }

  /** Rows admitted and not yet answered, over every event loop. */
  long queued() {
    return singles.queued() + chunks.queued();
  }

  /** The scoring rate of all workers together for rows of {@code lane}, in rows per second. */
  double rowsPerSecond(Lane lane) {
    return workers * 1e9 / lane.nanosPerRow();
  }
}
