package io.churnserving.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Prometheus text of the registry, made on a worker thread and kept for {@code maxAgeMs}: a scrape costs about a
 * millisecond of CPU, and {@code /metrics} takes no key, so made on an event loop for every request a flood of
 * scrapes would starve predictions. Every caller within the age gets the same text; while one is being made, later
 * callers wait for that one rather than start another. One per server, shared by every event loop; thread-safe.
 */
public final class PrometheusScrape {
  /** The Prometheus text exposition format, version 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private record Snapshot(Buffer text, long madeNanos) {
  }

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final long maxAgeNanos;
  private final Counter made;
  private final AtomicReference<Snapshot> last = new AtomicReference<>();
  private final AtomicReference<Future<Buffer>> making = new AtomicReference<>();

  /** @param maxAgeMs how long one scrape is served again; 0 makes one per request, still off the event loops */
  public PrometheusScrape(Vertx vertx, PrometheusMeterRegistry registry, long maxAgeMs) {
    this.vertx = vertx;
    this.registry = registry;
    this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(maxAgeMs);
    this.made = Counter.builder("metrics_scrapes").description("Prometheus texts made from the registry "
        + "(at most one per METRICS_CACHE_MS, however often /metrics is asked)").register(registry);
  }

  /** The text, at most {@code maxAgeMs} old. The future may complete on another context than the caller's. */
  public Future<Buffer> text() {
    Snapshot snapshot = last.get();
    if (snapshot != null && System.nanoTime() - snapshot.madeNanos() < maxAgeNanos) {
      return Future.succeededFuture(snapshot.text());
    }
    Promise<Buffer> mine = Promise.promise();
    Future<Buffer> current = making.compareAndExchange(null, mine.future());
    if (current != null) {
      return current;
    }
    vertx.executeBlocking(() -> {
      long started = System.nanoTime();
      Buffer text = Buffer.buffer(registry.scrape());
      made.increment();
      last.set(new Snapshot(text, started));
      return text;
    }, false).onComplete(ar -> {
      making.set(null);
      mine.handle(ar);
    });
    return mine.future();
  }
}
