package io.churnserving.grpc;

import io.churnserving.grpc.proto.ModelMetadataResponse;
import io.churnserving.grpc.proto.ModelMetadataResponse.TensorMetadata;
import io.churnserving.model.ModelMetadata;
import io.churnserving.serving.ServedModel;
import io.churnserving.serving.ServedModels;
import io.churnserving.serving.ServedVersion;
import io.vertx.core.json.JsonObject;

/**
 * ModelMetadata's answer, read from the version's own files: one input per field of its {@code schema.json} (the
 * named-columns form, each a column of N rows) and its ONNX input (the raw form, FP32 {@code [N, F]}, features
 * already encoded); as outputs, the model's probabilities and the three answers derived from them.
 */
final class ModelMetadataReply {
  /** The Open Inference Protocol's name for an ONNX model. */
  static final String PLATFORM = "onnx_onnxv1";
  private static final long ROWS = -1;

  private ModelMetadataReply() {
  }

  /**
   * @param version a version number or label, or empty for the model's default version
   * @throws io.churnserving.serving.ModelNotFound when the model or version is not served
   */
  static ModelMetadataResponse of(ServedModels models, String name, String version) {
    ServedVersion served = models.resolve(name, version.isEmpty() ? null : version);
    ServedModel model = models.model(name);
    var answer = ModelMetadataResponse.newBuilder().setName(name).setPlatform(PLATFORM);
    model.versions().keySet().forEach(v -> answer.addVersions(Long.toString(v)));
    JsonObject properties = served.model().instanceSchema().getJsonObject("properties");
    for (String field : properties.fieldNames()) {
      answer.addInputs(tensor(field, datatype(properties.getJsonObject(field)), ROWS));
    }
    ModelMetadata metadata = served.model().metadata();
    answer.addInputs(tensor(metadata.input().tensor(), "FP32", ROWS, metadata.input().columns().size()));
    answer.addOutputs(tensor("probabilities", "FP32", ROWS, metadata.output().labels().size()))
        .addOutputs(tensor("churn_probability", "FP32", ROWS))
        .addOutputs(tensor("churn_prediction", "BOOL", ROWS))
        .addOutputs(tensor("risk_tier", "BYTES", ROWS));
    return answer.build();
  }

  /** The tensor type a schema field arrives as: integers INT64, numbers FP64, strings and enums BYTES. */
  static String datatype(JsonObject field) {
    Object type = field.getValue("type");
    if ("integer".equals(type)) {
      return "INT64";
    }
    if ("number".equals(type)) {
      return "FP64";
    }
    if ("boolean".equals(type)) {
      return "BOOL";
    }
    return "BYTES";
  }

  private static TensorMetadata tensor(String name, String datatype, long... shape) {
    var t = TensorMetadata.newBuilder().setName(name).setDatatype(datatype);
    for (long d : shape) {
      t.addShape(d);
    }
    return t.build();
  }
}
