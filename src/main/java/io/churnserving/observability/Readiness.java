package io.churnserving.observability;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether the server should receive traffic: true once the models are loaded and warmed and the scoring workers are
 * deployed, and while every required model has a ready version; false again once shutdown begins. Read by the
 * readiness endpoint from any event loop.
 */
public final class Readiness {
  private final AtomicBoolean ready = new AtomicBoolean();
  private volatile BooleanSupplier models = () -> true;

  public boolean isReady() {
    return ready.get() && models.getAsBoolean();
  }

  public void markReady() {
    ready.set(true);
  }

  public void markNotReady() {
    ready.set(false);
  }

  private volatile Supplier<List<String>> missing = List::of;

  /** Names the required models that keep the server from being ready (for {@code /health}); see {@link #missingModels}. */
  public void nameMissing(Supplier<List<String>> missingModels) {
    this.missing = missingModels;
  }

  /** The required models with no ready version, or on an HTTP node no live scoring node; empty when none. */
  public List<String> missingModels() {
    return missing.get();
  }

  /** Makes readiness also depend on the models: false while a required model has no ready version. */
  public void requireModels(BooleanSupplier everyRequiredModelReady) {
    this.models = everyRequiredModelReady;
  }
}
