package io.churnserving.grpc;

import io.churnserving.apidocs.ServerVersion;
import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.grpc.proto.ModelMetadataRequest;
import io.churnserving.grpc.proto.ModelReadyRequest;
import io.churnserving.grpc.proto.ModelReadyResponse;
import io.churnserving.grpc.proto.RepositoryIndexRequest;
import io.churnserving.grpc.proto.RepositoryIndexResponse;
import io.churnserving.grpc.proto.ServerLiveRequest;
import io.churnserving.grpc.proto.ServerLiveResponse;
import io.churnserving.grpc.proto.ServerMetadataRequest;
import io.churnserving.grpc.proto.ServerMetadataResponse;
import io.churnserving.grpc.proto.ServerReadyRequest;
import io.churnserving.grpc.proto.ServerReadyResponse;
import io.churnserving.observability.Readiness;
import io.churnserving.scoring.ScoringException;
import io.churnserving.security.KeyRing;
import io.churnserving.security.Scope;
import io.churnserving.serving.ModelControl;
import io.churnserving.serving.PredictionService;
import io.churnserving.serving.ServedModels;
import io.churnserving.serving.VersionState;
import io.churnserving.serving.VersionStatus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.function.Predicate;

/**
 * {@code inference.GRPCInferenceService} on Vert.x's gRPC server. Served: ServerLive, ServerReady, ServerMetadata
 * (open, as HTTP's probes and {@code /version}), ModelReady, ModelMetadata (the {@code predict} scope, as
 * {@code /v1/models}), ModelInfer with typed contents in the named-columns form (the {@code predict} scope),
 * RepositoryIndex (the {@code admin} scope, as {@code /v2/repository/index}). The other methods of the service
 * answer UNIMPLEMENTED, by the gRPC server itself.
 */
public final class InferenceGrpc {

  /**
   * What the gRPC transport is given by the composition root.
   *
   * @param keys      the keys in force
   * @param readiness the server's readiness, for ServerReady
   * @param predictions scores rows with a served version, on this event loop's scorer
   * @param control   the repository, for its index
   * @param server    the server's name and version, for ServerMetadata
   */
  public record Dependencies(KeyRing keys, Readiness readiness, PredictionService predictions, ModelControl control,
                             ServerVersion server) {
  }

  /**
   * The largest message a call may send: Vert.x's own default, written out because every call is charged it, before
   * its message is read, against the HTTP layer's budget.
   */
  public static final long MAX_MESSAGE_BYTES = 256 << 10;

  /** The extensions of the protocol this server serves (over REST; over gRPC only RepositoryIndex so far). */
  static final String REPOSITORY_EXTENSION = "model_repository";

  private InferenceGrpc() {
  }

  /** The gRPC server with every method this transport serves. */
  public static GrpcServer create(Vertx vertx, Dependencies deps) {
    GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(MAX_MESSAGE_BYTES));
    CallerKey keys = new CallerKey(deps.keys());
    Unary.register(server, keys, "ServerLive", ServerLiveRequest.getDefaultInstance(), null,
        q -> Future.succeededFuture(ServerLiveResponse.newBuilder().setLive(true).build()));
    Unary.register(server, keys, "ServerReady", ServerReadyRequest.getDefaultInstance(), null,
        q -> Future.succeededFuture(ServerReadyResponse.newBuilder().setReady(deps.readiness().isReady()).build()));
    Unary.register(server, keys, "ServerMetadata", ServerMetadataRequest.getDefaultInstance(), null,
        q -> Future.succeededFuture(ServerMetadataResponse.newBuilder().setName(deps.server().name())
            .setVersion(deps.server().version()).addExtensions(REPOSITORY_EXTENSION).build()));
    Unary.register(server, keys, "ModelReady", ModelReadyRequest.getDefaultInstance(), Scope.PREDICT,
        q -> Future.succeededFuture(ModelReadyResponse.newBuilder()
            .setReady(ready(deps.predictions().models(), q.getName(), q.getVersion())).build()));
    Unary.register(server, keys, "ModelMetadata", ModelMetadataRequest.getDefaultInstance(), Scope.PREDICT,
        q -> Future.succeededFuture(ModelMetadataReply.of(deps.predictions().models(), q.getName(), q.getVersion())));
    Unary.register(server, keys, "RepositoryIndex", RepositoryIndexRequest.getDefaultInstance(), Scope.ADMIN,
        q -> Future.succeededFuture(index(deps.control(), q.getReady())));
    Unary.register(server, keys, "ModelInfer", ModelInferRequest.getDefaultInstance(), Scope.PREDICT,
        (ModelInferRequest q, long timeoutMs) -> ModelInferCall.infer(deps.predictions(), q, timeoutMs));
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

  /** Ready when the version named (or the model's default) serves; NOT_FOUND for a model or version not served. */
  private static boolean ready(ServedModels models, String model, String version) {
    try {
      models.resolve(model, version.isEmpty() ? null : version);
      return true;
    } catch (ScoringException.ModelUnavailable e) {
      return false;
    }
  }

  /** The one repository's index; {@code repository_name} is not looked at, since there is only one. */
  private static RepositoryIndexResponse index(ModelControl control, boolean readyOnly) {
    var answer = RepositoryIndexResponse.newBuilder();
    for (VersionStatus v : control.index()) {
      if (readyOnly && v.state() != VersionState.READY) {
        continue;
      }
      answer.addModels(RepositoryIndexResponse.ModelIndex.newBuilder().setName(v.name()).setVersion(v.version())
          .setState(v.state().name()).setReason(v.reason() == null ? "" : v.reason()));
    }
    return answer.build();
  }
}
