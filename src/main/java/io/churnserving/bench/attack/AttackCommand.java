package io.churnserving.bench.attack;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The attack clients' command line: {@code java -jar churn-serving.jar bench --attack NAME [options]}. It runs one
 * hostile client of issue 12 against a server on this machine for {@code --duration}, or until SIGTERM or SIGINT,
 * then prints what it did on stdout and, with {@code --out PATH}, writes {@code PATH.json}. {@code --attack list}
 * describes every attack; {@code --help} lists the options.
 *
 * <p>The client runs on one event loop, so it takes at most one core from the server it shares the machine with.
 */
public final class AttackCommand {
  /** The attack ran and opened at least one connection. */
  public static final int OK = 0;
  /** The attack could not run, or never got a connection. */
  public static final int FAILED = 1;
  /** The options were wrong. */
  public static final int USAGE = 2;

  /**
   * How long the attack's connections get to close at the end. Vert.x closes a socket after flushing what it holds,
   * which a server that stopped reading never takes; past this the report is printed regardless, and the process's
   * exit closes what is left.
   */
  private static final long CLOSE_TIMEOUT_SECONDS = 3;

  private AttackCommand() {
  }

  /** True when these arguments (those after {@code bench}) ask for an attack rather than a load test. */
  public static boolean wanted(String[] args) {
    return AttackOptions.wanted(args);
  }

  /**
   * Runs the attack these arguments (those after {@code bench}) describe and returns the exit status. Blocks until
   * the attack is over; ends early on SIGTERM or SIGINT. Never call it on a Vert.x thread. It does not exit the JVM.
   */
  public static int run(String[] args) {
    CountDownLatch stop = new CountDownLatch(1);
    // A soak stops the attacker with SIGTERM: it should then still report what it did, and exit 0.
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    // The server closing the attack's connections is the point: Vert.x's WARN for each one would bury the report.
    for (String library : new String[] {"io.vertx", "io.netty"}) {
      if (LoggerFactory.getLogger(library) instanceof Logger logger) {
        logger.setLevel(Level.ERROR);
      }
    }
    return run(args, System.getenv(), System.out, System.err, stop);
  }

  /** @param stop counted down to end the attack before its duration */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, CountDownLatch stop) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.print(AttackOptions.USAGE);
      return OK;
    }
    for (int i = 0; i + 1 < args.length; i++) {
      if ((args[i].equals("--attack") && args[i + 1].equals("list")) || args[i].equals("--attack=list")) {
        out.print(AttackOptions.list());
        return OK;
      }
    }
    AttackOptions options;
    RequestValidator schema;
    try {
      options = AttackOptions.parse(args, env);
      // Read before Vert.x starts: a missing schema is a bad option, and no file is read on an event loop.
      schema = AttackRun.schemaFor(options);
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      err.println("bench: --attack list names the attacks, --help lists the options");
      return USAGE;
    }
    AttackCounts counts = new AttackCounts();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    AttackRun run = new AttackRun(vertx, options, counts, schema);
    long started = System.nanoTime();
    double seconds;
    try {
      Attack attack = options.kind().create(run);
      vertx.runOnContext(v -> attack.start());
      long progressMs = options.progress().toMillis();
      if (progressMs > 0) {
        vertx.setPeriodic(progressMs, id -> err.println(AttackReport.progress(options, counts, seconds(started))));
      }
      stop.await(options.duration().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      err.println("bench: the attack failed: " + e);
      return FAILED;
    } finally {
      seconds = seconds(started);
      run.close().eventually(vertx::close).toCompletionStage().toCompletableFuture()
          .orTimeout(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
    out.print(AttackReport.text(options, counts, seconds));
    if (options.out() != null) {
      try {
        Path json = options.out().resolveSibling(options.out().getFileName() + ".json");
        if (json.toAbsolutePath().getParent() != null) {
          Files.createDirectories(json.toAbsolutePath().getParent());
        }
        Files.writeString(json, AttackReport.json(options, counts, seconds).encodePrettily() + "\n",
            StandardCharsets.UTF_8);
        out.println("report      " + json);
      } catch (IOException e) {
        err.println("bench: cannot write the report: " + e);
        return FAILED;
      }
    }
    if (counts.get(AttackCounts.CONNECTIONS) == 0) {
      err.println("bench: the attack never got a connection; is the server up at " + options.target() + "?");
      return FAILED;
    }
    return OK;
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
