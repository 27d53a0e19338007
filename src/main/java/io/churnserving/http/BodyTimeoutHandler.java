package io.churnserving.http;

import io.churnserving.errors.ClientProblem;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives a request body a fixed time to arrive; a client that trickles it slower gets 408 and loses the connection
 * (on HTTP/2, the stream), so it cannot hold a connection and a buffer for as long as it likes.
 *
 * <p>Why not a timer per request: the handler runs on the request's head, before the body (which usually came in
 * the same packet) has been read, so nearly every request would set and cancel one, a few percent of
 * {@code /predict}'s throughput. Instead each request is noted, in arrival order, until it is answered, and one
 * periodic sweep per event loop, every tenth of the timeout, fails those whose body is still missing. A 408 thus
 * comes between the timeout and 1.1 times it.
 *
 * <p>One instance per router, used from its event loop only; create it in the verticle's {@code start}, so the
 * sweep runs on, and ends with, that verticle.
 */
final class BodyTimeoutHandler implements PlatformHandler {
  private final long timeoutNanos;
  private final long timeoutMs;
  /** Requests not yet answered, oldest first. */
  private final Map<RoutingContext, Reading> reading = new LinkedHashMap<>();

  /** When a request's head arrived, and the context it runs on. */
  private record Reading(long arrivedNanos, Context context) {
  }

  private BodyTimeoutHandler(Vertx vertx, long timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.timeoutNanos = timeoutMs * 1_000_000;
    vertx.setPeriodic(Math.max(10, timeoutMs / 10), id -> sweep());
  }

  static BodyTimeoutHandler create(Vertx vertx, long timeoutMs) {
    return new BodyTimeoutHandler(vertx, timeoutMs);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!ctx.request().isEnded()) {
      reading.put(ctx, new Reading(System.nanoTime(), Vertx.currentContext()));
      ctx.addEndHandler(v -> reading.remove(ctx));
    }
    ctx.next();
  }

  private void sweep() {
    long now = System.nanoTime();
    Iterator<Map.Entry<RoutingContext, Reading>> oldestFirst = reading.entrySet().iterator();
    while (oldestFirst.hasNext()) {
      Map.Entry<RoutingContext, Reading> e = oldestFirst.next();
      if (now - e.getValue().arrivedNanos() < timeoutNanos) {
        return; // every later one arrived later still
      }
      oldestFirst.remove();
      RoutingContext ctx = e.getKey();
      if (!ctx.request().isEnded() && !ctx.response().ended()) {
        // On the request's own context, so the 408 and its log line carry the request's correlation ID.
        e.getValue().context().runOnContext(v -> timeOut(ctx));
      }
    }
  }

  private void timeOut(RoutingContext ctx) {
    if (ctx.request().isEnded() || ctx.response().ended()) {
      return;
    }
    if (ctx.request().version() != HttpVersion.HTTP_2) {
      // Vert.x would keep the connection open for the rest of the body; once the 408 is out, close it. An HTTP/2
      // stream ends with its answer instead (ConnectionGuard resets one whose client is still sending), and the
      // connection's other streams carry on.
      ctx.response().putHeader("Connection", "close");
      ctx.addEndHandler(v -> ctx.request().connection().close());
    }
    ctx.fail(ClientProblem.of(408, "The request body did not arrive within " + timeoutMs + " ms"));
  }
}
