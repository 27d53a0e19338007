package io.churnserving.bench.attack;

import io.churnserving.bench.RequestBodies;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * HTTP/2 clients that announce a flow-control window of 0, so the server can send the head of each answer but not
 * a byte of its body, and keep {@code --streams} streams open on each of {@code --connections} connections:
 * {@code GET /openapi.json} without a key ({@code h2-zero-window}), or 1,000-instance batches with the key
 * ({@code h2-batch-zero-window}). A stream the server resets, refuses or loses with its connection is reopened:
 * at once if it had been answered, after {@link AttackRun#RETRY_MS} if it was refused, so a server that refuses
 * every stream does not meet a busy loop.
 */
final class ZeroWindowStreams implements Attack {
  private static final int BATCH_SIZE = 1000;
  private static final int BATCH_POOL = 16;

  private final AttackRun run;
  private final RequestOptions request;
  private final RequestBodies batches;
  private int nextBody;

  ZeroWindowStreams(AttackRun run, boolean batch) {
    this.run = run;
    if (batch) {
      // Made before the run, on the caller's thread: 16 bodies of about 130 KB.
      this.batches = RequestBodies.batches(run.schema(), run.options.seed(), BATCH_SIZE, BATCH_POOL);
      this.request = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/models/churn:predict")
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader("X-API-Key", run.options.apiKey());
    } else {
      this.batches = null;
      this.request = new RequestOptions().setMethod(HttpMethod.GET).setURI("/openapi.json");
    }
  }

  @Override
  public void start() {
    for (int c = 0; c < run.options.connections(); c++) {
      HttpClientAgent client = Http2Clients.oneConnection(run, 0);
      for (int s = 0; s < run.options.streams(); s++) {
        open(client);
      }
    }
  }

  /** Opens one stream and, when it ends, the next in its place. */
  private void open(HttpClientAgent client) {
    if (!run.running()) {
      return;
    }
    run.counts.add(AttackCounts.REQUESTS);
    Future<HttpClientResponse> answer = client.request(request).compose(req -> {
      req.exceptionHandler(Http2Clients.COUNTED_ELSEWHERE);
      return batches == null ? req.send() : req.send(batches.get(nextBody++ % batches.size()));
    });
    answer.onComplete(ar -> {
      if (ar.failed()) {
        run.counts.error(ar.cause());
        run.later(AttackRun.RETRY_MS, () -> open(client));
        return;
      }
      HttpClientResponse response = ar.result();
      // Never read: with a window of 0 no body could come anyway, and nothing is ever handed back.
      response.pause();
      run.counts.status(response.statusCode());
      // The stream ends once: reset, lost with its connection, or (were the window ever opened) answered in full.
      boolean[] ended = {false};
      response.exceptionHandler(e -> {
        if (!ended[0]) {
          ended[0] = true;
          run.counts.error(e);
          open(client);
        }
      });
      response.endHandler(v -> {
        if (!ended[0]) {
          ended[0] = true;
          open(client);
        }
      });
    });
  }
}
