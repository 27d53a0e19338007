package io.churnserving.grpc;

import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import io.churnserving.scoring.ScoringException;
import io.churnserving.security.Scope;
import io.churnserving.serving.ModelNotFound;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unary method of {@code inference.GRPCInferenceService}: the key checked from the call's metadata before its
 * message is read, the message decoded, the answer sent, and every failure turned into a gRPC status in this one
 * place (the gRPC counterpart of HTTP's problem handler).
 */
final class Unary {
  static final ServiceName SERVICE = ServiceName.create("inference", "GRPCInferenceService");
  private static final Logger LOG = LoggerFactory.getLogger(Unary.class);

  private Unary() {
  }

  /**
   * @param prototype the request message's default instance, which decodes it
   * @param scope     the scope the caller's key needs, or null for a method open to all (the probes)
   * @param body      the method; may throw or fail with {@link GrpcFailure}, {@link ModelNotFound} or a
   *                  {@link ScoringException}
   */
  static <Q extends Message, A extends MessageLite> void register(GrpcServer server, CallerKey keys, String method,
                                                                 Q prototype, Scope scope,
                                                                 Function<Q, Future<A>> body) {
    register(server, keys, method, prototype, scope, (q, timeoutMs) -> body.apply(q));
  }

  /** A method given the call's own deadline too. */
  interface Timed<Q, A> {
    /**
     * @param timeoutMs the {@code grpc-timeout} the client sent, or {@link Long#MAX_VALUE} when it sent none
     */
    Future<A> call(Q request, long timeoutMs);
  }

  static <Q extends Message, A extends MessageLite> void register(GrpcServer server, CallerKey keys, String method,
                                                                 Q prototype, Scope scope, Timed<Q, A> body) {
    ServiceMethod<Q, A> m = ServiceMethod.server(SERVICE, method, GrpcMessageEncoder.encoder(),
        GrpcMessageDecoder.decoder(prototype));
    server.callHandler(m, call -> {
      if (scope != null) {
        try {
          keys.require(call.headers(), scope);
        } catch (GrpcFailure refused) {
          fail(call, refused);
          return;
        }
      }
      long timeoutMs = call.timeout() > 0 ? call.timeout() : Long.MAX_VALUE;
      call.last().compose(q -> body.call(q, timeoutMs)).onComplete(answer -> {
        if (answer.succeeded()) {
          call.response().send(answer.result());
        } else {
          fail(call, answer.cause());
        }
      });
    });
  }

  static void fail(GrpcServerRequest<?, ?> call, Throwable cause) {
    GrpcStatus status = statusOf(cause);
    String message = cause.getMessage();
    if (status == GrpcStatus.INTERNAL) {
      LOG.atError().setCause(cause).addKeyValue("grpc_method", call.fullMethodName()).log("gRPC call failed");
      message = "Internal error";
    }
    call.response().status(status).statusMessage(message).end();
  }

  /** The status a failure answers with, as HTTP's status codes for the same failures. */
  static GrpcStatus statusOf(Throwable cause) {
    if (cause instanceof GrpcFailure f) {
      return f.status();
    }
    if (cause instanceof ModelNotFound) {
      return GrpcStatus.NOT_FOUND;
    }
    if (cause instanceof ScoringException.TimedOut) {
      return GrpcStatus.DEADLINE_EXCEEDED;
    }
    if (cause instanceof ScoringException) {
      // Unavailable model, overload and an open circuit: HTTP's 503s, all worth retrying later.
      return cause instanceof ScoringException.Failed ? GrpcStatus.INTERNAL : GrpcStatus.UNAVAILABLE;
    }
    return GrpcStatus.INTERNAL;
  }
}
