package io.churnserving.batching;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers items that arrive together into batches of at most {@code maxBatchSize}.
 *
 * <p>Adaptive: while fewer than {@code maxInFlight} batches are out, an offered item is dispatched at once with
 * whatever else is queued, so a request at an idle server never waits for company. When every slot is busy, items
 * queue; the queue goes out when a batch completes, when it reaches {@code maxBatchSize}, or when its oldest item has
 * waited {@code maxDelayMicros} (with 0, no timer: only what is queued when a slot frees). Batch size therefore grows
 * with load and shrinks to one when the server is idle.
 *
 * <p>Every offered item's future completes exactly once, with its own element of the batch's result, or with the
 * batch's failure. Each is completed in isolation: a caller whose own handler throws on completion loses nothing
 * but its own answer; the other items of its batch are still completed, and the next batch still goes out. Not
 * thread-safe: use it from one context only.
 *
 * @param <I> item type
 * @param <O> per-item result type
 */
public final class MicroBatcher<I, O> {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

  /** Sends one batch; the result list holds one element per item, in order. */
  @FunctionalInterface
  public interface Dispatcher<I, O> {
    Future<List<O>> dispatch(List<I> batch);
  }

  /** Schedules a one-shot callback; returns an id for {@link #cancel}. */
  public interface Timer {
    long schedule(long delayMicros, Runnable task);

    void cancel(long id);
  }

  /** Observes each dispatched batch, e.g. for a DEBUG line or a histogram. */
  @FunctionalInterface
  public interface Listener {
    void dispatched(int size, long oldestWaitNanos);
  }

  private final int maxBatchSize;
  private final long maxDelayMicros;
  private final int maxInFlight;
  private final Dispatcher<I, O> dispatcher;
  private final Timer timer;
  private final Listener listener;

  private List<I> items;
  private List<Promise<O>> promises;
  private long oldestNanos;
  private int inFlight;
  private long timerId = -1;

  public MicroBatcher(int maxBatchSize, long maxDelayMicros, int maxInFlight, Dispatcher<I, O> dispatcher,
                      Timer timer, Listener listener) {
    if (maxBatchSize < 1 || maxInFlight < 1 || maxDelayMicros < 0) {
      throw new IllegalArgumentException("maxBatchSize and maxInFlight must be >= 1, maxDelayMicros >= 0");
    }
    this.maxBatchSize = maxBatchSize;
    this.maxDelayMicros = maxDelayMicros;
    this.maxInFlight = maxInFlight;
    this.dispatcher = dispatcher;
    this.timer = timer;
    this.listener = listener;
    newQueue();
  }

  /** Queues one item; the future completes with its result. */
  public Future<O> offer(I item) {
    Promise<O> promise = Promise.promise();
    if (items.isEmpty()) {
      oldestNanos = System.nanoTime();
    }
    items.add(item);
    promises.add(promise);
    if (items.size() >= maxBatchSize || inFlight < maxInFlight) {
      flush();
    } else if (timerId < 0 && maxDelayMicros > 0) {
      timerId = timer.schedule(maxDelayMicros, this::onTimer);
    }
    return promise.future();
  }

  /** Items waiting to be dispatched. */
  public int queued() {
    return items.size();
  }

  /** Batches dispatched and not yet completed. */
  public int inFlight() {
    return inFlight;
  }

  private void onTimer() {
    timerId = -1;
    if (!items.isEmpty()) {
      flush();
    }
  }

  private void flush() {
    if (timerId >= 0) {
      timer.cancel(timerId);
      timerId = -1;
    }
    List<I> batch = items;
    List<Promise<O>> waiting = promises;
    long waited = System.nanoTime() - oldestNanos;
    newQueue();
    inFlight++;
    Future<List<O>> result;
    try {
      listener.dispatched(batch.size(), waited);
      result = dispatcher.dispatch(batch);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      inFlight--;
      try {
        complete(waiting, ar);
      } finally {
        if (!items.isEmpty() && inFlight < maxInFlight) {
          flush();
        }
      }
    });
  }

  private void complete(List<Promise<O>> waiting, AsyncResult<List<O>> ar) {
    List<O> results = ar.succeeded() ? ar.result() : null;
    boolean whole = results != null && results.size() == waiting.size();
    Throwable cause = whole ? null : ar.failed() ? ar.cause()
        : new IllegalStateException("batch of " + waiting.size() + " answered "
            + (results == null ? "nothing" : results.size()));
    for (int i = 0; i < waiting.size(); i++) {
      // A promise with no context runs its handlers inside complete(): one that throws must not cost the rest of
      // the batch their answers.
      try {
        if (whole) {
          waiting.get(i).complete(results.get(i));
        } else {
          waiting.get(i).fail(cause);
        }
      } catch (RuntimeException e) {
        LOG.atWarn().setCause(e).addKeyValue("batch_size", waiting.size())
            .log("A caller's completion handler threw; the other items of its batch are completed regardless");
      }
    }
  }

  private void newQueue() {
    items = new ArrayList<>(Math.min(maxBatchSize, 16));
    promises = new ArrayList<>(Math.min(maxBatchSize, 16));
  }
}
