package io.churnserving.bench;

import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * A driver's one timer: armed for the earliest moment it is asked for, it runs the driver's task then. Asking for a
 * later moment while it is armed for an earlier one changes nothing; asking for an earlier one re-arms it. Confined
 * to the driver's event loop, like the driver.
 */
final class WakeUp {
  private final Vertx vertx;
  private final Runnable task;
  private Timer timer;
  private long atNanos;

  WakeUp(Vertx vertx, Runnable task) {
    this.vertx = vertx;
    this.task = task;
  }

  /** Runs the task at {@code atNanos} ({@link System#nanoTime()} time), unless it is already due to run earlier. */
  void armAt(long atNanos) {
    if (timer != null) {
      if (this.atNanos - atNanos <= 0) {
        return;
      }
      timer.cancel();
    }
    this.atNanos = atNanos;
    Timer armed = vertx.timer(Math.max(1, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    timer = armed;
    armed.onSuccess(v -> {
      if (timer == armed) {
        timer = null;
        task.run();
      }
    });
  }

  void cancel() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
