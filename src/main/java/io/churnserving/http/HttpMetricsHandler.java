package io.churnserving.http;

import io.churnserving.metrics.HttpMeters;
import io.churnserving.metrics.ServingMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/** First handler of every request when metrics are on: times it and counts it by route template and status. */
final class HttpMetricsHandler implements Handler<RoutingContext> {
  private final HttpMeters meters;

  private HttpMetricsHandler(HttpMeters meters) {
    this.meters = meters;
  }

  static HttpMetricsHandler create(HttpMeters meters) {
    return new HttpMetricsHandler(meters);
  }

  @Override
  public void handle(RoutingContext ctx) {
    meters.begin();
    Measurement measurement = new Measurement(meters, ctx, System.nanoTime());
    if (ctx.request().headers().contains(HttpHeaders.UPGRADE)) {
      ctx.put(HttpMeters.ENDING, measurement); // the upgrading handler ends it; the response never does
    }
    ctx.addEndHandler(measurement);
    ctx.next();
  }

  /** One request's measurement, ended by its response or its upgrade, whichever comes first. */
  private static final class Measurement implements HttpMeters.Ending, Handler<AsyncResult<Void>> {
    private final HttpMeters meters;
    private final RoutingContext ctx;
    private final long started;
    private boolean ended;

    Measurement(HttpMeters meters, RoutingContext ctx, long started) {
      this.meters = meters;
      this.ctx = ctx;
      this.started = started;
    }

    @Override
    public void handle(AsyncResult<Void> responseEnded) {
      if (responseEnded.succeeded() || ctx.response().ended()) {
        end(ctx.response().getStatusCode());
        return;
      }
      // The connection failed or closed before an answer. Vert.x tells the response before the request's handlers,
      // so a body the decoder could not read is answered (400) by the failure handler just after this; a client
      // that went away is answered by no one, and counted as nginx counts it, 499, never as the default 200.
      ctx.vertx().runOnContext(v -> end(ctx.response().ended() ? ctx.response().getStatusCode()
          : ServingMetrics.CLIENT_CLOSED_STATUS));
    }

    @Override
    public void end(int status) {
      if (!ended) {
        ended = true;
        meters.end(template(ctx), status, System.nanoTime() - started);
      }
    }
  }

  /** The template of the route that answered, never the raw path; {@value HttpMeters#UNMATCHED} if none did. */
  static String template(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    return route == null || route.getName() == null ? HttpMeters.UNMATCHED : route.getName();
  }
}
