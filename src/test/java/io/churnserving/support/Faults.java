package io.churnserving.support;

import io.churnserving.scoring.ModelCall;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A fault injector around each worker's real model call: by default it passes every call through; a test can make
 * calls throw, or hold them at a gate (a stall) until released. It also counts the rows that reached the model and
 * remembers the workers' deployment IDs, so a test can make a worker go away.
 */
public final class Faults implements UnaryOperator<ModelCall> {
  private volatile boolean throwing;
  private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();
  private final AtomicInteger rowsScored = new AtomicInteger();
  private final AtomicInteger callsWaiting = new AtomicInteger();
  private final Set<String> workerDeployments = ConcurrentHashMap.newKeySet();

  @Override
  public ModelCall apply(ModelCall real) {
    // Called in each worker's start(), on the worker's own context.
    workerDeployments.add(Vertx.currentContext().deploymentID());
    return (features, rows) -> {
      CountDownLatch held = gate.get();
      if (held != null) {
        callsWaiting.incrementAndGet();
        held.await(60, TimeUnit.SECONDS);
        callsWaiting.decrementAndGet();
      }
      if (throwing) {
        throw new IllegalStateException("injected model failure");
      }
      rowsScored.addAndGet(rows);
      return real.score(features, rows);
    };
  }

  /** Every model call throws until {@code healthy()}. */
  public void failing() {
    throwing = true;
  }

  public void healthy() {
    throwing = false;
  }

  /** Model calls stall from now until {@link #release()}. */
  public void stall() {
    gate.set(new CountDownLatch(1));
  }

  public void release() {
    CountDownLatch held = gate.getAndSet(null);
    if (held != null) {
      held.countDown();
    }
  }

  /** Model calls currently held at the gate. */
  public int callsWaiting() {
    return callsWaiting.get();
  }

  /** Rows the real model scored. */
  public int rowsScored() {
    return rowsScored.get();
  }

  public Set<String> workerDeployments() {
    return Set.copyOf(workerDeployments);
  }

  /** Polls until the condition holds; fails after 30 s. Not a timing assertion: it only bounds a wait. */
  public static void eventually(java.util.function.BooleanSupplier condition) {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - giveUp > 0) {
        throw new AssertionError("condition not met within 30 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
