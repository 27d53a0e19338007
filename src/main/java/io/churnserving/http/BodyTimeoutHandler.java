package io.churnserving.http;

import io.churnserving.errors.ClientProblem;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Gives a request body a fixed time to arrive; a client that trickles it slower gets 408 and loses the connection,
 * so it cannot hold a connection and a buffer for as long as it likes. Most bodies are whole by the time this runs,
 * and then no timer is set at all.
 */
final class BodyTimeoutHandler implements PlatformHandler {
  private final long timeoutMs;

  private BodyTimeoutHandler(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  static BodyTimeoutHandler create(long timeoutMs) {
    return new BodyTimeoutHandler(timeoutMs);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!ctx.request().isEnded()) {
      long timer = ctx.vertx().setTimer(timeoutMs, id -> {
        if (!ctx.request().isEnded() && !ctx.response().ended()) {
          // Vert.x would keep the connection open for the rest of the body; once the 408 is out, close it.
          ctx.response().putHeader("Connection", "close");
          ctx.addEndHandler(v -> ctx.request().connection().close());
          ctx.fail(ClientProblem.of(408, "The request body did not arrive within " + timeoutMs + " ms"));
        }
      });
      ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
    }
    ctx.next();
  }
}
