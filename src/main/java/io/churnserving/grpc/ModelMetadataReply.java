package io.churnserving.grpc;

import io.churnserving.grpc.proto.ModelMetadataResponse;
import io.churnserving.grpc.proto.ModelMetadataResponse.TensorMetadata;
import io.churnserving.oip.OpenInference;
import io.churnserving.serving.ServedModels;
import io.churnserving.serving.ServedVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * ModelMetadata's answer: the document REST's {@code GET /v2/models/{model}} answers ({@link OpenInference}, read
 * from the version's own files), as its message.
 */
final class ModelMetadataReply {
  private ModelMetadataReply() {
  }

  /**
   * @param version a version number or label, or empty for the model's default version
   * @throws io.churnserving.serving.ModelNotFound when the model or version is not served
   */
  static ModelMetadataResponse of(OpenInference oip, ServedModels models, String name, String version) {
    ServedVersion served = models.resolve(name, version.isEmpty() ? null : version);
    JsonObject metadata = oip.modelMetadata(models.model(name), served);
    var answer = ModelMetadataResponse.newBuilder().setName(metadata.getString("name"))
        .setPlatform(metadata.getString("platform"));
    metadata.getJsonArray("versions").forEach(v -> answer.addVersions((String) v));
    metadata.getJsonArray("inputs").forEach(t -> answer.addInputs(tensor((JsonObject) t)));
    metadata.getJsonArray("outputs").forEach(t -> answer.addOutputs(tensor((JsonObject) t)));
    return answer.build();
  }

  private static TensorMetadata tensor(JsonObject t) {
    var tensor = TensorMetadata.newBuilder().setName(t.getString("name")).setDatatype(t.getString("datatype"));
    JsonArray shape = t.getJsonArray("shape");
    for (int d = 0; d < shape.size(); d++) {
      tensor.addShape(shape.getLong(d));
    }
    return tensor.build();
  }
}
