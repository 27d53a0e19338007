package io.churnserving.bench;

import io.churnserving.grpc.proto.ModelStreamInferResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.Handler;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;

/**
 * What the gRPC drivers share: the methods of {@code inference.GRPCInferenceService} they call, the HTTP/2 client
 * under Vert.x's gRPC client, and how a call's status is counted.
 *
 * <p>Requests go out as they were encoded before the run ({@link OipBodies}), so the encoder is the identity; unary
 * answers are not decoded either, their status is what is counted. Stream answers are decoded with the generated
 * message, since the id inside says which message they answer.
 */
final class GrpcCalls {
  static final ServiceName SERVICE = ServiceName.create("inference", "GRPCInferenceService");
  static final ServiceMethod<Buffer, Buffer> MODEL_INFER = ServiceMethod.client(SERVICE, "ModelInfer",
      GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);
  static final ServiceMethod<ModelStreamInferResponse, Buffer> MODEL_STREAM_INFER = ServiceMethod.client(SERVICE,
      "ModelStreamInfer", GrpcMessageEncoder.IDENTITY,
      GrpcMessageDecoder.decoder(ModelStreamInferResponse.newBuilder()));
  /** An empty request: {@code ServerLiveRequest} has no field. Used to open the connections before the clock. */
  static final ServiceMethod<Buffer, Buffer> SERVER_LIVE = ServiceMethod.client(SERVICE, "ServerLive",
      GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);
  /** Metadata keys are lower case on the wire (HTTP/2). */
  static final String API_KEY = "x-api-key";
  /** A stream answer's {@code error_message} that does not start with a status name is counted under this one. */
  static final int STREAM_ERROR = 0;

  private GrpcCalls() {
  }

  /**
   * An HTTP/2 client (prior knowledge, no upgrade) of {@code connections} connections, each carrying one call at a
   * time: a unary call then waits on its own connection as an HTTP/1.1 request does, and a stream has a connection
   * to itself. Vert.x's pool would otherwise put every call on one connection.
   */
  static HttpClientAgent http(Vertx vertx, BenchOptions options, int connections, Handler<HttpConnection> opened) {
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
    return vertx.httpClientBuilder()
        .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
            .setHttp2MultiplexingLimit(1).setTcpNoDelay(true).setConnectTimeout(timeoutMillis))
        .with(new PoolOptions().setHttp2MaxSize(connections))
        .withConnectHandler(opened)
        .build();
  }

  /**
   * A stream answer's status, as {@link #httpStatus} counts it: 200 without {@code error_message}; else the status
   * the message starts with ({@code "RESOURCE_EXHAUSTED: ..."}, as this server writes it), or {@link #STREAM_ERROR}
   * when it names none (another server's wording).
   */
  static int streamStatus(String errorMessage) {
    if (errorMessage.isEmpty()) {
      return 200;
    }
    int colon = errorMessage.indexOf(':');
    try {
      return colon > 0 ? httpStatus(GrpcStatus.valueOf(errorMessage.substring(0, colon).trim())) : STREAM_ERROR;
    } catch (IllegalArgumentException e) {
      return STREAM_ERROR;
    }
  }

  /**
   * A gRPC status as the reports count answers, by the HTTP status the server's REST side gives for the same
   * failure: OK 200, INVALID_ARGUMENT 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404,
   * RESOURCE_EXHAUSTED 429, UNIMPLEMENTED 501, UNAVAILABLE 503, DEADLINE_EXCEEDED 504, any other 500.
   */
  static int httpStatus(GrpcStatus status) {
    return switch (status) {
      case OK -> 200;
      case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case RESOURCE_EXHAUSTED -> 429;
      case CANCELLED -> 499;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      default -> 500;
    };
  }
}
