package io.churnserving.bench;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Latencies and outcomes of the measured part of a run. Used from one event loop only. */
final class Recorder {
  private static final long MAX_MICROS = 60_000_000L;

  final Histogram latencyMicros = new Histogram(MAX_MICROS, 3);
  final Map<Integer, Long> statuses = new TreeMap<>();
  final Map<String, Long> errors = new TreeMap<>();
  private volatile boolean measuring;

  void startMeasuring() {
    measuring = true;
  }

  void stopMeasuring() {
    measuring = false;
  }

  void response(int status, long startedNanos) {
    if (measuring) {
      latencyMicros.recordValue(Math.min(MAX_MICROS, Math.max(1, (System.nanoTime() - startedNanos) / 1000)));
      statuses.merge(status, 1L, Long::sum);
    }
  }

  void error(Throwable cause) {
    if (measuring) {
      errors.merge(cause.getClass().getSimpleName(), 1L, Long::sum);
    }
  }

  long requests() {
    return statuses.values().stream().mapToLong(Long::longValue).sum();
  }

  long failures() {
    return errors.values().stream().mapToLong(Long::longValue).sum()
        + statuses.entrySet().stream().filter(e -> e.getKey() >= 400).mapToLong(Map.Entry::getValue).sum();
  }
}
