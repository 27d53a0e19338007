package io.churnserving.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies the configured root log level to Logback. */
public final class LogLevels {
  private LogLevels() {
  }

  /** Sets the root level, e.g. {@code DEBUG}; unknown names fall back to INFO (the config checks them first). */
  public static void applyRoot(String level) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.toLevel(level, Level.INFO));
    }
  }
}
