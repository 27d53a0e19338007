package io.churnserving.app;

import io.churnserving.bench.LoadTest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.function.UnaryOperator;
import sun.misc.Signal;
import sun.misc.SignalHandler;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Process entry point. {@code java -jar churn-serving.jar} serves; {@code java -jar churn-serving.jar bench ...} runs
 * the load-test harness instead.
 */
public final class Main {
  private static final long CLOSE_TIMEOUT_SECONDS = 30;

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("bench")) {
      System.exit(LoadTest.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    // DJL looks for EC2 metadata and posts telemetry when it picks an engine unless told not to; this server
    // never touches the network. Both must be set before any DJL class loads.
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");

    VertxRuntime runtime = VertxRuntime.build(System.getenv(), new VertxOptions());
    Vertx vertx = runtime.vertx();
    MainVerticle root = new MainVerticle(System.getenv(), UnaryOperator.identity(), runtime.registry(),
        runtime.spans());
    try {
      vertx.deployVerticle(root).toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException | ExecutionException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      System.err.println("Cannot start: " + describe(cause));
      close(vertx);
      System.exit(1);
    }
    // SIGTERM (a deploy, docker stop, Kubernetes) and SIGINT drain, then exit 0: a requested stop that finished
    // its work is a success. The JVM's own handling would skip the drain's ordering and exit 143.
    SignalHandler stop = signal -> new Thread(() -> {
      drain(root);
      close(vertx);
      System.exit(0);
    }, "churn-shutdown").start();
    Signal.handle(new Signal("TERM"), stop);
    Signal.handle(new Signal("INT"), stop);
  }

  private static void drain(MainVerticle root) {
    try {
      root.drain().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("Drain did not complete: " + describe(e));
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getName() : message.lines().findFirst().orElse("");
  }

  private static void close(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("Shutdown did not complete: " + describe(e));
    }
  }
}
