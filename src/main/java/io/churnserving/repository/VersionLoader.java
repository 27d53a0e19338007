package io.churnserving.repository;

import io.churnserving.model.ChurnModel;
import io.churnserving.model.ModelLoadException;
import io.churnserving.model.ModelLoader;
import io.churnserving.model.ModelMetadata;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads one version folder and checks it before anything serves it: the metadata is complete, the schema compiles,
 * the schema covers every input column the metadata lists, the ONNX model takes that many columns, and a warm-up
 * on rows drawn from the schema gives probabilities. Any failure is a {@link ModelLoadException} naming the file
 * and what is wrong. Blocking: call it off the event loop.
 */
public final class VersionLoader {
  /** Rows the warm-up scores: enough to touch every category of a small schema, cheap for any. */
  static final int WARM_UP_ROWS = 32;

  private VersionLoader() {
  }

  /**
   * @param versionDir     the version folder
   * @param maxInstances   most instances one batch request may hold
   * @param intraOpThreads ONNX Runtime threads per inference call
   */
  public static ModelVersion load(Path versionDir, int maxInstances, int intraOpThreads) {
    ModelMetadata metadata = ModelLoader.readMetadata(versionDir);
    RequestValidator validator = checked(versionDir, metadata, maxInstances);
    ChurnModel model = ModelLoader.load(versionDir, metadata, intraOpThreads, validator.samples(WARM_UP_ROWS));
    return new ModelVersion(model, validator);
  }

  /**
   * The same checks of the metadata and schema as {@link #load}, without loading the ONNX model: what an HTTP node
   * holds to validate requests, encode rows and make answers, while scoring nodes run the model itself.
   */
  public static ModelVersion describe(Path versionDir, int maxInstances) {
    ModelMetadata metadata = ModelLoader.readMetadata(versionDir);
    RequestValidator validator = checked(versionDir, metadata, maxInstances);
    return new ModelVersion(ChurnModel.described(metadata, versionDir.toAbsolutePath().normalize()), validator);
  }

  private static RequestValidator checked(Path versionDir, ModelMetadata metadata, int maxInstances) {
    Path folder = versionDir.toAbsolutePath().normalize();
    if (folder.getParent() != null && (!metadata.version().equals(folder.getFileName().toString())
        || !metadata.name().equals(folder.getParent().getFileName().toString()))) {
      // Answers, meters and events are labelled with the metadata's name and version; routes with the folders'.
      throw new ModelLoadException("model metadata " + versionDir.resolve(ModelLoader.METADATA_FILE) + " says "
          + metadata.name() + " version " + metadata.version() + " but lives in the folder "
          + folder.getParent().getFileName() + "/" + folder.getFileName());
    }
    RequestValidator validator = readSchema(versionDir, maxInstances);
    String uncovered = validator.uncovered(metadata);
    if (uncovered != null) {
      throw new ModelLoadException("model schema " + versionDir.resolve(ModelLoader.SCHEMA_FILE)
          + " does not cover the input columns of " + ModelLoader.METADATA_FILE + ": " + uncovered);
    }
    return validator;
  }

  private static RequestValidator readSchema(Path versionDir, int maxInstances) {
    Path file = versionDir.resolve(ModelLoader.SCHEMA_FILE);
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException("model schema not found: " + file.toAbsolutePath().normalize());
    }
    try {
      return RequestValidator.of(new JsonObject(Files.readString(file)), maxInstances);
    } catch (IOException e) {
      throw new ModelLoadException("model schema " + file + " cannot be read: " + e.getMessage());
    } catch (DecodeException | ClassCastException e) {
      throw new ModelLoadException("model schema " + file + " is not a JSON object: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException("model schema " + file + " is not supported: " + e.getMessage());
    }
  }
}
