package io.churnserving.grpc;

import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import io.churnserving.security.Scope;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;

/**
 * One unary method of {@code inference.GRPCInferenceService}: the call opened ({@link Call}), the key checked from
 * its metadata before its message is read, the message decoded, the method run, and its answer or its failure sent.
 */
final class Unary {
  static final ServiceName SERVICE = ServiceName.create("inference", "GRPCInferenceService");

  private Unary() {
  }

  /** A method, given its request and the call's own deadline. */
  interface Body<Q, A> {
    /**
     * @param timeoutMs the {@code grpc-timeout} the client sent, or {@link Long#MAX_VALUE} when it sent none
     * @return the answer; may throw, or fail, with any failure {@link Call#statusOf} maps
     */
    Future<A> call(Q request, long timeoutMs);
  }

  /**
   * @param prototype the request message's default instance, which decodes it
   * @param scope     the scope the caller's key needs, or null for a method open to all (the probes)
   * @param limited   whether the call takes a token from its key's rate limit, as HTTP's prediction routes do
   */
  static <Q extends Message, A extends MessageLite> void register(GrpcServer server, Gate gate, String method,
                                                                 Q prototype, Scope scope, boolean limited,
                                                                 Body<Q, A> body) {
    server.callHandler(Unary.<Q, A>method(method, prototype), call -> {
      Call scoped = Call.open(call, gate.meters());
      try {
        if (scope != null) {
          gate.admit(call, scope, limited);
        }
      } catch (RuntimeException refused) {
        scoped.fail(refused);
        return;
      }
      long timeoutMs = call.timeout() > 0 ? call.timeout() : Long.MAX_VALUE;
      call.last().compose(q -> body.call(q, timeoutMs)).onComplete(answer -> {
        if (answer.succeeded()) {
          scoped.answer(call, answer.result());
        } else {
          scoped.fail(answer.cause());
        }
      });
    });
  }

  /** A method of the service, its messages protobuf's binary encoding. */
  static <Q extends Message, A extends MessageLite> ServiceMethod<Q, A> method(String name, Q prototype) {
    return ServiceMethod.server(SERVICE, name, GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(prototype));
  }
}
