package io.churnserving.http;

import io.churnserving.metrics.PrometheusScrape;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics}: the Prometheus text, made off the event loops and shared by every scrape within
 * {@code METRICS_CACHE_MS} ({@link PrometheusScrape}), so a flood of scrapes costs a loop no more than copying
 * bytes. No key, never rate limited.
 */
final class MetricsHandler implements Handler<RoutingContext> {
  private final PrometheusScrape scrape;

  private MetricsHandler(PrometheusScrape scrape) {
    this.scrape = scrape;
  }

  static MetricsHandler create(PrometheusScrape scrape) {
    return new MetricsHandler(scrape);
  }

  @Override
  public void handle(RoutingContext ctx) {
    // The text may be made for another request, on another loop's behalf: answer back on this request's context.
    Context own = ctx.vertx().getOrCreateContext();
    scrape.text().onComplete(ar -> own.runOnContext(v -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        Responses.body(ctx, PrometheusScrape.CONTENT_TYPE, ar.result());
      }
    }));
  }
}
