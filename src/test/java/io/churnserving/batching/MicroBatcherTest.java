package io.churnserving.batching;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

  /** Records dispatched batches and lets the test complete them; a manual timer the test fires. */
  private static final class Harness implements MicroBatcher.Dispatcher<Integer, String>, MicroBatcher.Timer {
    final List<List<Integer>> batches = new ArrayList<>();
    final List<Promise<List<String>>> pending = new ArrayList<>();
    final TreeMap<Long, Runnable> timers = new TreeMap<>();
    long nextTimer;

    @Override
    public Future<List<String>> dispatch(List<Integer> batch) {
      batches.add(batch);
      Promise<List<String>> p = Promise.promise();
      pending.add(p);
      return p.future();
    }

    @Override
    public long schedule(long delayMicros, Runnable task) {
      timers.put(nextTimer, task);
      return nextTimer++;
    }

    @Override
    public void cancel(long id) {
      timers.remove(id);
    }

    void answer(int batch) {
      pending.get(batch).complete(batches.get(batch).stream().map(i -> "r" + i).toList());
    }

    void fireTimers() {
      List<Runnable> due = new ArrayList<>(timers.values());
      timers.clear();
      due.forEach(Runnable::run);
    }
  }

  private static MicroBatcher<Integer, String> batcher(Harness h, int maxSize, long delayMicros, int inFlight) {
    return new MicroBatcher<>(maxSize, delayMicros, inFlight, h, h, (size, waited) -> { });
  }

  @Test
  void anItemAtAnIdleBatcherIsDispatchedAtOnceAlone() {
    Harness h = new Harness();
    Future<String> result = batcher(h, 128, 1000, 1).offer(7);
    assertThat(h.batches).containsExactly(List.of(7));
    h.answer(0);
    assertThat(result.result()).isEqualTo("r7");
  }

  @Test
  void itemsArrivingWhileBusyGoOutTogetherWhenTheBatchInFlightCompletes() {
    Harness h = new Harness();
    var b = batcher(h, 128, 1000, 1);
    b.offer(1);
    List<Future<String>> queued = List.of(b.offer(2), b.offer(3), b.offer(4));
    assertThat(h.batches).hasSize(1);
    assertThat(b.queued()).isEqualTo(3);
    h.answer(0);
    assertThat(h.batches).containsExactly(List.of(1), List.of(2, 3, 4));
    h.answer(1);
    assertThat(queued).extracting(Future::result).containsExactly("r2", "r3", "r4");
  }

  @Test
  void aFullBatchIsDispatchedWithoutWaiting() {
    Harness h = new Harness();
    var b = batcher(h, 3, 1000, 1);
    b.offer(0);
    b.offer(1);
    b.offer(2);
    b.offer(3);
    assertThat(h.batches).containsExactly(List.of(0), List.of(1, 2, 3));
    assertThat(b.inFlight()).isEqualTo(2);
  }

  @Test
  void theDelayTimerSendsAWaitingBatchEvenWhileAllSlotsAreBusy() {
    Harness h = new Harness();
    var b = batcher(h, 128, 500, 1);
    b.offer(1);
    b.offer(2);
    assertThat(h.timers).hasSize(1);
    h.fireTimers();
    assertThat(h.batches).containsExactly(List.of(1), List.of(2));
  }

  @Test
  void withZeroDelayNoTimerIsSetAndQueuedItemsWaitForAFreeSlot() {
    Harness h = new Harness();
    var b = batcher(h, 128, 0, 1);
    b.offer(1);
    b.offer(2);
    assertThat(h.timers).isEmpty();
    h.answer(0);
    assertThat(h.batches).containsExactly(List.of(1), List.of(2));
  }

  @Test
  void aFailedBatchFailsEveryItemInItAndOnlyThose() {
    Harness h = new Harness();
    var b = batcher(h, 128, 0, 1);
    Future<String> first = b.offer(1);
    Future<String> second = b.offer(2);
    Future<String> third = b.offer(3);
    h.pending.get(0).fail(new IllegalStateException("boom"));
    h.answer(1);
    assertThat(first.cause()).hasMessage("boom");
    assertThat(second.result()).isEqualTo("r2");
    assertThat(third.result()).isEqualTo("r3");
  }

  @Test
  void aDispatcherThatThrowsFailsTheBatchRatherThanTheCaller() {
    var b = new MicroBatcher<Integer, String>(8, 0, 1, batch -> {
      throw new IllegalStateException("no worker");
    }, null, (s, w) -> { });
    assertThat(b.offer(1).cause()).hasMessage("no worker");
    assertThat(b.inFlight()).isZero();
  }

  @Test
  void aShortAnswerFailsTheBatchInsteadOfMisassigningResults() {
    var b = new MicroBatcher<Integer, String>(8, 0, 1, batch -> Future.succeededFuture(List.of()), null,
        (s, w) -> { });
    assertThat(b.offer(1).failed()).isTrue();
  }

  @Test
  void aCallerWhoseHandlerThrowsCostsNoOtherCallerItsAnswer() {
    Harness h = new Harness();
    var b = batcher(h, 128, 0, 1);
    b.offer(0);
    Future<String> before = b.offer(1);
    b.offer(2).onComplete(ar -> {
      throw new IllegalStateException("WebSocket is closed");
    });
    Future<String> after = b.offer(3);
    h.answer(0);
    h.answer(1);
    assertThat(before.result()).isEqualTo("r1");
    assertThat(after.result()).isEqualTo("r3");
  }

  @Test
  void aCallerWhoseHandlerThrowsOnAFailedBatchCostsNoOtherCallerItsFailure() {
    Harness h = new Harness();
    var b = batcher(h, 128, 0, 1);
    b.offer(0);
    b.offer(1).onComplete(ar -> {
      throw new IllegalStateException("WebSocket is closed");
    });
    Future<String> after = b.offer(2);
    h.answer(0);
    h.pending.get(1).fail(new IllegalStateException("boom"));
    assertThat(after.cause()).hasMessage("boom");
  }

  @Test
  void theNextBatchStillGoesOutWhenAHandlerOfTheLastOneThrows() {
    Harness h = new Harness();
    var b = batcher(h, 128, 0, 1);
    b.offer(0).onComplete(ar -> {
      throw new IllegalStateException("WebSocket is closed");
    });
    Future<String> queued = b.offer(1);
    h.answer(0);
    assertThat(h.batches).containsExactly(List.of(0), List.of(1));
    assertThat(b.inFlight()).isEqualTo(1);
    h.answer(1);
    assertThat(queued.result()).isEqualTo("r1");
    assertThat(b.inFlight()).isZero();
  }
}
