package io.churnserving.http;

import io.churnserving.metrics.HttpMeters;
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
    long started = System.nanoTime();
    meters.begin();
    HttpMeters.Ending ending = new HttpMeters.Ending() {
      private boolean ended;

      @Override
      public void end(int status) {
        if (!ended) {
          ended = true;
          meters.end(template(ctx), status, System.nanoTime() - started);
        }
      }
    };
    if (ctx.request().headers().contains(HttpHeaders.UPGRADE)) {
      ctx.put(HttpMeters.ENDING, ending); // the upgrading handler ends it; the response never does
    }
    ctx.addEndHandler(v -> ending.end(ctx.response().getStatusCode()));
    ctx.next();
  }

  /** The template of the route that answered, never the raw path; {@value HttpMeters#UNMATCHED} if none did. */
  static String template(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    return route == null || route.getName() == null ? HttpMeters.UNMATCHED : route.getName();
  }
}
