package io.churnserving.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Drives an HTTP endpoint with POSTs of random valid bodies. Closed loop: each connection sends its next request
 * when the previous one answers. Open loop: requests leave on a fixed schedule, and each latency is counted from
 * the moment the schedule said to send, so time spent queued behind a slow server is counted, not hidden.
 */
final class HttpDriver implements Driver {
  /** Open loop: pending requests beyond this are counted as errors instead of queued without bound. */
  static final int MAX_PENDING = 100_000;

  private final Vertx vertx;
  private final BenchOptions options;
  private final RequestBodies bodies;
  private final HttpClientAgent client;
  private final RequestOptions request;
  private int pending;

  HttpDriver(Vertx vertx, BenchOptions options, RequestBodies bodies) {
    this.vertx = vertx;
    this.options = options;
    this.bodies = bodies;
    int port = options.url().getPort() > 0 ? options.url().getPort() : 80;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
        .setDefaultHost(options.url().getHost()).setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(options.connections()).setMaxWaitQueueSize(-1));
    String path = options.url().getRawPath() + (options.url().getRawQuery() == null ? ""
        : "?" + options.url().getRawQuery());
    this.request = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("Content-Type", "application/json").putHeader("X-API-Key", options.apiKey());
  }

  @Override
  public Future<Void> run(long endNanos, Recorder recorder) {
    Promise<Void> done = Promise.promise();
    if (options.mode() == BenchOptions.Mode.CLOSED) {
      // Each loop owns one connection: the pool's bookkeeping per request is then saved, which matters when the
      // client shares two cores with the server it measures.
      pending = options.connections();
      HttpConnectOptions connect = new HttpConnectOptions().setHost(options.url().getHost())
          .setPort(options.url().getPort() > 0 ? options.url().getPort() : 80);
      for (int i = 0; i < options.connections(); i++) {
        client.connect(connect).onSuccess(connection -> loop(connection, endNanos, recorder, done))
            .onFailure(e -> {
              recorder.error(e);
              if (--pending == 0) {
                done.tryComplete();
              }
            });
      }
    } else {
      schedule(System.nanoTime(), 0, endNanos, recorder, done);
    }
    return done.future().eventually(client::close);
  }

  private void loop(HttpClient connection, long endNanos, Recorder recorder, Promise<Void> done) {
    if (System.nanoTime() >= endNanos) {
      if (--pending == 0) {
        done.tryComplete();
      }
      return;
    }
    send(connection, System.nanoTime(), recorder).onComplete(ar -> loop(connection, endNanos, recorder, done));
  }

  /** Every millisecond, sends the requests whose intended time has come. */
  private void schedule(long startNanos, long sent, long endNanos, Recorder recorder, Promise<Void> done) {
    long now = System.nanoTime();
    long due = Math.min((now - startNanos) * options.rate() / 1_000_000_000L,
        (endNanos - startNanos) * options.rate() / 1_000_000_000L);
    long next = sent;
    for (; next < due; next++) {
      long intended = startNanos + next * 1_000_000_000L / options.rate();
      if (pending >= MAX_PENDING) {
        recorder.error(new IllegalStateException("PendingLimit"));
        continue;
      }
      pending++;
      send(client, intended, recorder).onComplete(ar -> {
        if (--pending == 0 && System.nanoTime() >= endNanos) {
          done.tryComplete();
        }
      });
    }
    long sentSoFar = next;
    if (now >= endNanos) {
      if (pending == 0) {
        done.tryComplete();
      }
      return;
    }
    vertx.setTimer(1, id -> schedule(startNanos, sentSoFar, endNanos, recorder, done));
  }

  private Future<Integer> send(HttpClient via, long intendedNanos, Recorder recorder) {
    return via.request(request)
        .compose(req -> req.send(bodies.next()))
        .compose(resp -> resp.body().map(body -> resp.statusCode()))
        .onSuccess(status -> recorder.response(status, intendedNanos))
        .onFailure(recorder::error);
  }
}
