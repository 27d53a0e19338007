package io.churnserving.support;

import io.churnserving.model.ChurnModel;
import io.churnserving.repository.VersionLoader;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bundled model versions, read from the repository's own {@code models} folder as the server reads them. */
public final class Models {
  /** Churn version 1, the default. */
  public static final Path CHURN_V1 = Path.of("models/churn/1");

  private Models() {
  }

  /** Version 1's instance schema, as written. */
  public static JsonObject schema() {
    try {
      return new JsonObject(Files.readString(CHURN_V1.resolve("schema.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A validator for version 1's schema with the default batch limit. */
  public static RequestValidator validator() {
    return validator(1000);
  }

  /** A validator for version 1's schema. */
  public static RequestValidator validator(int maxInstances) {
    return RequestValidator.of(schema(), maxInstances);
  }

  /** Version 1 loaded, checked and warmed as the server loads it; close it after. */
  public static ChurnModel load() {
    return VersionLoader.load(CHURN_V1, 1000, 1).model();
  }

  /** A valid version 1 instance as the validator gives it back: integers as longs, fields in schema order. */
  public static JsonObject churn(long tenureMonths, double monthlyCharges, String contractType, long numProducts,
                                 String internetService) {
    return new JsonObject().put("tenure_months", tenureMonths).put("monthly_charges", monthlyCharges)
        .put("contract_type", contractType).put("num_products", numProducts)
        .put("internet_service", internetService);
  }

  /**
   * Version {@code v} of churn in the repository {@code repo}: a copy of the bundled version 1, renumbered, so every
   * version takes the same body.
   */
  public static void copyOfV1(java.nio.file.Path repo, long v) throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Files.createDirectories(repo.resolve("churn/" + v));
    java.nio.file.Files.copy(CHURN_V1.resolve("model.onnx"), dir.resolve("model.onnx"));
    java.nio.file.Files.copy(CHURN_V1.resolve("schema.json"), dir.resolve("schema.json"));
    java.nio.file.Files.writeString(dir.resolve("metadata.json"), java.nio.file.Files.readString(
        CHURN_V1.resolve("metadata.json")).replace("\"version\" : \"1\"", "\"version\" : \"" + v + "\""));
  }
}
