package io.churnserving.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * The measured part of a run cut into equal intervals by when each answer (or failure) came: answers, errors and
 * a latency histogram per interval, so that a long run shows whether throughput or latency drifted. The summary
 * histogram of {@link Result} cannot: a soak whose p99 doubled in its last ten minutes has nearly the p99 of one
 * that never moved.
 *
 * <p>Intervals are one second for runs up to {@link #MAX_INTERVALS} seconds and longer beyond, so a 75-minute soak
 * keeps 300 small histograms (two significant digits, 10 KB each), not 4,500. Answers that come after the measured
 * end, to requests that were due before it (at most one per connection, or per message in flight), count in the
 * last interval: an interval of their own would show a collapse of throughput at the end of every run.
 *
 * <p>Like {@link Recorder}, one per event loop and confined to it; {@link #add} sums the loops' series.
 */
final class OverTime {
  /** At most this many intervals cover the measured duration. */
  static final int MAX_INTERVALS = 300;
  /** Interval lengths in seconds, when a second each would make more than {@link #MAX_INTERVALS}. */
  private static final long[] WIDTHS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600};
  /** Enough for a per-interval p50 and p99 drawn on a chart, at a tenth of the summary histogram's memory. */
  private static final int SIGNIFICANT_DIGITS = 2;

  /**
   * One interval's figures, from {@code startSeconds} to {@code endSeconds} of the measured part (the last interval
   * may be shorter). {@code errors} are non-2xx answers plus requests that got no answer.
   */
  record Point(double startSeconds, double endSeconds, long answers, long succeeded, long errors, double p50Ms,
      double p99Ms, double maxMs) {

    /** A count of this interval, per second. */
    double perSecond(long count) {
      return count / (endSeconds - startSeconds);
    }

    double middleSeconds() {
      return (startSeconds + endSeconds) / 2;
    }
  }

  private static final class Interval {
    final AbstractHistogram latency = new IntCountsHistogram(1, Recorder.MAX_MICROS, SIGNIFICANT_DIGITS);
    long succeeded;
    long errorAnswers;
    long failures;
  }

  private final long measureFromNanos;
  private final long measuredNanos;
  private final long widthNanos;
  private final int count;
  private final List<Interval> intervals = new ArrayList<>();

  OverTime(Timeline timeline) {
    this.measureFromNanos = timeline.measureFromNanos();
    this.measuredNanos = timeline.endNanos() - timeline.measureFromNanos();
    this.widthNanos = widthFor(Duration.ofNanos(measuredNanos)).toNanos();
    this.count = (int) Math.max(1, (measuredNanos + widthNanos - 1) / widthNanos);
  }

  /** The interval length for a measured duration: a second, or the shortest round length giving at most 300. */
  static Duration widthFor(Duration measured) {
    for (long seconds : WIDTHS) {
      if (measured.toNanos() <= seconds * MAX_INTERVALS * 1_000_000_000L) {
        return Duration.ofSeconds(seconds);
      }
    }
    return Duration.ofSeconds(WIDTHS[WIDTHS.length - 1]);
  }

  double widthSeconds() {
    return widthNanos / 1e9;
  }

  void answered(int status, long latencyMicros, long nowNanos) {
    Interval at = at(nowNanos);
    at.latency.recordValue(latencyMicros);
    if (status / 100 == 2) {
      at.succeeded++;
    } else {
      at.errorAnswers++;
    }
  }

  void failed(long nowNanos) {
    at(nowNanos).failures++;
  }

  /** Adds another loop's series to this one. */
  void add(OverTime other) {
    for (int i = 0; i < other.intervals.size(); i++) {
      Interval from = other.intervals.get(i);
      Interval to = interval(i);
      to.latency.add(from.latency);
      to.succeeded += from.succeeded;
      to.errorAnswers += from.errorAnswers;
      to.failures += from.failures;
    }
  }

  /** One point per interval of the measured part, empty ones included, so that a stall shows as a gap to zero. */
  List<Point> points() {
    List<Point> points = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Interval v = interval(i);
      points.add(new Point(i * widthNanos / 1e9, Math.min((i + 1) * widthNanos, measuredNanos) / 1e9,
          v.latency.getTotalCount(), v.succeeded, v.errorAnswers + v.failures, Result.ms(v.latency, 50),
          Result.ms(v.latency, 99), Result.maxMs(v.latency)));
    }
    return points;
  }

  private Interval at(long nowNanos) {
    return interval((int) Math.min(count - 1, Math.max(0, (nowNanos - measureFromNanos) / widthNanos)));
  }

  private Interval interval(int index) {
    while (intervals.size() <= index) {
      intervals.add(new Interval());
    }
    return intervals.get(index);
  }
}
