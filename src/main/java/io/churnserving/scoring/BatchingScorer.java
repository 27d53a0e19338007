package io.churnserving.scoring;

import io.churnserving.batching.MicroBatcher;
import io.churnserving.model.FeatureRow;
import io.churnserving.model.Prediction;
import io.churnserving.observability.CorrelationId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Scorer} of one transport verticle: single rows go through a {@link MicroBatcher}, and every batch is
 * one event-bus request to the scoring workers, so the cost of the hop is shared by the whole batch.
 */
public final class BatchingScorer implements Scorer {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingScorer.class);

  /**
   * Batching settings.
   *
   * @param maxBatchSize   most rows per model call
   * @param maxDelayMicros longest a row waits for company
   * @param maxInFlight    batches this scorer keeps outstanding before it queues (the number of workers)
   * @param timeoutMs      how long a batch may take before its rows fail with {@link ScoringException.TimedOut}
   */
  public record Settings(int maxBatchSize, long maxDelayMicros, int maxInFlight, long timeoutMs) {
  }

  private record Pending(FeatureRow row, String correlationId) {
  }

  private final Vertx vertx;
  private final Settings settings;
  private final DeliveryOptions delivery;
  private final MicroBatcher<Pending, ScoreResult.RowOutcome> batcher;

  public BatchingScorer(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.delivery = new DeliveryOptions().setSendTimeout(settings.timeoutMs()).setLocalOnly(true);
    this.batcher = new MicroBatcher<>(settings.maxBatchSize(), settings.maxDelayMicros(), settings.maxInFlight(),
        this::dispatch, new VertxTimer(vertx), BatchingScorer::logBatch);
  }

  @Override
  public Future<Prediction> score(FeatureRow row) {
    Context caller = Vertx.currentContext();
    Promise<Prediction> answer = Promise.promise();
    batcher.offer(new Pending(row, CorrelationId.current())).onComplete(ar -> {
      // The batch completes on the context of whichever request sent it; hop back to this request's own
      // context so its correlation ID is the one in force when it answers and logs.
      if (caller == null || Vertx.currentContext() == caller) {
        settle(answer, ar.succeeded() ? ar.result() : null, ar.cause());
      } else {
        caller.runOnContext(v -> settle(answer, ar.succeeded() ? ar.result() : null, ar.cause()));
      }
    });
    return answer.future();
  }

  @Override
  public Future<List<Prediction>> scoreAll(List<? extends FeatureRow> rows) {
    String id = CorrelationId.current();
    List<Future<List<ScoreResult.RowOutcome>>> chunks = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += settings.maxBatchSize()) {
      List<? extends FeatureRow> chunk = rows.subList(from, Math.min(rows.size(), from + settings.maxBatchSize()));
      chunks.add(dispatch(chunk.stream().map(r -> new Pending(r, id)).toList()));
    }
    return Future.all(chunks).compose(all -> {
      List<Prediction> out = new ArrayList<>(rows.size());
      for (int c = 0; c < chunks.size(); c++) {
        for (ScoreResult.RowOutcome o : all.<List<ScoreResult.RowOutcome>>resultAt(c)) {
          if (o.failure() != null) {
            return Future.failedFuture(o.failure());
          }
          out.add(o.prediction());
        }
      }
      return Future.succeededFuture(out);
    });
  }

  private Future<List<ScoreResult.RowOutcome>> dispatch(List<Pending> batch) {
    List<FeatureRow> rows = new ArrayList<>(batch.size());
    List<String> ids = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      rows.add(p.row());
      ids.add(p.correlationId());
    }
    return vertx.eventBus().<ScoreResult>request(ScoringBus.SCORE_ADDRESS, new ScoreBatch(rows, ids, System.nanoTime()),
            delivery)
        .recover(e -> Future.failedFuture(translate(e)))
        .map(reply -> {
          ScoreResult result = reply.body();
          List<ScoreResult.RowOutcome> outcomes = new ArrayList<>(batch.size());
          for (int i = 0; i < batch.size(); i++) {
            outcomes.add(result.outcome(i));
          }
          return outcomes;
        });
  }

  private static void settle(Promise<Prediction> answer, ScoreResult.RowOutcome outcome, Throwable cause) {
    if (cause != null) {
      answer.fail(cause);
    } else if (outcome.failure() != null) {
      answer.fail(outcome.failure());
    } else {
      answer.complete(outcome.prediction());
    }
  }

  private static Throwable translate(Throwable e) {
    if (e instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case TIMEOUT -> new ScoringException.TimedOut("no score within the deadline");
        case NO_HANDLERS -> new ScoringException.ModelUnavailable("no scoring worker is running");
        default -> new ScoringException.Failed("scoring failed: " + reply.getMessage());
      };
    }
    return e;
  }

  private static void logBatch(int size, long oldestWaitNanos) {
    if (LOG.isDebugEnabled()) {
      LOG.atDebug().addKeyValue("batch_size", size).addKeyValue("batch_wait_ms", oldestWaitNanos / 1e6)
          .log("batch.dispatched");
    }
  }

  /** Vert.x timers tick in milliseconds; a sub-millisecond delay rounds up to one. */
  private record VertxTimer(Vertx vertx) implements MicroBatcher.Timer {
    @Override
    public long schedule(long delayMicros, Runnable task) {
      return vertx.setTimer(Math.max(1, (delayMicros + 999) / 1000), id -> task.run());
    }

    @Override
    public void cancel(long id) {
      vertx.cancelTimer(id);
    }
  }
}
