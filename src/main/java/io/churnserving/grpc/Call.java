package io.churnserving.grpc;

import io.churnserving.errors.Problem;
import io.churnserving.errors.Problems;
import io.churnserving.metrics.GrpcMeters;
import io.churnserving.observability.RequestIdentity;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call, from its head to its status: the request ID and trace taken from its metadata ({@code x-request-id},
 * {@code traceparent}), bound to its context for the log lines and echoed in the answer's headers, as HTTP does;
 * its status sent once and measured by method and status; and every failure turned into a gRPC status in this one
 * place, the counterpart of HTTP's problem handler.
 */
final class Call {
  /** gRPC metadata names are lower case on the wire (HTTP/2 headers). */
  static final String RETRY_AFTER = "retry-after";
  private static final Logger LOG = LoggerFactory.getLogger(Call.class);

  private final GrpcServerRequest<?, ?> call;
  private final GrpcMeters meters;
  private final long started = System.nanoTime();
  private boolean ended;

  private Call(GrpcServerRequest<?, ?> call, GrpcMeters meters) {
    this.call = call;
    this.meters = meters;
  }

  /** Opens a call on its own (duplicated) context. */
  static Call open(GrpcServerRequest<?, ?> call, GrpcMeters meters) {
    RequestIdentity.bind(call.headers().get("x-request-id"), call.headers().get("traceparent"),
        (name, value) -> call.response().headers().set(name.toLowerCase(Locale.ROOT), value));
    return new Call(call, meters);
  }

  /** Ends the call with OK, after its answers. */
  void ok() {
    if (!ended) {
      ended = true;
      call.response().end();
      measure(GrpcStatus.OK);
    }
  }

  /** Sends a unary call's answer and OK. */
  <A> void answer(GrpcServerRequest<?, A> unary, A message) {
    if (!ended) {
      ended = true;
      unary.response().send(message);
      measure(GrpcStatus.OK);
    }
  }

  /** Ends the call with the status {@code cause} maps to. */
  void fail(Throwable cause) {
    if (ended) {
      return;
    }
    ended = true;
    GrpcStatus status = statusOf(cause);
    String message = messageOf(cause);
    if (status == GrpcStatus.INTERNAL) {
      LOG.atError().setCause(cause).addKeyValue("grpc_method", call.fullMethodName()).log("gRPC call failed");
    }
    long retryAfter = Problems.retryAfterSeconds(cause);
    if (retryAfter > 0) {
      call.response().trailers().set(RETRY_AFTER, Long.toString(retryAfter));
    }
    call.response().status(status).statusMessage(message).end();
    measure(status);
  }

  /** The client went away (reset its stream) before a status: measured as gRPC names it, CANCELLED. */
  void cancelled() {
    if (!ended) {
      ended = true;
      measure(GrpcStatus.CANCELLED);
    }
  }

  private void measure(GrpcStatus status) {
    meters.end(call.fullMethodName(), status.code, status.name(), System.nanoTime() - started);
  }

  /** The message a client is told: the problem's detail, as HTTP's; nothing of an internal error but that it happened. */
  static String messageOf(Throwable cause) {
    Problem problem = Problems.from(cause);
    return problem.status() == 500 ? "Internal error" : problem.detail();
  }

  /**
   * The status a failure answers with: the gRPC code for the HTTP status the same failure gets ({@link Problems}, the
   * one mapping), as gRPC's own HTTP mapping reads them and as Triton answers.
   */
  static GrpcStatus statusOf(Throwable cause) {
    return switch (Problems.from(cause).status()) {
      case 400, 422 -> GrpcStatus.INVALID_ARGUMENT;
      case 401 -> GrpcStatus.UNAUTHENTICATED;
      case 403 -> GrpcStatus.PERMISSION_DENIED;
      case 404 -> GrpcStatus.NOT_FOUND;
      case 409 -> GrpcStatus.FAILED_PRECONDITION;
      case 413, 429 -> GrpcStatus.RESOURCE_EXHAUSTED;
      case 503 -> GrpcStatus.UNAVAILABLE;
      case 504 -> GrpcStatus.DEADLINE_EXCEEDED;
      default -> GrpcStatus.INTERNAL;
    };
  }
}
