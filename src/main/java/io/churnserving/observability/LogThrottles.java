package io.churnserving.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link LogThrottle} per kind of line, for a whole server: every event loop that writes a line of a kind shares
 * its throttle, so "at most a line a second" holds for the server, not for each loop. Thread-safe.
 */
public final class LogThrottles {
  private final Map<String, LogThrottle> byKind = new ConcurrentHashMap<>();

  /** The throttle of this kind of line, one line a second. */
  public LogThrottle of(String kind) {
    return byKind.computeIfAbsent(kind, k -> LogThrottle.perSecond());
  }
}
