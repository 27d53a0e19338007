package io.churnserving.scoring;

import io.churnserving.batching.MicroBatcher;
import io.churnserving.model.FeatureRow;
import io.churnserving.model.Prediction;
import io.churnserving.observability.CorrelationId;
import io.churnserving.observability.ScoringSpans;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Scorer} of one transport verticle: single rows go through a {@link MicroBatcher}, and every batch is
 * one event-bus request to the scoring workers, through the {@link ModelCircuit}, so the cost of the hop is shared
 * by the whole batch.
 *
 * <p>Admission control: at most {@code queueRows} rows are admitted and unanswered at once; past that, callers are
 * refused at once with {@link ScoringException.Overloaded} rather than queued without bound. Deadlines: each row
 * carries its request's deadline; the worker drops rows whose deadline passed, and a request that asked for a
 * shorter deadline than the default is answered {@link ScoringException.TimedOut} when it passes.
 */
public final class BatchingScorer implements Scorer {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingScorer.class);
  private static final long NANOS_PER_MS = 1_000_000;
  private static final ScoringException.Overloaded OVERLOADED =
      new ScoringException.Overloaded("the scoring queue is full; retry shortly");

  /**
   * Batching settings.
   *
   * @param maxBatchSize   most rows per model call
   * @param maxDelayMicros longest a row waits for company
   * @param maxInFlight    batches this scorer keeps outstanding before it queues (the number of workers)
   * @param timeoutMs      default deadline of a request
   * @param queueRows      rows admitted and unanswered before callers are refused
   */
  public record Settings(int maxBatchSize, long maxDelayMicros, int maxInFlight, long timeoutMs, int queueRows) {
  }

  private record Pending(FeatureRow row, String correlationId, long deadline) {
  }

  private final Vertx vertx;
  private final Settings settings;
  private final ModelCircuit circuit;
  private final ScoringSpans spans;
  private final MicroBatcher<Pending, ScoreResult.RowOutcome> batcher;
  private int admitted;

  public BatchingScorer(Vertx vertx, Settings settings, ModelCircuit circuit, ScoringSpans spans) {
    this.vertx = vertx;
    this.settings = settings;
    this.circuit = circuit;
    this.spans = spans;
    this.batcher = new MicroBatcher<>(settings.maxBatchSize(), settings.maxDelayMicros(), settings.maxInFlight(),
        this::dispatch, new VertxTimer(vertx), BatchingScorer::logBatch);
  }

  /** Rows admitted and not yet answered; read by the metrics gauge from another thread, so possibly stale. */
  int admitted() {
    return admitted;
  }

  @Override
  public long deadline(long timeoutMs) {
    return System.nanoTime() + Math.min(timeoutMs, settings.timeoutMs()) * NANOS_PER_MS;
  }

  @Override
  public Future<Prediction> score(FeatureRow row, long deadline) {
    if (admitted >= settings.queueRows()) {
      return Future.failedFuture(OVERLOADED);
    }
    admitted++;
    Context caller = Vertx.currentContext();
    Promise<Prediction> answer = Promise.promise();
    ended(spans.start(1), answer.future());
    long timer = shortDeadlineTimer(answer, deadline);
    batcher.offer(new Pending(row, CorrelationId.current(), deadline)).onComplete(ar -> {
      admitted--;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      // The batch completes on the context of whichever request sent it; switch to this request's own context
      // so its correlation ID is the one in force when it answers and logs. Both are on this event loop, so
      // emit runs it now, with no trip through the loop's task queue as runOnContext would take.
      if (caller == null || Vertx.currentContext() == caller) {
        settle(answer, ar.succeeded() ? ar.result() : null, ar.cause());
      } else {
        ((ContextInternal) caller).emit(v -> settle(answer, ar.succeeded() ? ar.result() : null, ar.cause()));
      }
    });
    return answer.future();
  }

  /**
   * The batch's event-bus timeout is the latest deadline in it, the default for most; a request that asked for
   * less gets its own timer so its 504 comes on time.
   */
  private long shortDeadlineTimer(Promise<Prediction> answer, long deadline) {
    long remainingMs = (deadline - System.nanoTime()) / NANOS_PER_MS;
    if (remainingMs >= settings.timeoutMs() - 1) {
      return -1;
    }
    return vertx.setTimer(Math.max(1, remainingMs), id -> answer.tryFail(
        new ScoringException.TimedOut("no score within the request's deadline")));
  }

  @Override
  public Future<List<Prediction>> scoreAll(List<? extends FeatureRow> rows, long deadline) {
    // A batch larger than the whole queue is still admitted when nothing else waits, or it could never be.
    if (admitted > 0 && admitted + rows.size() > settings.queueRows()) {
      return Future.failedFuture(OVERLOADED);
    }
    admitted += rows.size();
    Span span = spans.start(rows.size());
    String id = CorrelationId.current();
    List<Future<List<ScoreResult.RowOutcome>>> chunks = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += settings.maxBatchSize()) {
      List<? extends FeatureRow> chunk = rows.subList(from, Math.min(rows.size(), from + settings.maxBatchSize()));
      chunks.add(dispatch(chunk.stream().map(r -> new Pending(r, id, deadline)).toList()));
    }
    return ended(span, Future.join(chunks).transform(done -> {
      admitted -= rows.size();
      if (done.failed()) {
        return Future.failedFuture(chunks.stream().filter(Future::failed).findFirst().orElseThrow().cause());
      }
      List<Prediction> out = new ArrayList<>(rows.size());
      for (Future<List<ScoreResult.RowOutcome>> chunk : chunks) {
        for (ScoreResult.RowOutcome o : chunk.result()) {
          if (o.failure() != null) {
            return Future.failedFuture(o.failure());
          }
          out.add(o.prediction());
        }
      }
      return Future.succeededFuture(out);
    }));
  }

  /** Ends the scoring span, if there is one, when the answer is settled. */
  private static <T> Future<T> ended(Span span, Future<T> answer) {
    return span == null ? answer : answer.onComplete(ar -> ScoringSpans.end(span, ar.cause()));
  }

  private Future<List<ScoreResult.RowOutcome>> dispatch(List<Pending> batch) {
    int n = batch.size();
    List<FeatureRow> rows = new ArrayList<>(n);
    List<String> ids = new ArrayList<>(n);
    long[] deadlines = new long[n];
    long latest = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      Pending p = batch.get(i);
      rows.add(p.row());
      ids.add(p.correlationId());
      deadlines[i] = p.deadline();
      latest = i == 0 ? p.deadline() : Math.max(latest, p.deadline());
    }
    long now = System.nanoTime();
    DeliveryOptions delivery = new DeliveryOptions().setLocalOnly(true)
        .setSendTimeout(Math.max(1, (latest - now + NANOS_PER_MS - 1) / NANOS_PER_MS));
    return circuit.call(() -> vertx.eventBus()
            .<ScoreResult>request(ScoringBus.SCORE_ADDRESS, new ScoreBatch(rows, ids, deadlines, now), delivery)
            .map(reply -> reply.body()))
        .recover(e -> Future.failedFuture(translate(e)))
        .map(result -> {
          List<ScoreResult.RowOutcome> outcomes = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            outcomes.add(result.outcome(i));
          }
          return outcomes;
        });
  }

  private static void settle(Promise<Prediction> answer, ScoreResult.RowOutcome outcome, Throwable cause) {
    // try*: a short deadline's timer may have answered already.
    if (cause != null) {
      answer.tryFail(cause);
    } else if (outcome.failure() != null) {
      answer.tryFail(outcome.failure());
    } else {
      answer.tryComplete(outcome.prediction());
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
