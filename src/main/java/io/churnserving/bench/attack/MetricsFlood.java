package io.churnserving.bench.attack;

import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * {@code metrics-flood}: {@code --connections} keep-alive connections each {@code GET /metrics} (no key needed)
 * and ask again as soon as the whole answer is in, as {@code wrk -c32 /metrics} did when a scrape cost an event loop
 * over a millisecond of CPU. A failed request is tried again after {@link AttackRun#RETRY_MS}.
 */
final class MetricsFlood implements Attack {
  private static final RequestOptions SCRAPE = new RequestOptions().setMethod(HttpMethod.GET).setURI("/metrics");

  private final AttackRun run;
  private HttpClientAgent client;

  MetricsFlood(AttackRun run) {
    this.run = run;
  }

  @Override
  public void start() {
    client = Http1Clients.pool(run, run.options.connections());
    for (int i = 0; i < run.options.connections(); i++) {
      scrape();
    }
  }

  private void scrape() {
    if (!run.running()) {
      return;
    }
    run.counts.add(AttackCounts.REQUESTS);
    client.request(SCRAPE).compose(req -> req.exceptionHandler(Http2Clients.COUNTED_ELSEWHERE).send())
        .compose(response -> response.body().map(body -> {
          run.counts.add("bytes_received", body.length());
          return response.statusCode();
        })).onComplete(ar -> {
          if (ar.succeeded()) {
            run.counts.status(ar.result());
            scrape();
          } else {
            run.counts.error(ar.cause());
            run.later(AttackRun.RETRY_MS, this::scrape);
          }
        });
  }
}
