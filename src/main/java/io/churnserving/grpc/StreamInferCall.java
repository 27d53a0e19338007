package io.churnserving.grpc;

import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.grpc.proto.ModelInferResponse;
import io.churnserving.grpc.proto.ModelStreamInferResponse;
import io.churnserving.observability.CorrelationId;
import io.churnserving.security.ApiKey;
import io.churnserving.security.Scope;
import io.vertx.core.Future;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;

/**
 * Triton's bidirectional {@code ModelStreamInfer}: each message a ModelInfer request, each answered by one
 * {@code ModelStreamInferResponse} as soon as it is scored, so answers may come in another order than the
 * requests and are matched by their {@code id}. A message that fails is answered in band with
 * {@code error_message} (its gRPC status name, then what HTTP's problem would say) beside an {@code infer_response}
 * holding its {@code id}, model and version, and the stream goes on, as on the WebSocket stream. The key is checked
 * once, from the call's metadata; each message takes a token from its rate limit, as each HTTP request does.
 *
 * <p>What one stream may make the server hold is bounded by reading: past {@value #MAX_IN_FLIGHT} messages or
 * {@value #MAX_IN_FLIGHT_ROWS} rows not yet answered, or while its answers wait for a client that does not read them,
 * the stream is paused, so HTTP/2's flow control holds the client back rather than the server's
 * memory. The call ends with OK once the client has half-closed and every message is answered.
 */
final class StreamInferCall {
  static final String TRANSPORT = "grpc-stream";
  /** Messages of one stream scored at once; beyond, the stream is read no further until answers go out. */
  static final int MAX_IN_FLIGHT = 256;
  /**
   * Rows of one stream scored at once: a message is held while its rows are scored, and what it holds grows with its
   * rows (its contents were checked against its shape), so rows bound it. Counting rows rather than the message's
   * size, which protobuf computes by walking it, saves 8% of a stream message's time.
   */
  static final int MAX_IN_FLIGHT_ROWS = 1024;

  private final GrpcServerRequest<ModelInferRequest, ModelStreamInferResponse> call;
  private final Call scoped;
  private final Gate gate;
  private final ApiKey key;
  private final ModelInferCall infer;
  private final long timeoutMs;
  private final long started = System.currentTimeMillis();
  private int inFlight;
  private long inFlightRows;
  private boolean paused;
  private boolean halfClosed;
  private boolean reset;

  private StreamInferCall(GrpcServerRequest<ModelInferRequest, ModelStreamInferResponse> call, Call scoped,
                          Gate gate, ApiKey key, ModelInferCall infer) {
    this.call = call;
    this.scoped = scoped;
    this.gate = gate;
    this.key = key;
    this.infer = infer;
    this.timeoutMs = call.timeout() > 0 ? call.timeout() : Long.MAX_VALUE;
  }

  static void register(GrpcServer server, Gate gate, ModelInferCall infer) {
    server.callHandler(Unary.<ModelInferRequest, ModelStreamInferResponse>method("ModelStreamInfer",
        ModelInferRequest.getDefaultInstance()), call -> {
      Call scoped = Call.open(call, gate.meters());
      ApiKey key;
      try {
        key = gate.admit(call, Scope.PREDICT, false);
      } catch (RuntimeException refused) {
        scoped.fail(refused);
        return;
      }
      new StreamInferCall(call, scoped, gate, key, infer).start();
    });
  }

  private void start() {
    call.handler(this::message);
    call.endHandler(v -> {
      halfClosed = true;
      endIfDone();
    });
    call.exceptionHandler(failure -> {
      // The client reset the stream or its connection closed: no one is left to answer.
      reset = true;
      scoped.cancelled();
    });
    call.response().exceptionHandler(failure -> reset = true);
    call.response().drainHandler(v -> resumeIfRoom());
  }

  private void message(ModelInferRequest q) {
    Future<ModelInferResponse> answer;
    long rows = 0;
    try {
      gate.take(call, key);
      answer = infer.infer(q, timeLeftMs(), CorrelationId.current());
      rows = Math.max(1, q.getInputs(0).getShape(0)); // checked by infer: at most a request's rows
    } catch (RuntimeException refused) {
      answer = Future.failedFuture(refused); // refused before scoring: nothing of it is held
    }
    long held = rows;
    inFlight++;
    inFlightRows += held;
    if (inFlight >= MAX_IN_FLIGHT || inFlightRows >= MAX_IN_FLIGHT_ROWS) {
      pause();
    }
    answer.onComplete(result -> {
      inFlight--;
      inFlightRows -= held;
      if (!reset) {
        call.response().write(result.succeeded()
            ? ModelStreamInferResponse.newBuilder().setInferResponse(result.result()).build()
            : failed(q, result.cause()));
      }
      resumeIfRoom();
      endIfDone();
    });
  }

  /** A message's failure, in band: its status and message, with its id to match it by. */
  private static ModelStreamInferResponse failed(ModelInferRequest q, Throwable cause) {
    return ModelStreamInferResponse.newBuilder()
        .setErrorMessage(Call.statusOf(cause).name() + ": " + Call.messageOf(cause))
        .setInferResponse(ModelInferResponse.newBuilder().setModelName(q.getModelName())
            .setModelVersion(q.getModelVersion()).setId(q.getId()))
        .build();
  }

  /** What is left of the call's {@code grpc-timeout}, for the next message; the server's cap applies besides. */
  private long timeLeftMs() {
    return timeoutMs == Long.MAX_VALUE ? timeoutMs : Math.max(1, timeoutMs - (System.currentTimeMillis() - started));
  }

  private void pause() {
    if (!paused) {
      paused = true;
      call.pause();
    }
  }

  private void resumeIfRoom() {
    if (call.response().writeQueueFull()) {
      pause(); // the client is not reading its answers: read no more of its messages until it does
    } else if (paused && inFlight < MAX_IN_FLIGHT && inFlightRows < MAX_IN_FLIGHT_ROWS) {
      paused = false;
      call.resume();
    }
  }

  private void endIfDone() {
    if (halfClosed && inFlight == 0 && !reset) {
      scoped.ok();
    }
  }
}
