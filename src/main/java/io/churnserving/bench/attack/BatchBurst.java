package io.churnserving.bench.attack;

import io.churnserving.bench.RequestBodies;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code batch-burst}: every {@code --interval} (or as soon as the last burst is all answered, if that is later),
 * {@code --connections} concurrent {@code POST /v1/models/churn:predict} of 1,000 instances each, with the key, one
 * per connection. On an idle server these once got 503s from a per-event-loop row count; now each should be
 * answered 200. Counts {@code bursts}, {@code bursts_not_all_200}, and answers by status.
 */
final class BatchBurst implements Attack {
  private static final int BATCH_SIZE = 1000;

  private final AttackRun run;
  private final RequestBodies bodies;
  private final RequestOptions request;
  private HttpClientAgent client;
  private int nextBody;

  BatchBurst(AttackRun run) {
    this.run = run;
    // Made before the run: as many distinct 130 KB bodies as one burst sends, at most 64.
    this.bodies = RequestBodies.batches(run.schema(), run.options.seed(), BATCH_SIZE, Math.min(64, run.options.connections()));
    this.request = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/models/churn:predict")
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader("X-API-Key", run.options.apiKey());
  }

  @Override
  public void start() {
    client = Http1Clients.pool(run, run.options.connections());
    burst();
  }

  private void burst() {
    if (!run.running()) {
      return;
    }
    long startedAt = System.nanoTime();
    run.counts.add("bursts");
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < run.options.connections(); i++) {
      run.counts.add(AttackCounts.REQUESTS);
      answers.add(client.request(request).compose(req -> req.exceptionHandler(Http2Clients.COUNTED_ELSEWHERE)
              .send(bodies.get(nextBody++ % bodies.size())))
          .compose(response -> response.body().map(body -> response.statusCode()))
          .onSuccess(run.counts::status).onFailure(run.counts::error));
    }
    Future.join(answers).onComplete(ar -> {
      if (answers.stream().anyMatch(a -> a.failed() || a.result() != 200)) {
        run.counts.add("bursts_not_all_200");
      }
      long elapsedMs = (System.nanoTime() - startedAt) / 1_000_000;
      run.counts.max("burst_ms", elapsedMs);
      run.later(run.options.interval().toMillis() - elapsedMs, this::burst);
    });
  }
}
