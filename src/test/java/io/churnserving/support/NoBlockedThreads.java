package io.churnserving.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails any test during which Vert.x reported a blocked thread. Registered for every test through JUnit's extension
 * auto-detection (src/test/resources/META-INF/services and junit-platform.properties).
 */
public final class NoBlockedThreads implements BeforeAllCallback, AfterEachCallback {
  private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";
  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();
  private static volatile boolean attached;

  @Override
  public void beforeAll(ExtensionContext context) {
    attach();
  }

  private static synchronized void attach() {
    if (attached) {
      return;
    }
    Logger logger = (Logger) LoggerFactory.getLogger(CHECKER);
    AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        WARNINGS.add(event.getFormattedMessage());
      }
    };
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
    attached = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!WARNINGS.isEmpty()) {
      List<String> seen = List.copyOf(WARNINGS);
      WARNINGS.clear();
      throw new AssertionError("Vert.x reported a blocked thread during " + context.getDisplayName() + ": " + seen);
    }
  }
}
