package io.churnserving.bench;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one event loop saw during the measured part of a run: latencies, answers by status, failures by kind.
 * Confined to its event loop, so it needs no locks; {@link Result} adds the loops' recorders up once they are done.
 *
 * <p>Two latencies are kept per answer. Latency counts from when the request was due: in closed loop that is when
 * it was sent, in open loop when the schedule called for it, so time spent waiting for a free connection behind a
 * slow answer is counted (coordinated omission corrected). Service time counts from when it actually left; in open
 * loop the gap between the two is queueing, in the target or in this client.
 */
final class Recorder {
  /** Latencies are in microseconds, tracked up to a minute at three significant digits. */
  static final long MAX_MICROS = 60_000_000L;
  static final int SIGNIFICANT_DIGITS = 3;

  final Histogram latency = newHistogram();
  final Histogram serviceTime = newHistogram();
  /** Answers by HTTP status; index 0 holds any status that is not three digits. */
  final long[] statuses = new long[1000];
  final Map<String, Long> failures = new TreeMap<>();
  /** The same answers and failures, by when they came, for the over-time chart. */
  final OverTime overTime;
  long connectionsOpened;
  /** Answers to warm-up requests: not measured, only counted, so the reports can say what the warm-up did. */
  long warmupAnswers;
  /** Latencies past {@link #MAX_MICROS}, recorded as that maximum. */
  long clipped;

  private final Timeline timeline;

  Recorder(Timeline timeline) {
    this.timeline = timeline;
    this.overTime = new OverTime(timeline);
  }

  static Histogram newHistogram() {
    return new Histogram(MAX_MICROS, SIGNIFICANT_DIGITS);
  }

  /**
   * An answer, whatever its status, to a request (or WebSocket message: 200 for a prediction, the problem's status
   * for an error) due at {@code dueNanos} and sent at {@code sentNanos}.
   */
  void answered(int status, long dueNanos, long sentNanos, long nowNanos) {
    if (!timeline.measured(dueNanos)) {
      if (dueNanos - timeline.measureFromNanos() < 0) {
        warmupAnswers++;
      }
      return;
    }
    statuses[status >= 0 && status < statuses.length ? status : 0] += 1;
    long micros = micros(nowNanos - dueNanos);
    latency.recordValue(micros);
    serviceTime.recordValue(micros(nowNanos - sentNanos));
    overTime.answered(status, micros, nowNanos);
  }

  /** A request that got no answer: refused, reset, closed or timed out. */
  void failed(Throwable failure, long dueNanos) {
    if (timeline.measured(dueNanos)) {
      failures.merge(TransportErrors.kind(failure), 1L, Long::sum);
      overTime.failed(System.nanoTime());
    }
  }

  /** A connection that could not be opened; counted when it happened, since no request was due. */
  void connectFailed(Throwable failure, long nowNanos) {
    failed(failure, nowNanos);
  }

  /** A WebSocket answer whose id matches nothing sent; counted when it came, since its message is unknown. */
  void unknownAnswer(long nowNanos) {
    if (timeline.measured(nowNanos)) {
      failures.merge(TransportErrors.UNKNOWN_ID, 1L, Long::sum);
      overTime.failed(nowNanos);
    }
  }

  void connected() {
    connectionsOpened++;
  }

  private long micros(long nanos) {
    long micros = Math.max(1, nanos / 1000);
    if (micros > MAX_MICROS) {
      clipped++;
      return MAX_MICROS;
    }
    return micros;
  }
}
