package io.churnserving.model;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loads a model version directory ({@code metadata.json} + the ONNX file it names) through DJL's ONNX Runtime
 * engine, checks that metadata and model agree, and runs one warm-up inference. Blocking: call it off the event loop.
 */
public final class ModelLoader {
  /** The metadata file in a model version directory. */
  public static final String METADATA_FILE = "metadata.json";
  /** The request schema of one instance, in a model version directory. */
  public static final String SCHEMA_FILE = "schema.json";

  private ModelLoader() {
  }

  /**
   * Loads the model in {@code versionDir} and warms it up on the rows given, checking that every output is a
   * probability: finite, in [0, 1].
   *
   * @param metadata       the version's metadata, from {@link #readMetadata}
   * @param intraOpThreads ONNX Runtime threads per inference call
   * @param warmRows       rows like those the version will score (drawn from its schema), at least one
   * @throws ModelLoadException naming the file at fault
   */
  public static ChurnModel load(Path versionDir, ModelMetadata metadata, int intraOpThreads,
                                List<? extends FeatureRow> warmRows) {
    long started = System.nanoTime();
    Path onnx = versionDir.resolve(metadata.file());
    if (!Files.isRegularFile(onnx)) {
      throw new ModelLoadException("model file not found: " + shown(onnx));
    }
    int positive = metadata.output().labels().indexOf(metadata.output().positiveLabel());
    ZooModel<FeatureMatrix, float[]> zoo;
    try {
      zoo = Criteria.builder()
          .setTypes(FeatureMatrix.class, float[].class)
          .optModelPath(versionDir)
          .optModelName(stripSuffix(metadata.file()))
          .optEngine("OnnxRuntime")
          .optTranslator(new ProbabilityTranslator(positive, metadata.output().labels().size()))
          .optOption("intraOpNumThreads", Integer.toString(intraOpThreads))
          .optOption("interOpNumThreads", "1")
          .build()
          .loadModel();
    } catch (Exception | UnsatisfiedLinkError e) {
      throw new ModelLoadException("model file is not a valid ONNX model: " + onnx + " (" + rootMessage(e) + ")", e);
    }
    try {
      checkInputWidth(zoo, metadata, onnx);
      warmUp(zoo, metadata, onnx, warmRows);
      return new ChurnModel(zoo, metadata, versionDir, (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException e) {
      zoo.close();
      throw e instanceof ModelLoadException ? e
          : new ModelLoadException("model " + onnx + " failed its warm-up inference (" + rootMessage(e) + ")", e);
    }
  }

  /**
   * Reads and checks {@code metadata.json} alone, without loading the model.
   *
   * @throws ModelLoadException naming the file at fault
   */
  public static ModelMetadata readMetadata(Path versionDir) {
    Path file = versionDir.resolve(METADATA_FILE);
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException("model metadata not found: " + shown(file));
    }
    ModelMetadata metadata;
    try {
      metadata = new ObjectMapper().readValue(file.toFile(), ModelMetadata.class);
    } catch (JsonProcessingException e) {
      // Jackson's own message gives the place only on a later line; say it first.
      var at = e.getLocation();
      throw new ModelLoadException("model metadata " + file + " is not valid JSON"
          + (at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
          + ": " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ModelLoadException("model metadata " + file + " cannot be read: " + firstLine(e.getMessage()));
    }
    String problem = problemWith(metadata);
    if (problem != null) {
      throw new ModelLoadException("model metadata " + file + " is invalid: " + problem);
    }
    return metadata;
  }

  /** A path as given, and where that is when it is relative: the working directory is rarely what one expects. */
  private static String shown(Path path) {
    return path.isAbsolute() ? path.toString() : path + " (" + path.toAbsolutePath().normalize() + ")";
  }

  /** The first thing wrong with the metadata, or null. */
  private static String problemWith(ModelMetadata m) {
    if (m.name() == null || m.version() == null || m.file() == null) {
      return "name, version and file are required";
    }
    if (m.input() == null || m.input().columns() == null || m.input().columns().isEmpty()) {
      return "input.columns must list the model's input columns";
    }
    for (ModelMetadata.Column c : m.input().columns()) {
      if (c.field() == null) {
        return "column " + c.name() + " has no field";
      }
      if (!c.oneHot() && (c.mean() == null || c.std() == null || !(c.std() > 0))) {
        return "numeric column " + c.name() + " needs mean and a positive std";
      }
    }
    if (m.output() == null || m.output().labels() == null || !m.output().labels().contains(m.output().positiveLabel())) {
      return "output.labels must contain output.positive_label";
    }
    if (m.thresholds() == null || m.thresholds().riskTiers() == null
        || !(m.thresholds().riskTiers().medium() <= m.thresholds().riskTiers().high())) {
      return "thresholds.churn_prediction and thresholds.risk_tiers {medium <= high} are required";
    }
    Map<String, String> texts = m.recommendations();
    if (texts == null || !texts.keySet().containsAll(List.of("low", "medium", "high"))) {
      return "recommendations must have low, medium and high";
    }
    return null;
  }

  private static void checkInputWidth(ZooModel<?, ?> zoo, ModelMetadata metadata, Path onnx) {
    if (zoo.describeInput() == null || zoo.describeInput().isEmpty()) {
      return;
    }
    Shape shape = zoo.describeInput().get(0).getValue();
    if (shape == null) {
      return; // the engine does not say; a wrong width then fails the warm-up inference instead
    }
    long width = shape.get(shape.dimension() - 1);
    if (width > 0 && width != metadata.input().columns().size()) {
      throw new ModelLoadException("model " + onnx + " takes " + width + " input columns but its metadata lists "
          + metadata.input().columns().size());
    }
  }

  /**
   * One inference on rows drawn from the version's schema, so the first request pays no set-up, and a model whose
   * outputs are not probabilities never serves.
   */
  private static void warmUp(ZooModel<FeatureMatrix, float[]> zoo, ModelMetadata metadata, Path onnx,
                             List<? extends FeatureRow> rows) {
    FeatureEncoder encoder = new FeatureEncoder(metadata.input().columns());
    try (Predictor<FeatureMatrix, float[]> predictor = zoo.newPredictor()) {
      float[] out = predictor.predict(new FeatureMatrix(encoder.encode(rows), rows.size(), encoder.width()));
      for (float p : out) {
        if (!(p >= 0 && p <= 1)) {
          throw new ModelLoadException("model " + onnx + " gave " + p + " at warm-up, which is not a probability "
              + "in [0, 1]");
        }
      }
    } catch (TranslateException e) {
      throw new ModelLoadException("model " + onnx + " failed its warm-up inference (" + rootMessage(e) + ")", e);
    }
  }

  private static String stripSuffix(String file) {
    return file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return firstLine(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
