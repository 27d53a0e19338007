package io.churnserving.observability;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the server should receive traffic: true once the model is loaded and warmed and the scoring workers are
 * deployed; false again once shutdown begins. Read by the readiness endpoint from any event loop.
 */
public final class Readiness {
  private final AtomicBoolean ready = new AtomicBoolean();

  public boolean isReady() {
    return ready.get();
  }

  public void markReady() {
    ready.set(true);
  }

  public void markNotReady() {
    ready.set(false);
  }
}
