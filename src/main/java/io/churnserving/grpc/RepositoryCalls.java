package io.churnserving.grpc;

import io.churnserving.config.ServerConfig;
import io.churnserving.grpc.proto.ModelRepositoryParameter;
import io.churnserving.grpc.proto.RepositoryIndexResponse;
import io.churnserving.grpc.proto.RepositoryModelLoadRequest;
import io.churnserving.grpc.proto.RepositoryModelLoadResponse;
import io.churnserving.grpc.proto.RepositoryModelUnloadRequest;
import io.churnserving.grpc.proto.RepositoryModelUnloadResponse;
import io.churnserving.oip.InferenceRequest;
import io.churnserving.oip.RepositoryRequests;
import io.churnserving.serving.ModelControl;
import io.churnserving.serving.VersionState;
import io.churnserving.serving.VersionStatus;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The repository extension over gRPC, as over REST: the index, and in the explicit control mode a model's load
 * (which may move its labels: parameter {@code labels}, a string holding the JSON object REST takes, such as
 * {@code {"stable": 2}}) and unload. {@code repository_name} is not looked at: there is one repository.
 */
final class RepositoryCalls {
  private final ModelControl control;
  private final ServerConfig.ControlMode mode;

  RepositoryCalls(ModelControl control, ServerConfig.ControlMode mode) {
    this.control = control;
    this.mode = mode;
  }

  RepositoryIndexResponse index(boolean readyOnly) {
    var answer = RepositoryIndexResponse.newBuilder();
    for (VersionStatus v : control.index()) {
      if (!readyOnly || v.state() == VersionState.READY) {
        answer.addModels(RepositoryIndexResponse.ModelIndex.newBuilder().setName(v.name()).setVersion(v.version())
            .setState(v.state().name()).setReason(v.reason() == null ? "" : v.reason()));
      }
    }
    return answer.build();
  }

  Future<RepositoryModelLoadResponse> load(RepositoryModelLoadRequest q) {
    RepositoryRequests.requireExplicit(mode);
    return control.load(q.getModelName(), labels(q.getParametersMap()))
        .map(v -> RepositoryModelLoadResponse.getDefaultInstance());
  }

  Future<RepositoryModelUnloadResponse> unload(RepositoryModelUnloadRequest q) {
    RepositoryRequests.requireExplicit(mode);
    return control.unload(q.getModelName()).map(v -> RepositoryModelUnloadResponse.getDefaultInstance());
  }

  private static Map<String, Long> labels(Map<String, ModelRepositoryParameter> parameters) {
    ModelRepositoryParameter given = parameters.get("labels");
    if (given == null) {
      return null;
    }
    if (!given.hasStringParam()) {
      throw InferenceRequest.bad("parameter 'labels' must be a string_param holding a JSON object of versions by "
          + "label, such as {\"stable\": 2}");
    }
    try {
      return RepositoryRequests.labels(new JsonObject(given.getStringParam()).getMap());
    } catch (DecodeException e) {
      throw InferenceRequest.bad("parameter 'labels' is not a JSON object: " + e.getMessage());
    }
  }
}
