package io.churnserving.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Unary {@code ModelInfer} calls with Vert.x's gRPC client, one in flight per HTTP/2 connection, from one event
 * loop: the gRPC counterpart of {@link HttpDriver}, so the two compare call for request.
 *
 * <p>Each {@link Slot} is one call in flight; the client's pool gives each its own connection (one stream per
 * connection, {@link GrpcCalls#http}) and reopens one that is lost. In open loop, slots with nothing due wait in
 * {@link IdleLanes}, and one timer hands the next due call to the first of them, as in {@link HttpDriver}. A call's
 * answer is counted by its status ({@link GrpcCalls#httpStatus}); a call that gets none (reset, refused, idle past
 * {@code --timeout}) is a transport failure.
 */
final class GrpcDriver implements Driver {
  private final Vertx vertx;
  private final HttpClientAgent http;
  private final GrpcClient grpc;
  private final SocketAddress address;
  private final String apiKey;
  private final long timeoutMillis;
  private final RequestBodies.Cursor bodies;
  private final List<Slot> slots = new ArrayList<>();
  private final IdleLanes<Slot> idle;

  private Timeline timeline;
  private Pacer pacer;
  private Recorder recorder;
  /** Connections opened before the run, counted once the recorder exists. */
  private long openedBefore;

  GrpcDriver(Vertx vertx, BenchOptions options, RequestBodies.Cursor bodies, int connections) {
    this.vertx = vertx;
    this.bodies = bodies;
    this.apiKey = options.apiKey();
    this.timeoutMillis = options.timeout().toMillis();
    this.http = GrpcCalls.http(vertx, options, connections, c -> connected());
    this.grpc = GrpcClient.client(vertx, http);
    this.address = SocketAddress.inetSocketAddress(options.port(), options.url().getHost());
    this.idle = new IdleLanes<>(vertx, connections);
    for (int i = 0; i < connections; i++) {
      slots.add(new Slot());
    }
  }

  private void connected() {
    if (recorder == null) {
      openedBefore++;
    } else {
      recorder.connected();
    }
  }

  /** One {@code ServerLive} call per slot, all at once, so the pool opens every connection before the clock. */
  @Override
  public Future<Void> open() {
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      calls.add(grpc.request(address, GrpcCalls.SERVER_LIVE)
          .compose(req -> req.send(Buffer.buffer()))
          .compose(GrpcClientResponse::last));
    }
    return Future.join(calls).otherwiseEmpty().mapEmpty();
  }

  @Override
  public Future<Void> run(Timeline timeline, Pacer pacer, Recorder recorder) {
    this.timeline = timeline;
    this.pacer = pacer;
    idle.start(timeline, pacer);
    this.recorder = recorder;
    for (long i = 0; i < openedBefore; i++) {
      recorder.connected();
    }
    for (Slot slot : slots) {
      slot.pump();
    }
    idle.armWakeUp();
    return idle.allFinished().eventually(() -> grpc.close().eventually(http::close));
  }

  /** One call in flight at a time. */
  private final class Slot implements IdleLanes.Lane {
    private boolean busy;
    private boolean done;

    void pump() {
      if (done || busy) {
        return;
      }
      long now = System.nanoTime();
      if (timeline.over(now)) {
        finish();
        return;
      }
      long due = pacer.next(now);
      if (due == Pacer.NOTHING_DUE) {
        idle.waitFor(this);
      } else {
        send(due, now);
      }
    }

    @Override
    public void send(long dueNanos, long sentNanos) {
      busy = true;
      grpc.request(address, GrpcCalls.MODEL_INFER)
          .compose(req -> {
            req.headers().set(GrpcCalls.API_KEY, apiKey);
            // No grpc-timeout: the server's own deadline applies, as for /predict without X-Request-Timeout-Ms.
            req.idleTimeout(timeoutMillis);
            return req.send(bodies.next());
          })
          .compose(response -> {
            response.handler(answer -> { });
            // end() fails on a status other than OK; the status is what is counted either way.
            return response.end().transform(ar -> response.status() != null
                ? Future.succeededFuture(response.status()) : Future.<GrpcStatus>failedFuture(ar.cause()));
          })
          .onComplete(ar -> {
            busy = false;
            if (ar.succeeded()) {
              recorder.answered(GrpcCalls.httpStatus(ar.result()), dueNanos, sentNanos, System.nanoTime());
              pump();
            } else {
              recorder.failed(ar.cause(), dueNanos);
              // A refused or reset connection fails at once: wait before the next call rather than spin.
              vertx.setTimer(ConnectionLane.RECONNECT_DELAY_MS, id -> pump());
            }
          });
    }

    @Override
    public void finish() {
      if (!done) {
        done = true;
        idle.finished();
      }
    }
  }
}
