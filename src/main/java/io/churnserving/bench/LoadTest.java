package io.churnserving.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/** Entry point of the harness: {@code java -jar churn-serving.jar bench --help}. */
public final class LoadTest {
  private LoadTest() {
  }

  /** Runs a load test; returns the process exit code (0 ran, 1 the run failed, 2 bad arguments). */
  public static int run(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(BenchOptions.USAGE);
      return 0;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(BenchOptions.USAGE);
      return 2;
    }
    // One event loop: client and server share this machine's cores, so the client should take as little as it can.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      Report report = execute(vertx, options);
      System.out.print(report.summary());
      if (options.out() != null) {
        report.write(options.out());
        System.out.println("wrote " + options.out() + ".json and " + options.out() + ".html");
      }
      return 0;
    } catch (Exception e) {
      System.err.println("load test failed: " + e);
      return 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null)
          .join();
    }
  }

  /** Warm-up, then the measured run; blocks the calling (non-Vert.x) thread until both end. */
  static Report execute(Vertx vertx, BenchOptions options) throws Exception {
    RequestBodies bodies = new RequestBodies(options.seed(), options.batchSize(),
        options.batchSize() > 0 ? 512 : RequestBodies.POOL);
    Recorder recorder = new Recorder();
    long start = System.nanoTime();
    long measureFrom = start + options.warmup().toNanos();
    long end = measureFrom + options.duration().toNanos();
    if (options.warmup().isZero()) {
      recorder.startMeasuring();
    } else {
      vertx.setTimer(options.warmup().toMillis(), id -> recorder.startMeasuring());
    }
    // The window is exactly the duration: answers to requests still in flight when it closes are not counted.
    vertx.setTimer(Math.max(1, (end - start) / 1_000_000), id -> recorder.stopMeasuring());
    Driver driver = new HttpDriver(vertx, options, bodies);
    var context = vertx.getOrCreateContext();
    java.util.concurrent.CompletableFuture<Void> finished = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> driver.run(end, recorder).onComplete(ar -> finished.complete(null)));
    finished.get(options.warmup().toSeconds() + options.duration().toSeconds() + 120, TimeUnit.SECONDS);
    recorder.stopMeasuring();
    return new Report(options, recorder, options.duration().toNanos() / 1e9);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
