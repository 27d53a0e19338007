package io.churnserving.cluster;

import io.churnserving.scoring.BatchDispatch;
import io.churnserving.scoring.ScoreBatch;
import io.churnserving.scoring.ScoreResult;
import io.churnserving.scoring.ScoringException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * One version's batches from an HTTP node to the scoring nodes that serve it: each batch to the next such node,
 * round robin, and, when that node leaves the cluster or cannot be reached before it answers, once more to another
 * one. Scoring is idempotent (floats in, floats out, nothing kept), so a batch scored twice answers the same; a
 * batch is never sent a third time, so a fault that follows it fails only its own requests.
 */
final class RemoteDispatch implements BatchDispatch {
  private static final ScoringException.ModelUnavailable NO_NODE =
      new ScoringException.ModelUnavailable("no live scoring node serves this model version");

  private final ScoringNodes nodes;
  private final String model;
  private final String version;

  RemoteDispatch(ScoringNodes nodes, String model, String version) {
    this.nodes = nodes;
    this.model = model;
    this.version = version;
  }

  @Override
  public boolean reachable() {
    return !nodes.serving(model, version).isEmpty();
  }

  @Override
  public Future<ScoreResult> request(Vertx vertx, ScoreBatch batch, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    return attempt(vertx, batch, deadline, null);
  }

  private Future<ScoreResult> attempt(Vertx vertx, ScoreBatch batch, long deadline, String failedNode) {
    String node = nodes.pick(model, version, failedNode);
    if (node == null) {
      return Future.failedFuture(NO_NODE);
    }
    long leftMs = (deadline - System.nanoTime()) / 1_000_000;
    if (leftMs < 1) {
      return Future.failedFuture(new ScoringException.TimedOut("no score within the deadline"));
    }
    Context context = vertx.getOrCreateContext();
    Promise<ScoreResult> answer = Promise.promise();
    ScoringNodes.InFlight tracked = nodes.track(node, context, answer);
    vertx.eventBus().<ScoreResult>request(Announcements.nodeAddress(model, version, node), batch,
            new DeliveryOptions().setSendTimeout(leftMs))
        .onComplete(ar -> {
          nodes.untrack(tracked);
          if (ar.succeeded()) {
            answer.tryComplete(ar.result().body());
          } else {
            answer.tryFail(ar.cause());
          }
        });
    return answer.future().recover(e -> {
      if (failedNode != null || !lostNode(e)) {
        return Future.failedFuture(e);
      }
      if (!(e instanceof ScoringNodes.NodeLost)) {
        nodes.suspect(node);
      }
      return attempt(vertx, aged(batch), deadline, node);
    });
  }

  /**
   * Whether the batch failed because its node went away rather than because of the batch: the node left, its
   * address had no consumer any more (it drained and unregistered), or it could not be reached. A timeout is not:
   * the deadline is spent; nor is a worker's own failure.
   */
  private static boolean lostNode(Throwable e) {
    if (e instanceof ScoringNodes.NodeLost) {
      return true;
    }
    if (e instanceof ReplyException reply) {
      return reply.failureType() == ReplyFailure.NO_HANDLERS || reply.failureType() == ReplyFailure.ERROR;
    }
    return !(e instanceof ScoringException);
  }

  /** The batch again, each row's time left less the time already spent, since the worker counts from arrival. */
  private static ScoreBatch aged(ScoreBatch batch) {
    long now = System.nanoTime();
    long spent = now - batch.sentNanos();
    long[] left = new long[batch.rows()];
    for (int i = 0; i < left.length; i++) {
      left[i] = batch.timeLeftNanos()[i] - spent;
    }
    return new ScoreBatch(batch.model(), batch.version(), batch.features(), batch.columns(), batch.correlationIds(),
        left, now);
  }
}
