package io.churnserving.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the process on an {@link OutOfMemoryError}, so that a supervisor restarts it. A JVM that ran out of memory
 * may have lost an event loop or the acceptor while its other threads live on: a process that stays up but answers
 * nothing, which no supervisor restarts, is worse than a crash.
 *
 * <p>The JVM flag {@code -XX:+ExitOnOutOfMemoryError}, in the documented command, is the sure way: it acts wherever
 * the error is thrown. Without it, this still catches the errors that reach Vert.x's or a thread's last handler, and
 * halts with status {@value #STATUS}; errors some library swallows are beyond it, hence the start-up warning.
 */
final class OutOfMemoryExit {
  private static final Logger LOG = LoggerFactory.getLogger(OutOfMemoryExit.class);
  /** The status the JVM's own flag exits with. */
  static final int STATUS = 3;

  private OutOfMemoryExit() {
  }

  /** For errors that end a thread. */
  static void install() {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
      haltIfOutOfMemory(error);
      if (previous != null) {
        previous.uncaughtException(thread, error);
      } else {
        error.printStackTrace();
      }
    });
  }

  /** For errors a Vert.x handler throws, which Vert.x catches and reports here. */
  static void install(Vertx vertx) {
    vertx.exceptionHandler(error -> {
      haltIfOutOfMemory(error);
      LOG.atError().setCause(error).log("Unhandled failure");
    });
  }

  static void haltIfOutOfMemory(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof OutOfMemoryError) {
        // No logging, no shutdown hooks: they may need the memory there is none of. One line straight to stderr.
        System.err.println("Out of memory (" + e.getMessage() + "): exiting with status " + STATUS
            + " so that a supervisor restarts the server");
        Runtime.getRuntime().halt(STATUS);
      }
    }
  }

  /** One WARN at start when the JVM was started without {@code -XX:+ExitOnOutOfMemoryError}. */
  static void warnIfTheJvmWouldNotExit() {
    try {
      var diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (diagnostics != null && !"true".equals(diagnostics.getVMOption("ExitOnOutOfMemoryError").getValue())) {
        LOG.atWarn().log("The JVM was started without -XX:+ExitOnOutOfMemoryError: an out-of-memory error that a "
            + "library swallows would leave the process up but not serving. Start it as the README says.");
      }
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // Not a HotSpot JVM: nothing to check.
    }
  }
}
