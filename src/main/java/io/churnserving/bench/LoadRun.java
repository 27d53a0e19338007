package io.churnserving.bench;

import io.churnserving.validation.RequestValidator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One run: the bodies are made, each event loop gets a driver with its share of the connections and of the rate,
 * every driver opens its connections, and only then does the clock start, so connecting is never measured. Each
 * loop records on its own; the recorders are added up at the end.
 */
final class LoadRun {
  /** Beyond warm-up, duration and one timeout, how long a run may take to end before it is called stuck. */
  private static final long GRACE_SECONDS = 30;

  private final Vertx vertx;
  private final BenchOptions options;
  private final RequestValidator schema;

  /**
   * @param vertx  with at least {@code options.threads()} event loops
   * @param schema {@code options.schema()}, already read, which the bodies are drawn from
   */
  LoadRun(Vertx vertx, BenchOptions options, RequestValidator schema) {
    this.vertx = vertx;
    this.options = options;
    this.schema = schema;
  }

  /**
   * Runs and waits for the result. Blocks the calling thread, which must therefore not be a Vert.x thread; it is
   * also what puts each loop on its own event loop (a context made from outside Vert.x gets the next loop).
   */
  Result execute() throws Exception {
    // Asked before any load, so the answer is the target's at rest, and a slow one costs nothing measured.
    ServerVersion server = ServerVersion.fetch(vertx, options).toCompletionStage().toCompletableFuture()
        .get(GRACE_SECONDS, TimeUnit.SECONDS);
    RawInput raw = options.body() == BenchOptions.Body.RAW
        ? RawInput.fetch(vertx, options).toCompletionStage().toCompletableFuture().get(options.timeout().toSeconds()
            + GRACE_SECONDS, TimeUnit.SECONDS)
        : null;
    RequestBodies bodies = RequestBodies.forOptions(options, schema, raw);
    int loops = options.threads();
    List<Context> contexts = new ArrayList<>();
    List<Driver> drivers = new ArrayList<>();
    for (int w = 0; w < loops; w++) {
      contexts.add(vertx.getOrCreateContext());
      drivers.add(newDriver(bodies.cursor(w, loops), share(options.connections(), w, loops)));
    }
    List<Future<Void>> opened = new ArrayList<>();
    for (int w = 0; w < loops; w++) {
      opened.add(on(contexts.get(w), drivers.get(w)::open));
    }
    await(Future.join(opened), options.timeout().toSeconds() + GRACE_SECONDS);
    ServerSplit.Scrape before = scrape();

    Instant startedAt = Instant.now();
    Timeline timeline = Timeline.startingNow(options.warmup(), options.duration());
    List<Pacer> pacers = new ArrayList<>();
    List<Recorder> recorders = new ArrayList<>();
    List<Future<Void>> runs = new ArrayList<>();
    for (int w = 0; w < loops; w++) {
      Pacer pacer = options.mode() == BenchOptions.Mode.OPEN
          ? new OpenLoopSchedule(timeline, options.rate(), w, loops) : Pacer.closedLoop(timeline);
      Recorder recorder = new Recorder(timeline);
      Driver driver = drivers.get(w);
      pacers.add(pacer);
      recorders.add(recorder);
      runs.add(on(contexts.get(w), () -> driver.run(timeline, pacer, recorder)));
    }
    await(Future.join(runs), options.warmup().plus(options.duration()).plus(options.timeout()).toSeconds()
        + GRACE_SECONDS);
    ServerSplit.Scrape after = null;
    if (before != null) {
      Thread.sleep(ServerSplit.SETTLE_MS);
      after = scrape();
    }
    return new Result(options, startedAt, timeline, recorders, pacers, server, Machine.current(), before, after);
  }

  /** The target's meters now, or null when {@code --metrics-url none}. */
  private ServerSplit.Scrape scrape() throws Exception {
    if (options.metricsUrl() == null) {
      return null;
    }
    return ServerSplit.scrape(vertx, options).toCompletionStage().toCompletableFuture().get(GRACE_SECONDS,
        TimeUnit.SECONDS);
  }

  /** The transport's driver. */
  private Driver newDriver(RequestBodies.Cursor bodies, int connections) {
    return switch (options.transport()) {
      case HTTP -> new HttpDriver(vertx, options, bodies, connections);
      case WEBSOCKET -> new WebSocketDriver(vertx, options, bodies, connections);
      case GRPC -> new GrpcDriver(vertx, options, bodies, connections);
      case GRPC_STREAM -> new GrpcStreamDriver(vertx, options, bodies, connections);
    };
  }

  /** Loop {@code w}'s share of {@code total}, the remainder going to the first loops. */
  static int share(int total, int w, int loops) {
    return total / loops + (w < total % loops ? 1 : 0);
  }

  private static <T> Future<T> on(Context context, Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  private static void await(Future<?> future, long seconds) throws Exception {
    future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
