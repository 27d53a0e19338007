package io.churnserving.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.ServerProcess;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM that ran out of memory may have lost an event loop or the acceptor and live on answering nothing, which no
 * supervisor restarts. The server's own handler ends the process instead, with the status the JVM's
 * {@code -XX:+ExitOnOutOfMemoryError} would give, so a supervisor restarts it.
 */
class OutOfMemoryExitTest {
  @Test
  void aRealOutOfMemoryErrorInAModelCallEndsTheProcessWithStatus3() throws Exception {
    // Without -XX:+ExitOnOutOfMemoryError: it is the server's own handler that is tested.
    try (ServerProcess server = ServerProcess.start(OutOfMemoryProbe.class.getName(), Map.of(), "-Xmx256m")) {
      // The start-up warning that the flag is missing, written once the server is up.
      Faults.eventually(() -> server.stdout().contains("started without -XX:+ExitOnOutOfMemoryError"));
      server.predict(); // no answer is expected: the process ends while scoring it
      assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).as("the process exited").isTrue();
      assertThat(server.process().exitValue()).as(server.stderr()).isEqualTo(3);
      assertThat(server.stderr()).contains("Out of memory");
    }
  }
}
