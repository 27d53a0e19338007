package io.churnserving.app;

import io.churnserving.bench.LoadTest;
import io.churnserving.bench.attack.AttackCommand;
import io.churnserving.config.ConfigException;
import io.churnserving.config.ConfigLoader;
import io.churnserving.scoring.ModelCall;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Process entry point. {@code java -jar churn-serving.jar} serves; {@code java -jar churn-serving.jar bench ...} runs
 * the load-test harness instead, and {@code bench --attack NAME ...} one of its hostile clients; {@code --help} and
 * {@code --version} print and exit 0; any other argument exits 2 with the usage on stderr.
 */
public final class Main {
  /** Beyond the drain itself: the time {@code vertx.close()} gets to undeploy the workers and close the model. */
  private static final long CLOSE_TIMEOUT_SECONDS = 30;

  private Main() {
  }

  /** Exit status of a command line this program does not take (as getopt-style tools use it). */
  static final int USAGE_ERROR = 2;

  static final String USAGE = """
      usage: java [JVM options] -jar churn-serving.jar              serve the configured model
             java -jar churn-serving.jar --version                  print this build's version and the model it serves
             java -jar churn-serving.jar --help                     print this text
             java -jar churn-serving.jar bench [options]            run the load-test harness (bench --help)

      Serves churn predictions over HTTP and WebSocket (POST /predict, POST /v1/models/churn:predict,
      GET /v1/models/churn/stream; GET /docs for the rest) on HTTP_HOST:HTTP_PORT, 127.0.0.1:8080 by default,
      until SIGTERM or SIGINT, which drain it first. It takes no other argument: settings come from environment
      variables (HTTP_PORT, MODELS_DIR, API_KEYS...) or from the config file conf/config.json (CONFIG_PATH names
      another), resolved against the working directory. Every setting is in README.md, section Configuration.
      Recommended JVM options: -Xmx256m -XX:+ExitOnOutOfMemoryError.
      """;

  public static void main(String[] args) {
    if (args.length == 0) {
      serve(System.getenv(), UnaryOperator.identity());
      return;
    }
    switch (args[0]) {
      case "bench" -> {
        String[] options = Arrays.copyOfRange(args, 1, args.length);
        System.exit(AttackCommand.wanted(options) ? AttackCommand.run(options) : LoadTest.run(options));
      }
      case "--help", "-h" -> {
        if (args.length > 1) {
          System.exit(usageError(args[1]));
        }
        System.out.print(USAGE);
        System.exit(0);
      }
      case "--version", "-V" -> System.exit(args.length == 1 ? VersionCommand.print(System.getenv(), System.out,
          System.err) : usageError(args[1]));
      default -> System.exit(usageError(args[0]));
    }
  }

  /** Anything else used to start a server on 8080, a typo included: refuse it, and say what is taken. */
  private static int usageError(String argument) {
    System.err.println("churn-serving: unknown argument '" + argument + "'");
    System.err.print(USAGE);
    return USAGE_ERROR;
  }

  /**
   * Starts the server and returns; it stops on SIGTERM or SIGINT. Exits the process with 1 if it cannot start.
   *
   * @param faults wraps each worker's model call: identity here; a test's process injects a fault with it
   */
  static void serve(Map<String, String> env, UnaryOperator<ModelCall> faults) {
    OutOfMemoryExit.install();
    // DJL looks for EC2 metadata and posts telemetry when it picks an engine unless told not to; this server
    // never touches the network. Both must be set before any DJL class loads.
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");

    VertxRuntime runtime;
    try {
      runtime = VertxRuntime.build(env, new VertxOptions());
    } catch (ConfigException e) {
      System.err.println("Cannot start: " + describe(e));
      System.exit(1);
      return;
    }
    Vertx vertx = runtime.vertx();
    OutOfMemoryExit.install(vertx);
    MainVerticle root = new MainVerticle(env, faults, runtime.registry(), runtime.spans(), runtime.cluster());
    try {
      vertx.deployVerticle(root).toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException | ExecutionException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      System.err.println("Cannot start: " + describe(cause));
      close(vertx);
      System.exit(1);
    }
    OutOfMemoryExit.warnIfTheJvmWouldNotExit();
    long drainSeconds = drainSeconds(env);
    // SIGTERM (a deploy, docker stop, Kubernetes) and SIGINT drain, then exit 0: a requested stop that finished
    // its work is a success. The JVM's own handling would skip the drain's ordering and exit 143. A second signal
    // while stopping changes nothing: the stop already under way finishes.
    AtomicBoolean stopping = new AtomicBoolean();
    SignalHandler stop = signal -> {
      if (!stopping.compareAndSet(false, true)) {
        return;
      }
      new Thread(() -> {
        drain(root, drainSeconds);
        close(vertx);
        System.exit(0);
      }, "churn-shutdown").start();
    };
    Signal.handle(new Signal("TERM"), stop);
    Signal.handle(new Signal("INT"), stop);
  }

  /** The longest a drain can take: the grace, then the drain time, then some spare. */
  private static long drainSeconds(Map<String, String> env) {
    try {
      var http = ConfigLoader.load(env).http();
      return (http.shutdownGraceMs() + http.drainTimeoutMs()) / 1000 + CLOSE_TIMEOUT_SECONDS;
    } catch (ConfigException e) {
      return CLOSE_TIMEOUT_SECONDS; // unreachable: the start would have failed on it
    }
  }

  private static void drain(MainVerticle root, long seconds) {
    try {
      root.drain().toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
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
