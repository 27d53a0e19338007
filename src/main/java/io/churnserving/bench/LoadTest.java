package io.churnserving.bench;

import io.churnserving.validation.RequestValidator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The load-test harness's command line: {@code java -jar churn-serving.jar bench [options]}, or this class's
 * {@code main}. It parses the options, runs the load, prints the summary on stdout and, with {@code --out PREFIX},
 * writes {@code PREFIX.json} and {@code PREFIX.html}. {@code --help} lists the options.
 *
 * <p>Only the final report goes to stdout, so it can be piped or kept; problems go to stderr.
 */
public final class LoadTest {
  /** The run completed and at least one request got a 2xx answer. */
  public static final int OK = 0;
  /**
   * The run could not be carried out, or no request got a 2xx answer: every answer was an error (a wrong key gives
   * all 401) or none came (the target is down). The reports are still written, errors first.
   */
  public static final int FAILED = 1;
  /** The options were wrong; the usage text went to stderr. */
  public static final int USAGE = 2;

  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  private LoadTest() {
  }

  /**
   * Runs a load test with these arguments (those after {@code bench}) and returns the process exit status. Blocks
   * until the run is over; never call it on a Vert.x thread. It does not exit the JVM.
   */
  public static int run(String[] args) {
    return run(args, System.getenv(), System.out, System.err);
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (BenchOptions.wantsHelp(args)) {
      out.print(BenchOptions.USAGE);
      return OK;
    }
    BenchOptions options;
    RequestValidator schema;
    try {
      options = BenchOptions.parse(args, env);
      // Read here, before Vert.x starts: a missing schema is a bad option, and no file is read on an event loop.
      schema = SchemaFile.read(options.schema());
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      err.println("bench: --help lists the options");
      return USAGE;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.threads()));
    try {
      Result result = new LoadRun(vertx, options, schema).execute();
      out.print(TextReport.render(result));
      if (options.out() != null) {
        writeReports(result, options.out());
        out.println("reports             " + options.out() + ".json, " + options.out() + ".html");
      }
      if (result.answered() == 0) {
        err.println("bench: no request was answered; is the target up at " + options.displayUrl() + "?");
        return FAILED;
      }
      if (result.nothingSucceeded()) {
        String hint = result.errorHint();
        err.println("bench: no request succeeded: every answer was an error" + (hint.isEmpty() ? "" : "; " + hint));
        return FAILED;
      }
      return OK;
    } catch (Exception e) {
      err.println("bench: the run failed: " + e);
      return FAILED;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .exceptionally(e -> null).join();
    }
  }

  /** Writes {@code prefix.json} and {@code prefix.html}, making the folder if needed. */
  static void writeReports(Result result, Path prefix) throws IOException {
    Path json = prefix.resolveSibling(prefix.getFileName() + ".json");
    Path html = prefix.resolveSibling(prefix.getFileName() + ".html");
    if (json.toAbsolutePath().getParent() != null) {
      Files.createDirectories(json.toAbsolutePath().getParent());
    }
    Files.writeString(json, JsonReport.render(result).encodePrettily() + "\n", StandardCharsets.UTF_8);
    Files.writeString(html, HtmlReport.render(result), StandardCharsets.UTF_8);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
