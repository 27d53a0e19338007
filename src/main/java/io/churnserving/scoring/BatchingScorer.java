package io.churnserving.scoring;

import io.churnserving.batching.MicroBatcher;
import io.churnserving.model.FeatureRow;
import io.churnserving.model.ModelEdge;
import io.churnserving.model.Prediction;
import io.churnserving.model.PredictionPolicy;
import io.churnserving.observability.CorrelationId;
import io.churnserving.observability.ScoringSpans;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.internal.ContextInternal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Scorer} of one transport verticle: single rows go through a {@link MicroBatcher}, and every batch is
 * one event-bus request to the scoring workers, through the {@link ModelCircuit}, so the cost of the hop is shared
 * by the whole batch.
 *
 * <p>Admission control, by time: the {@link Backlog} shared by every scorer admits rows while the rows queued ahead
 * would be scored within the request's deadline, and up to a cap in rows that guards memory; past either, callers
 * are refused at once with {@link ScoringException.Overloaded} rather than queued without bound.
 *
 * <p>Every admitted request is answered exactly once, and its rows are released from the backlog as it is, whatever
 * else happens: by its batch; by a timer of its own if it asked for a shorter deadline than the default; otherwise,
 * should its batch never complete, by a sweep that runs a tenth of the default deadline apart and times out what is
 * overdue. The worker drops rows whose deadline passed. A caller whose own handler throws when answered loses
 * nothing but its own answer.
 *
 * <p>This is the edge of the scoring core: rows are encoded here, on the event loop, into the plain-data
 * {@link ScoreBatch} the workers take, and the answers are made here from the model outputs and row codes of the
 * {@link ScoreResult} they return, with the model version's {@link ModelEdge}.
 */
public final class BatchingScorer implements Scorer {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingScorer.class);
  private static final long NANOS_PER_MS = 1_000_000;
  /** How long after its last single prediction a loop still keeps batch chunks back for fairness. */
  private static final long SINGLES_QUIET_NANOS = 100 * NANOS_PER_MS;
  /** A client can make its handlers throw again and again (closing streams early): one log line per 10 s. */
  private static final long CALLER_FAULT_LOG_NANOS = 10_000 * NANOS_PER_MS;
  private static final ScoringException.TimedOut TIMED_OUT =
      new ScoringException.TimedOut("no score within the request's deadline");
  private static final ScoringException EXPIRED =
      new ScoringException.TimedOut("the deadline passed before the row reached the model");
  private static final ScoringException MODEL_FAILED = new ScoringException.Failed("model call failed");
  private static final ScoringException NO_WORKER =
      new ScoringException.ModelUnavailable("no live scoring node serves this model version");

  /**
   * Batching settings.
   *
   * @param maxBatchSize   most rows per model call
   * @param maxDelayMicros longest a row waits for company
   * @param maxInFlight    batches this scorer keeps outstanding before it queues (the number of workers)
   * @param timeoutMs      default deadline of a request
   * @param queueRows      most rows admitted and unanswered over the whole server: the memory guard
   * @param address        the event-bus address of the model version's scoring workers
   * @param dispatch       how a batch reaches them: in this JVM, or on a scoring node of the cluster
   */
  public record Settings(int maxBatchSize, long maxDelayMicros, int maxInFlight, long timeoutMs, int queueRows,
                         String address, BatchDispatch dispatch) {

    /** Workers in this JVM, on {@code address}. */
    public Settings(int maxBatchSize, long maxDelayMicros, int maxInFlight, long timeoutMs, int queueRows,
                    String address) {
      this(maxBatchSize, maxDelayMicros, maxInFlight, timeoutMs, queueRows, address, BatchDispatch.local(address));
    }
  }

  private record Pending(FeatureRow row, String correlationId, long deadline) {
  }

  /** A prediction or the failure that replaced it. */
  private record Outcome(Prediction prediction, ScoringException failure) {
  }

  /** One admitted request until it is answered, by whichever of its batch, its timer or the sweep comes first. */
  private final class Ticket<T> extends Unanswered.Entry {
    final Backlog.Lane lane;
    final int rows;
    final Context caller = Vertx.currentContext();
    final Promise<T> answer = Promise.promise();
    long timer = -1;
    boolean settled;

    Ticket(Backlog.Lane lane, int rows, long deadline) {
      super(deadline);
      this.lane = lane;
      this.rows = rows;
    }

    @Override
    void expire() {
      settle(this, null, TIMED_OUT);
    }
  }

  private final Vertx vertx;
  private final ModelEdge model;
  private final Settings settings;
  private final ModelCircuit circuit;
  private final ScoringSpans spans;
  private final Backlog backlog;
  private final MicroBatcher<Pending, Outcome> batcher;
  private final Unanswered unanswered = new Unanswered();
  /** Chunks of batch requests waiting for their turn on the event bus, oldest first (see {@link #queueChunk}). */
  private final ArrayDeque<Runnable> waitingChunks = new ArrayDeque<>();
  private int chunksOut;
  /** When this loop last took a single prediction; see {@link #chunksAhead()}. */
  private long lastSingleNanos = System.nanoTime() - SINGLES_QUIET_NANOS;
  private final long sweep;
  private long callerFaults;
  private long callerFaultLoggedNanos;

  /** Made by {@link ScorerFactory}, in the start of the verticle it serves, so its sweep ends with that verticle. */
  BatchingScorer(Vertx vertx, ModelEdge model, Settings settings, ModelCircuit circuit, ScoringSpans spans,
                 Backlog backlog) {
    this.vertx = vertx;
    this.model = model;
    this.settings = settings;
    this.circuit = circuit;
    this.spans = spans;
    this.backlog = backlog;
    this.batcher = new MicroBatcher<>(settings.maxBatchSize(), settings.maxDelayMicros(), settings.maxInFlight(),
        batch -> dispatch(batch, backlog.singles), new VertxTimer(vertx), BatchingScorer::logBatch);
    sweep = vertx.setPeriodic(Math.max(10, settings.timeoutMs() / 10), id -> unanswered.sweep(System.nanoTime()));
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweep);
  }

  @Override
  public long deadline(long timeoutMs) {
    return System.nanoTime() + Math.min(timeoutMs, settings.timeoutMs()) * NANOS_PER_MS;
  }

  @Override
  public Future<Prediction> score(FeatureRow row, long deadline) {
    lastSingleNanos = System.nanoTime();
    ScoringException.Overloaded refused = backlog.admit(backlog.singles, 1, deadline);
    if (refused != null) {
      return Future.failedFuture(refused);
    }
    Span span = spans.start(1);
    Ticket<Prediction> ticket = track(backlog.singles, 1, deadline);
    batcher.offer(new Pending(row, CorrelationId.current(), deadline)).onComplete(ar -> {
      if (ar.failed()) {
        settle(ticket, null, ar.cause());
      } else {
        settle(ticket, ar.result().prediction(), ar.result().failure());
      }
    });
    return ended(span, ticket.answer.future());
  }

  @Override
  public Future<List<Prediction>> scoreAll(List<? extends FeatureRow> rows, long deadline) {
    ScoringException.Overloaded refused = backlog.admit(backlog.chunks, rows.size(), deadline);
    if (refused != null) {
      return Future.failedFuture(refused);
    }
    Span span = spans.start(rows.size());
    Ticket<List<Prediction>> ticket = track(backlog.chunks, rows.size(), deadline);
    String id = CorrelationId.current();
    List<Future<List<Outcome>>> chunks = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += settings.maxBatchSize()) {
      List<? extends FeatureRow> chunk = rows.subList(from, Math.min(rows.size(), from + settings.maxBatchSize()));
      List<Pending> pending = chunk.stream().map(r -> new Pending(r, id, deadline)).toList();
      chunks.add(queueChunk(() -> dispatch(pending, backlog.chunks), deadline));
    }
    Future.join(chunks).onComplete(done -> {
      try {
        settleAll(ticket, chunks, rows.size());
      } catch (RuntimeException e) {
        settle(ticket, null, e);
      }
    });
    return ended(span, ticket.answer.future());
  }

  private void settleAll(Ticket<List<Prediction>> ticket, List<Future<List<Outcome>>> chunks,
                         int size) {
    List<Prediction> out = new ArrayList<>(size);
    for (Future<List<Outcome>> chunk : chunks) {
      if (chunk.failed()) {
        settle(ticket, null, chunk.cause());
        return;
      }
      for (Outcome o : chunk.result()) {
        if (o.failure() != null) {
          settle(ticket, null, o.failure());
          return;
        }
        out.add(o.prediction());
      }
    }
    settle(ticket, out, null);
  }

  @Override
  public Future<EncodedScores> scoreEncoded(float[] features, int rows, long deadline) {
    int columns = model.encoder().width();
    if (rows < 1 || features.length != rows * columns) {
      throw new IllegalArgumentException(features.length + " values are not " + rows + " rows of " + columns);
    }
    ScoringException.Overloaded refused = backlog.admit(backlog.chunks, rows, deadline);
    if (refused != null) {
      return Future.failedFuture(refused);
    }
    Span span = spans.start(rows);
    Ticket<EncodedScores> ticket = track(backlog.chunks, rows, deadline);
    String id = CorrelationId.current();
    List<Future<ScoreResult>> chunks = new ArrayList<>();
    for (int from = 0; from < rows; from += settings.maxBatchSize()) {
      int n = Math.min(rows, from + settings.maxBatchSize()) - from;
      float[] slice = Arrays.copyOfRange(features, from * columns, (from + n) * columns);
      chunks.add(queueChunk(() -> sendEncoded(slice, n, id, deadline), deadline));
    }
    Future.join(chunks).onComplete(done -> {
      try {
        settleEncoded(ticket, chunks, rows);
      } catch (RuntimeException e) {
        settle(ticket, null, e);
      }
    });
    return ended(span, ticket.answer.future());
  }

  /** Encoded rows to the workers as they are, every row with the request's deadline. */
  private Future<ScoreResult> sendEncoded(float[] features, int n, String id, long deadline) {
    long now = System.nanoTime();
    String[] ids = new String[n];
    Arrays.fill(ids, id);
    long[] timeLeft = new long[n];
    Arrays.fill(timeLeft, deadline - now);
    ScoreBatch message = new ScoreBatch(model.name(), model.version(), features, model.encoder().width(), ids,
        timeLeft, now);
    return call(message, deadline - now).map(result -> {
      checkShape(n, result);
      int scored = 0;
      for (int i = 0; i < n; i++) {
        scored += result.code(i) == RowCode.OK ? 1 : 0;
      }
      backlog.chunks.scored(scored, result.workNanos());
      return result;
    });
  }

  private void settleEncoded(Ticket<EncodedScores> ticket, List<Future<ScoreResult>> chunks, int rows) {
    int width = model.outputColumns();
    float[] outputs = new float[rows * width];
    List<Prediction> predictions = new ArrayList<>(rows);
    String predictedAt = PredictionPolicy.timestamp(Instant.now());
    int row = 0;
    for (Future<ScoreResult> chunk : chunks) {
      if (chunk.failed()) {
        settle(ticket, null, chunk.cause());
        return;
      }
      ScoreResult result = chunk.result();
      for (int i = 0; i < result.rows(); i++) {
        switch (result.code(i)) {
          case OK -> predictions.add(model.answer(result.outputs(), i, predictedAt));
          case EXPIRED -> {
            settle(ticket, null, EXPIRED);
            return;
          }
          case FAILED -> {
            settle(ticket, null, MODEL_FAILED);
            return;
          }
        }
      }
      System.arraycopy(result.outputs(), 0, outputs, row * width, result.rows() * width);
      row += result.rows();
    }
    settle(ticket, new EncodedScores(outputs, width, predictions), null);
  }

  /**
   * Starts watching an admitted request's deadline. A request at the default deadline is left to the sweep: its
   * batch's event-bus request times out at that deadline, so the sweep only ever answers one whose completion was
   * lost. A request that asked for less gets a timer of its own, because its batch waits for the latest deadline
   * in it.
   */
  private <T> Ticket<T> track(Backlog.Lane lane, int rows, long deadline) {
    Ticket<T> ticket = new Ticket<>(lane, rows, deadline);
    long remainingMs = (deadline - System.nanoTime()) / NANOS_PER_MS;
    if (remainingMs >= settings.timeoutMs() - 1) {
      unanswered.add(ticket);
    } else {
      ticket.timer = vertx.setTimer(Math.max(1, remainingMs), id -> settle(ticket, null, TIMED_OUT));
    }
    return ticket;
  }

  /**
   * Answers a request once; later calls (its batch after its timer, say) do nothing. Its rows leave the backlog
   * first, so nothing the caller does with the answer can keep them admitted.
   */
  private <T> void settle(Ticket<T> ticket, T value, Throwable cause) {
    if (ticket.settled) {
      return;
    }
    ticket.settled = true;
    backlog.release(ticket.lane, ticket.rows);
    unanswered.remove(ticket);
    if (ticket.timer >= 0) {
      vertx.cancelTimer(ticket.timer);
    }
    // The batch completes on the context of whichever request sent it; switch to this request's own context
    // so its correlation ID is the one in force when it answers and logs. Both are on this event loop, so
    // emit runs it now, with no trip through the loop's task queue as runOnContext would take.
    Context caller = ticket.caller;
    if (caller == null || Vertx.currentContext() == caller) {
      deliver(ticket.answer, value, cause);
    } else {
      ((ContextInternal) caller).emit(v -> deliver(ticket.answer, value, cause));
    }
  }

  private <T> void deliver(Promise<T> answer, T value, Throwable cause) {
    // The promise has no context, so the caller's handlers run inside complete(): one that throws (a stream
    // writing to a socket the client already closed) is the caller's own failure, and ends here.
    try {
      if (cause != null) {
        answer.fail(cause);
      } else {
        answer.complete(value);
      }
    } catch (RuntimeException e) {
      callerFault(e);
    }
  }

  private void callerFault(RuntimeException e) {
    callerFaults++;
    long now = System.nanoTime();
    if (callerFaults == 1 || now - callerFaultLoggedNanos >= CALLER_FAULT_LOG_NANOS) {
      callerFaultLoggedNanos = now;
      LOG.atWarn().setCause(e).addKeyValue("caller_faults", callerFaults)
          .log("A caller's handler threw when given its answer; only its own answer is lost");
    }
  }

  /** Ends the scoring span, if there is one, when the answer is settled. */
  private static <T> Future<T> ended(Span span, Future<T> answer) {
    return span == null ? answer : answer.onComplete(ar -> ScoringSpans.end(span, ar.cause()));
  }

  /**
   * A batch request's chunk goes to the workers once fewer than {@link #chunksAhead()} of this scorer's chunks are out.
   * Sent all at once, a burst of 1,000-instance requests put hundreds of chunks on the bus ahead of every single
   * prediction, which then waited behind all of them (tens of milliseconds); this way a micro-batch of single rows
   * waits behind at most a few chunks per event loop, while the workers always have the next chunk queued. A
   * chunk whose deadline passed while it waited is not sent: it fails as timed out.
   */
  private <T> Future<T> queueChunk(Supplier<Future<T>> chunk, long deadline) {
    Promise<T> result = Promise.promise();
    waitingChunks.addLast(() -> {
      if (deadline - System.nanoTime() <= 0) {
        chunkDone(result, Future.failedFuture(new ScoringException.TimedOut("no score within the deadline")));
      } else {
        chunk.get().onComplete(ar -> chunkDone(result, ar));
      }
    });
    sendChunks();
    return result.future();
  }

  private <T> void chunkDone(Promise<T> result, AsyncResult<T> ar) {
    chunksOut--;
    try {
      result.handle(ar);
    } finally {
      sendChunks();
    }
  }

  private void sendChunks() {
    while (chunksOut < chunksAhead() && !waitingChunks.isEmpty()) {
      chunksOut++;
      waitingChunks.pollFirst().run();
    }
  }

  /**
   * Two per worker while this loop has single predictions to be fair to (one scored, one queued, so the worker never
   * waits for the hop back); eight per worker once none came for {@link #SINGLES_QUIET_NANOS}. With only batch work,
   * a loop may be busy for milliseconds parsing the next 1,000-instance body while its chunks are scored, and with two
   * the worker ran dry meanwhile: batch throughput was about 18% lower (bench/batch.lua, side by side). Beside single
   * predictions, eight made their p99 several times worse under bursts of large requests.
   */
  private int chunksAhead() {
    boolean singlesWaiting = System.nanoTime() - lastSingleNanos < SINGLES_QUIET_NANOS;
    return (singlesWaiting ? 2 : 8) * settings.maxInFlight();
  }

  /**
   * One model call's worth of rows to the workers, encoded here; its measured cost goes to the lane the rows came
   * by. A row the encoder throws on fails alone and is not sent.
   */
  private Future<List<Outcome>> dispatch(List<Pending> batch, Backlog.Lane lane) {
    int n = batch.size();
    int columns = model.encoder().width();
    float[] features = new float[n * columns];
    String[] ids = new String[n];
    long[] timeLeft = new long[n];
    Outcome[] unsent = null;
    int sent = 0;
    long now = System.nanoTime();
    long latest = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      Pending p = batch.get(i);
      try {
        model.encoder().encode(p.row(), features, sent * columns);
      } catch (RuntimeException e) {
        if (unsent == null) {
          unsent = new Outcome[n];
        }
        unsent[i] = new Outcome(null, new ScoringException.Failed("the row could not be encoded"));
        LOG.atError().setCause(e).log("A validated row could not be encoded for the model");
        continue;
      }
      ids[sent] = p.correlationId();
      timeLeft[sent] = p.deadline() - now;
      latest = sent == 0 ? p.deadline() : Math.max(latest, p.deadline());
      sent++;
    }
    if (unsent != null) {
      return dispatchSome(batch, unsent, sent, features, ids, timeLeft, now, latest, lane);
    }
    ScoreBatch message = new ScoreBatch(model.name(), model.version(), features, columns, ids, timeLeft, now);
    return send(message, latest - now, lane);
  }

  /** The rows that encoded go out; the ones that did not keep their failure, in their places. */
  private Future<List<Outcome>> dispatchSome(List<Pending> batch, Outcome[] unsent, int sent, float[] features,
                                             String[] ids, long[] timeLeft, long now, long latest,
                                             Backlog.Lane lane) {
    if (sent == 0) {
      return Future.succeededFuture(List.of(unsent));
    }
    int columns = model.encoder().width();
    ScoreBatch message = new ScoreBatch(model.name(), model.version(), Arrays.copyOf(features,
        sent * columns), columns, Arrays.copyOf(ids, sent), Arrays.copyOf(timeLeft, sent), now);
    return send(message, latest - now, lane).map(outcomes -> {
      List<Outcome> all = new ArrayList<>(batch.size());
      for (int i = 0, j = 0; i < batch.size(); i++) {
        all.add(unsent[i] != null ? unsent[i] : outcomes.get(j++));
      }
      return all;
    });
  }

  /** The batch through the breaker to the workers, and the answers made from what they return. */
  private Future<List<Outcome>> send(ScoreBatch message, long waitNanos, Backlog.Lane lane) {
    return call(message, waitNanos).map(result -> answers(message.rows(), result, lane));
  }

  /** One model call: the batch through the breaker to the workers. */
  private Future<ScoreResult> call(ScoreBatch message, long waitNanos) {
    BatchDispatch dispatch = settings.dispatch();
    if (!dispatch.reachable()) {
      // No scoring node serves the version: refused before the breaker, which counts model failures, not absences.
      return Future.failedFuture(NO_WORKER);
    }
    long timeoutMs = Math.max(1, (waitNanos + NANOS_PER_MS - 1) / NANOS_PER_MS);
    return circuit.call(() -> dispatch.request(vertx, message, timeoutMs))
        .recover(e -> Future.failedFuture(translate(e)));
  }

  /** One outcome per row, stamped once per batch, as it arrives. */
  private List<Outcome> answers(int n, ScoreResult result, Backlog.Lane lane) {
    checkShape(n, result);
    String predictedAt = PredictionPolicy.timestamp(Instant.now());
    float[] outputs = result.outputs();
    List<Outcome> outcomes = new ArrayList<>(n);
    int scored = 0;
    for (int i = 0; i < n; i++) {
      switch (result.code(i)) {
        case OK -> {
          outcomes.add(new Outcome(model.answer(outputs, i, predictedAt), null));
          scored++;
        }
        case EXPIRED -> outcomes.add(new Outcome(null, EXPIRED));
        case FAILED -> outcomes.add(new Outcome(null, MODEL_FAILED));
      }
    }
    lane.scored(scored, result.workNanos());
    return outcomes;
  }

  private void checkShape(int n, ScoreResult result) {
    if (result.rows() != n || result.outputColumns() != model.outputColumns()) {
      throw new ScoringException.Failed("the worker answered " + result.rows() + " rows of "
          + result.outputColumns() + " outputs for " + n + " rows of " + model.outputColumns());
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
