package io.churnserving.grpc;

import io.churnserving.config.ServerConfig;
import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.grpc.proto.ModelMetadataRequest;
import io.churnserving.grpc.proto.ModelReadyRequest;
import io.churnserving.grpc.proto.ModelReadyResponse;
import io.churnserving.grpc.proto.RepositoryIndexRequest;
import io.churnserving.grpc.proto.RepositoryModelLoadRequest;
import io.churnserving.grpc.proto.RepositoryModelUnloadRequest;
import io.churnserving.grpc.proto.ServerLiveRequest;
import io.churnserving.grpc.proto.ServerLiveResponse;
import io.churnserving.grpc.proto.ServerMetadataRequest;
import io.churnserving.grpc.proto.ServerMetadataResponse;
import io.churnserving.grpc.proto.ServerReadyRequest;
import io.churnserving.grpc.proto.ServerReadyResponse;
import io.churnserving.metrics.GrpcMeters;
import io.churnserving.observability.CorrelationId;
import io.churnserving.observability.Readiness;
import io.churnserving.oip.OpenInference;
import io.churnserving.ratelimit.RateLimiter;
import io.churnserving.scoring.ScoringException;
import io.churnserving.security.KeyRing;
import io.churnserving.security.Scope;
import io.churnserving.serving.ModelControl;
import io.churnserving.serving.PredictionService;
import io.churnserving.serving.ServedModels;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.function.Predicate;

/**
 * {@code inference.GRPCInferenceService} on Vert.x's gRPC server, every method of the published protocol plus
 * Triton's {@code ModelStreamInfer}. Open to all: ServerLive, ServerReady, ServerMetadata (as HTTP's probes and
 * {@code /version}). The {@code predict} scope: ModelReady, ModelMetadata, ModelInfer and ModelStreamInfer (the
 * inference calls rate-limited per key, as HTTP's prediction routes). The {@code admin} scope: RepositoryIndex,
 * RepositoryModelLoad, RepositoryModelUnload (as {@code /v2/repository/...}).
 */
public final class InferenceGrpc {

  /**
   * What the gRPC transport is given by the composition root.
   *
   * @param keys        the keys in force
   * @param limiter     per-key rate limits, shared with HTTP
   * @param readiness   the server's readiness, for ServerReady
   * @param predictions scores rows with a served version, on this event loop's scorer
   * @param control     the repository, for its index, loads and unloads
   * @param controlMode whether loads and unloads are allowed
   * @param oip         the protocol's documents and its reading of requests, shared with REST
   * @param meters      the calls' meters
   */
  public record Dependencies(KeyRing keys, RateLimiter limiter, Readiness readiness, PredictionService predictions,
                             ModelControl control, ServerConfig.ControlMode controlMode, OpenInference oip,
                             GrpcMeters meters) {
  }

  /**
   * The largest message a call may send. Every call is charged it against the HTTP layer's budget before its message
   * is read (Vert.x buffers a whole message), so it decides how many calls one connection may have open at once in its
   * share (`HTTP_CONNECTION_BUFFER_BYTES`, 4 MiB: about 30). Half of Vert.x's default 256 KiB, since the largest
   * request served, 1,000 rows, is about 36 KB raw and 35 KB as typed named columns.
   */
  public static final long MAX_MESSAGE_BYTES = 128 << 10;
  static final String TRANSPORT = "grpc";

  private InferenceGrpc() {
  }

  /** The gRPC server with every method of the service. */
  public static GrpcServer create(Vertx vertx, Dependencies deps) {
    GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(MAX_MESSAGE_BYTES));
    Gate gate = new Gate(new CallerKey(deps.keys()), deps.limiter(), deps.meters());
    JsonObject metadata = deps.oip().serverMetadata();
    var serverMetadata = ServerMetadataResponse.newBuilder().setName(metadata.getString("name"))
        .setVersion(metadata.getString("version"));
    metadata.getJsonArray("extensions").forEach(e -> serverMetadata.addExtensions((String) e));
    var serverMetadataAnswer = serverMetadata.build();
    Unary.register(server, gate, "ServerLive", ServerLiveRequest.getDefaultInstance(), null, false,
        (q, t) -> Future.succeededFuture(ServerLiveResponse.newBuilder().setLive(true).build()));
    Unary.register(server, gate, "ServerReady", ServerReadyRequest.getDefaultInstance(), null, false,
        (q, t) -> Future.succeededFuture(ServerReadyResponse.newBuilder().setReady(deps.readiness().isReady())
            .build()));
    Unary.register(server, gate, "ServerMetadata", ServerMetadataRequest.getDefaultInstance(), null, false,
        (q, t) -> Future.succeededFuture(serverMetadataAnswer));
    Unary.register(server, gate, "ModelReady", ModelReadyRequest.getDefaultInstance(), Scope.PREDICT, false,
        (q, t) -> Future.succeededFuture(ModelReadyResponse.newBuilder()
            .setReady(ready(deps.predictions().models(), q.getName(), q.getVersion())).build()));
    Unary.register(server, gate, "ModelMetadata", ModelMetadataRequest.getDefaultInstance(), Scope.PREDICT, false,
        (q, t) -> Future.succeededFuture(ModelMetadataReply.of(deps.oip(), deps.predictions().models(), q.getName(),
            q.getVersion())));
    var repository = new RepositoryCalls(deps.control(), deps.controlMode());
    Unary.register(server, gate, "RepositoryIndex", RepositoryIndexRequest.getDefaultInstance(), Scope.ADMIN, false,
        (q, t) -> Future.succeededFuture(repository.index(q.getReady())));
    Unary.register(server, gate, "RepositoryModelLoad", RepositoryModelLoadRequest.getDefaultInstance(), Scope.ADMIN,
        false, (q, t) -> repository.load(q));
    Unary.register(server, gate, "RepositoryModelUnload", RepositoryModelUnloadRequest.getDefaultInstance(),
        Scope.ADMIN, false, (q, t) -> repository.unload(q));
    var infer = new ModelInferCall(deps.oip(), deps.predictions(), TRANSPORT);
    Unary.register(server, gate, "ModelInfer", ModelInferRequest.getDefaultInstance(), Scope.PREDICT, true,
        (q, timeoutMs) -> infer.infer(q, timeoutMs, CorrelationId.current()));
    StreamInferCall.register(server, gate,
        new ModelInferCall(deps.oip(), deps.predictions(), StreamInferCall.TRANSPORT));
    return server;
  }

  /**
   * Gives gRPC calls to {@code grpc} and every other request to {@code rest}. A gRPC call is a POST whose content
   * type is {@code application/grpc} or one of its {@code +proto}/{@code -web} forms; no REST route takes that type.
   * A call goes to {@code grpc} only once {@code admit} has charged it to the HTTP layer's budget (it refuses the call
   * itself when it does not fit), since calls do not pass the route table's first handler.
   */
  public static Handler<HttpServerRequest> beside(GrpcServer grpc, Handler<HttpServerRequest> rest,
                                                  Predicate<HttpServerRequest> admit) {
    return request -> {
      String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
      if (request.method() == HttpMethod.POST && type != null && type.startsWith("application/grpc")) {
        if (admit.test(request)) {
          grpc.handle(request);
        }
      } else {
        rest.handle(request);
      }
    };
  }

  /** Ready when the version named (or the model's default) serves (and, clustered, has a scoring node); NOT_FOUND for a model or version not served. */
  private static boolean ready(ServedModels models, String model, String version) {
    try {
      // On an HTTP node of a cluster, a version is ready only while a live scoring node serves it.
      return models.resolve(model, version.isEmpty() ? null : version).scorers().reachable();
    } catch (ScoringException.ModelUnavailable e) {
      return false;
    }
  }
}
