package io.churnserving.bench;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.UpgradeRejectedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Names a failure that left a request without an answer, so the report can count them by kind. The names are
 * what the user will search for ("connection refused"), not exception classes: Netty, the JDK and Vert.x each raise
 * their own type for the same event.
 */
public final class TransportErrors {
  static final String REFUSED = "connection refused";
  static final String RESET = "connection reset";
  static final String CLOSED = "connection closed";
  static final String TIMEOUT = "timeout";
  static final String CONNECT_TIMEOUT = "connect timeout";
  /** A WebSocket answer that matches no message sent: the target did not echo a readable id. */
  static final String UNKNOWN_ID = "answer without a known id";

  private TransportErrors() {
  }

  /** The kind of failure, as the reports count it: {@code connection refused}, {@code timeout}, ... */
  public static String kind(Throwable failure) {
    String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
    // Netty's ConnectTimeoutException is a ConnectException, so the timeout must be told apart first.
    if (failure instanceof ConnectException && message.contains("timed out")) {
      return CONNECT_TIMEOUT;
    }
    if (failure instanceof ConnectException) {
      return message.contains("refused") ? REFUSED : "connect failed";
    }
    if (failure instanceof TimeoutException) {
      return TIMEOUT;
    }
    if (failure instanceof UpgradeRejectedException rejected) {
      // The WebSocket handshake got an HTTP answer instead of 101: 401 is a wrong key, 404 a wrong path.
      return "upgrade refused " + rejected.getStatus();
    }
    if (failure instanceof GrpcStreamDriver.StreamEnded ended) {
      return "stream ended " + ended.status;
    }
    if (failure instanceof HttpClosedException) {
      return CLOSED;
    }
    if (failure instanceof UnknownHostException || failure instanceof NoRouteToHostException) {
      return "unreachable host";
    }
    if (message.contains("reset")) {
      return RESET;
    }
    if (message.contains("closed") || message.contains("broken pipe")) {
      return CLOSED;
    }
    if (failure instanceof IOException) {
      return "i/o error";
    }
    return failure.getClass().getSimpleName();
  }
}
