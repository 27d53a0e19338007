package io.churnserving.bench;

import io.churnserving.grpc.proto.ModelStreamInferResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.VertxException;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages on {@code ModelStreamInfer} streams, one stream per HTTP/2 connection, each keeping up to
 * {@code --in-flight} messages unanswered, from one event loop: the gRPC counterpart of {@link WebSocketDriver}
 * (one message per frame). Every message is a {@code ModelInferRequest} of one row (or of N raw rows) with an id of
 * its own; the ids of a stream's messages interleave with its answers, which come back in any order and are matched
 * to their message by {@code infer_response.id}.
 *
 * <p>The id is added to the message encoded before the run by appending field 3 ({@code id}, a string): protobuf
 * takes the last value of a field that occurs twice, and the pool's messages carry no id, so appending costs a copy
 * of a few hundred bytes, not an encoding. A stream that ends (the server's status, or a lost connection) fails its
 * unanswered messages and is opened again; a sweep counts messages unanswered after {@code --timeout} as timeouts.
 */
final class GrpcStreamDriver implements Driver {
  private static final int SWEEPS_PER_TIMEOUT = 10;
  private static final long MIN_SWEEP_MS = 10;
  private static final long MAX_SWEEP_MS = 1000;
  /** Tag of {@code ModelInferRequest.id}: field 3, length-delimited. */
  private static final byte ID_TAG = (3 << 3) | 2;

  private final Vertx vertx;
  private final HttpClientAgent http;
  private final GrpcClient grpc;
  private final SocketAddress address;
  private final String apiKey;
  private final RequestBodies.Cursor bodies;
  private final int window;
  private final long timeoutNanos;
  private final long sweepMillis;
  private final List<Lane> lanes = new ArrayList<>();
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  private final Promise<Void> allFinished = Promise.promise();
  private final WakeUp wakeUp;

  private Timeline timeline;
  private Pacer pacer;
  private Recorder recorder;
  private long openedBefore;
  private long sweeper = -1;
  private long nextId;
  private boolean sendingOver;
  private int finished;

  GrpcStreamDriver(Vertx vertx, BenchOptions options, RequestBodies.Cursor bodies, int streams) {
    this.vertx = vertx;
    this.bodies = bodies;
    this.apiKey = options.apiKey();
    this.window = options.inFlight();
    this.timeoutNanos = options.timeout().toNanos();
    this.sweepMillis = Math.max(MIN_SWEEP_MS, Math.min(MAX_SWEEP_MS,
        options.timeout().toMillis() / SWEEPS_PER_TIMEOUT));
    this.wakeUp = new WakeUp(vertx, this::pump);
    this.http = GrpcCalls.http(vertx, options, streams, c -> connected());
    this.grpc = GrpcClient.client(vertx, http);
    this.address = SocketAddress.inetSocketAddress(options.port(), options.url().getHost());
    for (int i = 0; i < streams; i++) {
      lanes.add(new Lane());
    }
  }

  private void connected() {
    if (recorder == null) {
      openedBefore++;
    } else {
      recorder.connected();
    }
  }

  /** Message {@code body} with id {@code id} appended. */
  static Buffer withId(Buffer body, long id) {
    byte[] digits = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
    return Buffer.buffer(body.length() + 2 + digits.length).appendBuffer(body).appendByte(ID_TAG)
        .appendByte((byte) digits.length).appendBytes(digits);
  }

  @Override
  public Future<Void> open() {
    return ConnectionLane.openAll(lanes);
  }

  @Override
  public Future<Void> run(Timeline timeline, Pacer pacer, Recorder recorder) {
    this.timeline = timeline;
    this.pacer = pacer;
    this.recorder = recorder;
    for (long i = 0; i < openedBefore; i++) {
      recorder.connected();
    }
    sweeper = vertx.setPeriodic(sweepMillis, id -> sweep());
    for (Lane lane : lanes) {
      lane.settle();
    }
    pump();
    return allFinished.future().eventually(() -> grpc.close().eventually(http::close));
  }

  /** Sends every due message that has a stream with room; at the end, stops sending and settles the streams. */
  private void pump() {
    long now = System.nanoTime();
    if (timeline.over(now)) {
      endSending();
      return;
    }
    while (!ready.isEmpty()) {
      Lane lane = ready.peek();
      if (!lane.hasRoom()) {
        ready.poll().queued = false;
        continue;
      }
      long due = pacer.next(now);
      if (due == Pacer.NOTHING_DUE) {
        break;
      }
      lane.send(due, now);
    }
    wakeUp.armAt(ready.isEmpty() ? timeline.endNanos() : Math.min(pacer.nextDueNanos(), timeline.endNanos()));
  }

  private void endSending() {
    if (sendingOver) {
      return;
    }
    sendingOver = true;
    wakeUp.cancel();
    ready.clear();
    for (Lane lane : lanes) {
      lane.queued = false;
      lane.settle();
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Lane lane : lanes) {
      lane.expire(now);
    }
    if (!sendingOver) {
      pump();
    }
  }

  private void laneFinished() {
    if (++finished == lanes.size()) {
      vertx.cancelTimer(sweeper);
      allFinished.complete();
    }
  }

  /** The server ended a stream, with this status; the reports count it as {@code stream ended STATUS}. */
  static final class StreamEnded extends VertxException {
    final GrpcStatus status;

    StreamEnded(GrpcStatus status, String message) {
      super("stream ended with " + status + (message == null ? "" : ": " + message), true);
      this.status = status;
    }
  }

  /** One stream and its unanswered messages, oldest first. */
  private final class Lane extends ConnectionLane<GrpcClientRequest<Buffer, ModelStreamInferResponse>> {
    private final Unanswered outstanding = new Unanswered();
    private GrpcClientRequest<Buffer, ModelStreamInferResponse> call;
    private Throwable lastError;
    private boolean queued;
    private boolean done;

    Lane() {
      super(vertx);
    }

    @Override
    boolean isOpen() {
      return call != null;
    }

    @Override
    Future<GrpcClientRequest<Buffer, ModelStreamInferResponse>> connect() {
      return grpc.request(address, GrpcCalls.MODEL_STREAM_INFER);
    }

    @Override
    void reconnected() {
      settle();
      if (!sendingOver) {
        pump();
      }
    }

    @Override
    void retry() {
      settle();
    }

    @Override
    Recorder recorder() {
      return recorder;
    }

    boolean hasRoom() {
      return call != null && !done && outstanding.size() < window;
    }

    void settle() {
      if (done || connecting) {
        return;
      }
      if (sendingOver) {
        if (call == null || outstanding.isEmpty()) {
          finish();
        }
      } else if (call == null) {
        reconnect();
      } else if (!queued && hasRoom()) {
        queued = true;
        ready.add(this);
      }
    }

    void send(long dueNanos, long sentNanos) {
      long id = nextId++;
      outstanding.sent(id, dueNanos, sentNanos);
      // A failed write shows up as the stream's end, which fails what is outstanding.
      call.write(withId(bodies.next(), id));
    }

    private void onAnswer(GrpcClientRequest<Buffer, ModelStreamInferResponse> from, ModelStreamInferResponse a) {
      if (from != call) {
        return;
      }
      long now = System.nanoTime();
      outstanding.answered(id(a.getInferResponse().getId()), GrpcCalls.streamStatus(a.getErrorMessage()), now,
          recorder);
      settle();
      if (queued && !sendingOver) {
        pump();
      }
    }

    private static long id(String text) {
      try {
        return text.isEmpty() ? -1 : Long.parseLong(text);
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    void expire(long now) {
      outstanding.expire(now, timeoutNanos, recorder);
      settle();
    }

    @Override
    void adopt(GrpcClientRequest<Buffer, ModelStreamInferResponse> c) {
      call = c;
      lastError = null;
      c.headers().set(GrpcCalls.API_KEY, apiKey);
      c.exceptionHandler(e -> {
        if (call == c) {
          lastError = e;
        }
      });
      c.response().onComplete(ar -> {
        if (ar.failed()) {
          ended(c, ar.cause());
          return;
        }
        var response = ar.result();
        response.handler(answer -> onAnswer(c, answer));
        response.exceptionHandler(e -> {
          if (call == c) {
            lastError = e;
          }
        });
        response.end().onComplete(end -> ended(c, lastError != null ? lastError
            : new StreamEnded(response.status(), response.statusMessage())));
      });
    }

    private void ended(GrpcClientRequest<Buffer, ModelStreamInferResponse> c, Throwable cause) {
      if (call != c) {
        return;
      }
      call = null;
      if (recorder == null) {
        return;
      }
      outstanding.failAll(cause, recorder);
      // A stream the server ends at once (UNIMPLEMENTED, a wrong key) would otherwise be reopened in a tight loop.
      connecting = true;
      vertx.setTimer(RECONNECT_DELAY_MS, id -> {
        connecting = false;
        settle();
      });
    }

    void finish() {
      if (done) {
        return;
      }
      done = true;
      if (call != null) {
        GrpcClientRequest<Buffer, ModelStreamInferResponse> c = call;
        call = null;
        // Half-closes the stream: the server ends it once its answers are out.
        c.end();
      }
      laneFinished();
    }
  }
}
