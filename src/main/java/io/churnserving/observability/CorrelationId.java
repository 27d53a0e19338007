package io.churnserving.observability;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.spi.context.storage.ContextLocal;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The correlation ID of the request being handled, held in Vert.x context-local data.
 *
 * <p>Each HTTP request runs on its own duplicated context, so two interleaved requests on one event loop never see
 * each other's ID (a thread-bound MDC would mix them). The key must be registered before the first {@code Vertx}
 * is built; {@link CorrelationStorage} does that through Vert.x's service loader.
 */
public final class CorrelationId {

  /** The context-local key. */
  public static final ContextLocal<String> KEY = ContextLocal.registerLocal(String.class);

  /** Request and response header carrying the ID. */
  public static final String HEADER = "X-Request-ID";

  private static final int MAX_LENGTH = 128;

  private CorrelationId() {
  }

  /** The client's ID if it is 1-128 characters of {@code [A-Za-z0-9._-]}, otherwise a fresh one. */
  public static String acceptOrCreate(String fromClient) {
    return isValid(fromClient) ? fromClient : create();
  }

  /** A fresh 16-hex-digit ID; unique enough to correlate, not a secret. */
  public static String create() {
    String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
    return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
  }

  static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Binds the ID to the current context; a no-op outside Vert.x. */
  public static void bind(String id) {
    Context context = Vertx.currentContext();
    if (context != null) {
      context.putLocal(KEY, id);
    }
  }

  /** The ID bound to the current context, or {@code null}. */
  public static String current() {
    Context context = Vertx.currentContext();
    return context == null ? null : context.getLocal(KEY);
  }
}
