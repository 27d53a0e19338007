package io.churnserving.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.ServerProcess;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shutdown sequence: readiness turns 503 while the listener still accepts and serves for
 * {@code SHUTDOWN_GRACE_MS}, so load balancers stop sending before any connection is refused; then the drain; and a
 * second SIGTERM while stopping changes nothing.
 */
class ShutdownGraceTest {
  @Test
  void duringTheGraceReadinessIs503WhileNewConnectionsAreStillServedThenTheyAreRefused() throws Exception {
    // The grace is long enough for a loaded machine to make three requests within it; nothing here is timed.
    try (TestServer server = TestServer.start("SHUTDOWN_GRACE_MS", "3000", "DRAIN_TIMEOUT_MS", "2000")) {
      int port = server.port();
      assertThat(status(ask(port, get("/health/ready")))).isEqualTo(200);

      Future<Void> drained = server.root().drain();
      // Each on a new connection: the listener still accepts.
      assertThat(status(ask(port, get("/health/ready")))).as("readiness in the grace").isEqualTo(503);
      assertThat(status(ask(port, get("/v2/health/ready")))).as("v2 readiness in the grace").isEqualTo(503);
      assertThat(status(ask(port, get("/health/live")))).as("liveness in the grace").isEqualTo(200);
      String prediction = ask(port, predict());
      assertThat(status(prediction)).as("/predict in the grace").isEqualTo(200);
      assertThat(new JsonObject(prediction.substring(prediction.indexOf("\r\n\r\n") + 4)).getDouble(
          "churn_probability")).isBetween(0.0, 1.0);
      assertThat(drained.isComplete()).as("the drain waits out the grace").isFalse();

      TestServer.await(drained);
      assertThat(refused(port)).as("a new connection after the drain is refused").isTrue();
    }
  }

  /** A deploy tool that signals twice, or an impatient operator: the stop under way finishes, quietly, with 0. */
  @Test
  void aSecondSigtermWhileStoppingChangesNothingAndTheProcessExitsZero() throws Exception {
    try (ServerProcess server = ServerProcess.start(Map.of("SHUTDOWN_GRACE_MS", "500"))) {
      assertThat(server.predict()).isEqualTo(200);
      server.process().destroy(); // SIGTERM
      Faults.eventually(() -> server.stdout().contains("Shutting down") || !server.process().isAlive());
      server.process().destroy(); // and again, while the first is stopping
      assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
      String out = server.stdout();
      String err = server.stderr();
      assertThat(server.process().exitValue()).as(err).isZero();
      assertThat(out + err).doesNotContain("Unknown deployment").doesNotContain("Already undeployed")
          .doesNotContain("\"level\":\"ERROR\"").doesNotContain("Exception");
      assertThat(out.lines().filter(l -> l.contains("Shutting down"))).as("one stop, not two").hasSize(1);
      assertThat(out.lines().filter(l -> l.contains("\"Drained\""))).hasSize(1);
    }
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  }

  private static String predict() {
    byte[] body = TestServer.EXAMPLE.getBytes(StandardCharsets.UTF_8);
    return "POST /predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: " + TestServer.KEY
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + TestServer.EXAMPLE;
  }

  /** Sends a request on a new connection and reads the answer to the connection's end. */
  private static String ask(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        answer.write(buffer, 0, n);
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static int status(String answer) {
    assertThat(answer).startsWith("HTTP/1.1 ");
    return Integer.parseInt(answer.substring(9, 12));
  }

  /** Whether a new connection to the port is refused. */
  private static boolean refused(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
