package io.churnserving.scoring;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.churnserving.metrics.ServingMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker around model execution, shared by every transport's scorer. A batch counts as a failure when
 * its event-bus request fails (timeout, no worker) or when the model failed for every row of it; after
 * {@code maxFailures} in a row the circuit opens, and batches fail at once with {@link ScoringException.CircuitOpen}
 * until, after {@code resetMs}, one probe batch is let through (half-open); its success closes the circuit.
 */
public final class ModelCircuit {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCircuit.class);

  /** Carries a batch whose every row failed through the breaker as a failure, then back out as its result. */
  private static final class AllRowsFailed extends RuntimeException {
    final ScoreResult result;

    AllRowsFailed(ScoreResult result) {
      super("the model failed for every row of the batch", null, false, false);
      this.result = result;
    }
  }

  private final CircuitBreaker breaker;
  private final long resetMs;

  public ModelCircuit(Vertx vertx, int maxFailures, long resetMs, ServingMetrics metrics) {
    this.resetMs = resetMs;
    // The breaker's own timeout is off: the event-bus request already times out at the deadline, and that
    // failure is counted. No notification address: nothing to publish on the bus every two seconds.
    this.breaker = CircuitBreaker.create("model", vertx, new CircuitBreakerOptions().setMaxFailures(maxFailures)
            .setTimeout(-1).setResetTimeout(resetMs).setNotificationAddress(null))
        .openHandler(v -> LOG.atWarn().addKeyValue("circuit", "open").addKeyValue("reset_ms", resetMs)
            .log("Circuit breaker opened: model calls are failing; answering 503 until a probe succeeds"))
        .halfOpenHandler(v -> LOG.atInfo().addKeyValue("circuit", "half_open")
            .log("Circuit breaker half-open: letting one probe batch through"))
        .closeHandler(v -> LOG.atInfo().addKeyValue("circuit", "closed").log("Circuit breaker closed"));
    metrics.gauge("circuit_breaker_state", "Model circuit breaker: 0 closed, 1 half-open, 2 open",
        () -> switch (breaker.state()) {
          case CLOSED -> 0;
          case HALF_OPEN -> 1;
          case OPEN -> 2;
        });
  }

  /** Runs one batch through the breaker. */
  Future<ScoreResult> call(Supplier<Future<ScoreResult>> batch) {
    return breaker.<ScoreResult>execute(() -> batch.get().compose(result -> result.modelFailed()
            ? Future.failedFuture(new AllRowsFailed(result)) : Future.succeededFuture(result)))
        .recover(e -> {
          if (e instanceof AllRowsFailed failed) {
            return Future.succeededFuture(failed.result);
          }
          if (e instanceof OpenCircuitException) {
            return Future.failedFuture(new ScoringException.CircuitOpen(
                "the model is failing; calls are refused for up to " + retryAfterSeconds() + " s", retryAfterSeconds()));
          }
          return Future.failedFuture(e);
        });
  }

  /** {@code closed}, {@code open} or {@code half_open}. */
  public String state() {
    return breaker.state().name().toLowerCase(Locale.ROOT);
  }

  public boolean isClosed() {
    return breaker.state() == CircuitBreakerState.CLOSED;
  }

  /** Whole seconds a client should wait before retrying while the circuit is open. */
  public long retryAfterSeconds() {
    return Math.max(1, (resetMs + 999) / 1000);
  }

  /** Releases the breaker's timers; for a version that is unloaded. */
  public void close() {
    breaker.close();
  }
}
