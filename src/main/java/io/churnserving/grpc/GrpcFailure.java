package io.churnserving.grpc;

import io.vertx.grpc.common.GrpcStatus;

/** A call refused with a gRPC status and a message for the client; turned into the answer in {@link Unary}. */
final class GrpcFailure extends RuntimeException {
  private final GrpcStatus status;

  GrpcFailure(GrpcStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  GrpcStatus status() {
    return status;
  }
}
