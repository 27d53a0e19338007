package io.churnserving.scoring;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * Where a version's batches go: to its workers in this JVM, or, on an HTTP node, to a scoring node of the cluster.
 * Called on the sending scorer's event loop; the answer's failures are the event bus's ({@code ReplyException}) or
 * {@link ScoringException}s.
 */
public interface BatchDispatch {
  /**
   * Sends one batch and returns the worker's answer.
   *
   * @param timeoutMs how long the answer may take: the latest deadline in the batch
   */
  Future<ScoreResult> request(Vertx vertx, ScoreBatch batch, long timeoutMs);

  /** Whether a worker is there to send to now; a scorer refuses at once (503) rather than wait when not. */
  default boolean reachable() {
    return true;
  }

  /** To the workers of this JVM on {@code address}: the batch passes by reference. */
  static BatchDispatch local(String address) {
    return (vertx, batch, timeoutMs) -> vertx.eventBus()
        .<ScoreResult>request(address, batch, new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeoutMs))
        .map(Message::body);
  }
}
