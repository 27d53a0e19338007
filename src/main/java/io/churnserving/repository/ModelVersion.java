package io.churnserving.repository;

import io.churnserving.model.ChurnModel;
import io.churnserving.model.ModelMetadata;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.json.JsonObject;

/**
 * One loaded model version: its ONNX model with what its metadata says, and the validator compiled from its own
 * schema. Everything a transport needs to take requests for it.
 *
 * @param model     the loaded, warmed model
 * @param validator the version's requests' validator
 */
public record ModelVersion(ChurnModel model, RequestValidator validator) {

  public String name() {
    return model.name();
  }

  public String version() {
    return model.version();
  }

  public ModelMetadata metadata() {
    return model.metadata();
  }

  /** The version's instance schema, as written in its {@code schema.json}. */
  public JsonObject instanceSchema() {
    return validator.instanceSchema();
  }
}
