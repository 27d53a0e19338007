package io.churnserving.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;

/**
 * The open loop of a driver with one request in flight per lane (an HTTP/1.1 connection, a gRPC connection): lanes
 * with nothing due wait here, and one timer, armed for the moment the next request falls due, hands it to the first
 * idle lane. Requests due while every lane is busy are taken by the next lane to come free, still carrying the time
 * they were due. Once the run is over, idle lanes are ended; the run is finished when every lane has ended.
 *
 * @param <L> the driver's lane
 */
final class IdleLanes<L extends IdleLanes.Lane> {
  /** What the hand-out asks of a lane. */
  interface Lane {
    /** Sends one request, due at {@code dueNanos}, now. */
    void send(long dueNanos, long sentNanos);

    /** Ends the lane: the run is over. */
    void finish();
  }

  private final ArrayDeque<L> idle = new ArrayDeque<>();
  private final Promise<Void> allFinished = Promise.promise();
  private final WakeUp wakeUp;
  private final int lanes;
  private Timeline timeline;
  private Pacer pacer;
  private int finished;

  /** @param lanes how many lanes will end before the run is finished */
  IdleLanes(Vertx vertx, int lanes) {
    this.wakeUp = new WakeUp(vertx, this::dispatch);
    this.lanes = lanes;
  }

  /** The run's clock and schedule, before any lane is pumped. */
  void start(Timeline timeline, Pacer pacer) {
    this.timeline = timeline;
    this.pacer = pacer;
  }

  /** A lane with nothing due: it waits for the timer. */
  void waitFor(L lane) {
    idle.add(lane);
    armWakeUp();
  }

  /** Takes a waiting lane back (its connection closed); whether it was waiting. */
  boolean remove(L lane) {
    return idle.remove(lane);
  }

  /** Arms the timer for the next due request or the end, whichever comes first, unless it is armed earlier. */
  void armWakeUp() {
    if (idle.isEmpty() && timeline.over(System.nanoTime())) {
      return;
    }
    wakeUp.armAt(Math.min(pacer.nextDueNanos(), timeline.endNanos()));
  }

  /** Hands due requests to idle lanes, and ends idle lanes once the run is over. */
  private void dispatch() {
    long now = System.nanoTime();
    while (!idle.isEmpty()) {
      if (timeline.over(now)) {
        idle.poll().finish();
        continue;
      }
      long due = pacer.next(now);
      if (due == Pacer.NOTHING_DUE) {
        break;
      }
      idle.poll().send(due, now);
    }
    if (!idle.isEmpty()) {
      armWakeUp();
    }
  }

  /** A lane has ended. */
  void finished() {
    if (++finished == lanes) {
      wakeUp.cancel();
      allFinished.complete();
    }
  }

  /** Completes once every lane has ended. */
  Future<Void> allFinished() {
    return allFinished.future();
  }
}
