package io.churnserving.support;

import io.churnserving.app.Main;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real server as its own process, for what only a process shows: its heap under attack, whether it survives,
 * its exit status. Started from the repo's config on a free port, with the JVM options given; the test is the
 * client, in another JVM, so the server's figures are its own.
 */
public final class ServerProcess implements AutoCloseable {
  private final JavaProcess.Running running;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ServerProcess(JavaProcess.Running running, int port) {
    this.running = running;
    this.port = port;
  }

  /** Starts {@link Main} with the repo's config, any free port, these overrides, and these JVM options. */
  public static ServerProcess start(Map<String, String> overrides, String... jvmArgs) throws Exception {
    return start(Main.class.getName(), overrides, jvmArgs);
  }

  /** Starts {@code mainClass}, which serves as {@link Main} does, and waits until it is ready. */
  public static ServerProcess start(String mainClass, Map<String, String> overrides, String... jvmArgs)
      throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("CONFIG_PATH", "conf/config.json", "HTTP_PORT", "0",
        "ACCESS_LOG_PERCENT", "0"));
    env.putAll(overrides);
    JavaProcess.Running running = JavaProcess.start(mainClass, env, jvmArgs);
    try {
      Faults.eventually(() -> stdout(running).contains("Server ready") || !running.process().isAlive());
      int port = stdout(running).lines().filter(l -> l.contains("Server ready")).map(JsonObject::new)
          .findFirst().orElseThrow(() -> new AssertionError("the server did not start: " + stderr(running)))
          .getInteger("port");
      return new ServerProcess(running, port);
    } catch (RuntimeException | AssertionError e) {
      running.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  public Process process() {
    return running.process();
  }

  public String stdout() {
    return stdout(running);
  }

  public String stderr() {
    return stderr(running);
  }

  /** A GET on a new connection: its status, or -1 if the server did not answer within 5 s. */
  public int status(String path) {
    return get(path).statusCode();
  }

  /** A GET on a new connection; the status is -1 if the server did not answer within 5 s. */
  public Answer get(String path) {
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(answer.statusCode(), answer.body());
    } catch (IOException e) {
      return new Answer(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code POST /predict} of the example customer with the development key: its status, or -1 if none in 10 s. */
  public int predict() {
    try {
      return http.send(HttpRequest.newBuilder(uri("/predict")).timeout(Duration.ofSeconds(10))
          .header("X-API-Key", TestServer.KEY).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(TestServer.EXAMPLE)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      System.err.println("predict failed: " + e);
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** One sample of a metric from {@code /metrics}, summed over its label sets; NaN if it is not there. */
  public double metric(String name) {
    Answer scrape = get("/metrics");
    if (scrape.status() != 200) {
      return Double.NaN;
    }
    return sum(scrape.body(), name);
  }

  /** The sum of every sample of {@code name} in a Prometheus text. */
  public static double sum(String text, String name) {
    List<Double> values = text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).toList();
    return values.isEmpty() ? Double.NaN : values.stream().mapToDouble(Double::doubleValue).sum();
  }

  /** The process's resident set, in bytes, from {@code /proc}. */
  public long rssBytes() throws IOException {
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(
        running.process().pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new AssertionError("no VmRSS");
  }

  /** Sends SIGTERM and waits for the exit status. */
  public int terminate() throws InterruptedException {
    running.process().destroy();
    if (!running.process().waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the server did not exit within 60 s of SIGTERM");
    }
    return running.process().exitValue();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String stdout(JavaProcess.Running running) {
    try {
      return running.stdoutText();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String stderr(JavaProcess.Running running) {
    try {
      return running.stderrText();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A status and body. */
  public record Answer(int status, String body) {
    public int statusCode() {
      return status;
    }
  }

  @Override
  public void close() throws IOException {
    running.close();
  }
}
