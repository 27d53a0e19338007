package io.churnserving.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The drain SIGTERM runs is not held by a stream whose client reads nothing. */
class StreamShutdownTest {
  @Test
  void aPausedStreamWithUnreadAnswersDoesNotHoldTheDrain() throws Exception {
    // A drain time far longer than the wait below: only closing the silent stream can end the drain in time.
    try (TestServer server = TestServer.start("DRAIN_TIMEOUT_MS", "600000")) {
      RawWebSocket silent = RawWebSocket.open(server.port(), TestServer.KEY);
      byte[] messages = RawWebSocket.repeat(RawWebSocket.text("{\"id\":\"s\",\"instance\":" + TestServer.EXAMPLE
          + "}"), 500);
      Thread writer = new Thread(() -> {
        try {
          while (true) {
            silent.write(messages);
          }
        } catch (IOException e) {
          // closed by the server: the end of the test
        }
      }, "silent-stream-writer");
      writer.setDaemon(true);
      writer.start();
      // The server stops reading the client once its answers back up: the client's writes block.
      long last = -1;
      while (silent.written() != last) {
        last = silent.written();
        Thread.sleep(1_000);
      }

      Future<Void> drained = server.root().drain();
      try {
        drained.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("the drain was still waiting for the silent stream after 30 s", e);
      }
      assertThat(silent.closedByServer()).as("the silent stream's connection is closed").isTrue();
      silent.close();
    }
  }
}
