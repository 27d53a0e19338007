package io.churnserving.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled version folders, read as files, without the server: each one's {@code schema.json} covers the columns
 * its {@code metadata.json} encodes, the schema's example is valid against the schema, and its {@code model.onnx}
 * loads with DJL's ONNX Runtime engine and scores that example to a probability. The example is encoded here from
 * the metadata alone (one-hot {@code equals}, {@code (x - mean) / std}), as any server reading the folder must.
 */
class ModelVersionFilesTest {
  private static final Path MODELS = Path.of("models");
  private static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri("app://");

  /** Every version folder that holds a schema.json, as {@code <name>/<version>}. */
  static Stream<String> versionFolders() throws IOException {
    try (Stream<Path> files = Files.find(MODELS, 3, (p, a) -> p.getFileName().toString().equals("schema.json"))) {
      return files.map(p -> MODELS.relativize(p.getParent()).toString()).sorted().toList().stream();
    }
  }

  @Test
  void version2OfChurnIsBundled() throws IOException {
    assertThat(versionFolders()).contains("churn/2");
  }

  @ParameterizedTest
  @MethodSource("versionFolders")
  void metadataNamesTheFolder(String folder) throws IOException {
    JsonObject metadata = read(folder, "metadata.json");
    assertThat(metadata.getString("name") + "/" + metadata.getString("version")).isEqualTo(folder);
    JsonObject heldout = metadata.getJsonObject("training").getJsonObject("heldout");
    assertThat(heldout.getDouble("auc")).isBetween(0.5, 1.0);
    assertThat(heldout.getDouble("accuracy")).isBetween(0.5, 1.0);
  }

  @ParameterizedTest
  @MethodSource("versionFolders")
  void theSchemaCoversEveryColumnAndNamesNoUnusedField(String folder) throws IOException {
    JsonObject properties = read(folder, "schema.json").getJsonObject("properties");
    List<String> fields = new ArrayList<>();
    for (JsonObject column : columns(folder)) {
      String field = column.getString("field");
      fields.add(field);
      JsonObject property = properties.getJsonObject(field);
      assertThat(property).as("schema property for column %s", column.getString("name")).isNotNull();
      if (column.containsKey("equals")) {
        assertThat(property.getString("type")).isEqualTo("string");
        assertThat(property.getJsonArray("enum").getList()).as(field).contains(column.getString("equals"));
      } else {
        assertThat(property.getString("type")).as(field).isIn("number", "integer");
        assertThat(column.getDouble("std")).as(field).isPositive();
      }
    }
    // Each category of an enum needs its own one-hot column, or the model cannot tell it from the others.
    for (String field : properties.fieldNames()) {
      assertThat(fields).as("a column encodes " + field).contains(field);
      JsonArray levels = properties.getJsonObject(field).getJsonArray("enum");
      if (levels != null) {
        for (Object level : levels) {
          assertThat(columns(folder)).as(field + "=" + level)
              .anyMatch(c -> field.equals(c.getString("field")) && level.equals(c.getString("equals")));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("versionFolders")
  void theSchemaIsStrictAndItsExampleHoldsEveryRequiredField(String folder) throws IOException {
    JsonObject schema = read(folder, "schema.json");
    assertThat(schema.getString("$schema")).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.getString("type")).isEqualTo("object");
    assertThat(schema.getBoolean("additionalProperties")).isFalse();
    assertThat(schema.getJsonObject("properties").fieldNames())
        .containsAll(schema.getJsonArray("required").getList());
    JsonArray examples = schema.getJsonArray("examples");
    assertThat(examples).hasSize(1);
    JsonObject example = examples.getJsonObject(0);
    assertThat(example.fieldNames()).containsAll(schema.getJsonArray("required").getList());
    OutputUnit result = Validator.create(JsonSchema.of(schema), OPTIONS).validate(example);
    assertThat(result.getValid()).as("%s's example against its schema: %s", folder, result.getErrors()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("versionFolders")
  void theModelScoresTheSchemasExampleToAProbability(String folder) throws Exception {
    JsonObject example = read(folder, "schema.json").getJsonArray("examples").getJsonObject(0);
    double[] p = score(folder, example, example);
    assertThat(p[0]).isStrictlyBetween(0.0, 1.0);
    assertThat(p[1]).isEqualTo(p[0]);
  }

  /** Version 2 learnt what its generator put in: more support calls and an electronic check raise churn. */
  @Test
  void churn2LearntTheEffectsOfItsNewInputs() throws Exception {
    JsonObject schema = read("churn/2", "schema.json");
    assertThat(schema.getJsonArray("required").getList()).contains("support_calls", "payment_method");
    JsonObject base = schema.getJsonArray("examples").getJsonObject(0).copy();
    double[] byCalls = score("churn/2", base.copy().put("support_calls", 0), base.copy().put("support_calls", 10));
    assertThat(byCalls[1]).isGreaterThan(byCalls[0]);
    double[] byPayment = score("churn/2", base.copy().put("payment_method", "credit_card"),
        base.copy().put("payment_method", "electronic_check"));
    assertThat(byPayment[1]).isGreaterThan(byPayment[0]);
  }

  /** The positive label's probability for each of two instances, in one batch. */
  private static double[] score(String folder, JsonObject first, JsonObject second) throws Exception {
    JsonObject metadata = read(folder, "metadata.json");
    JsonObject properties = read(folder, "schema.json").getJsonObject("properties");
    List<JsonObject> columns = columns(folder);
    float[] rows = new float[2 * columns.size()];
    encode(first, columns, properties, rows, 0);
    encode(second, columns, properties, rows, columns.size());
    JsonObject output = metadata.getJsonObject("output");
    int positive = output.getJsonArray("labels").getList().indexOf(output.getString("positive_label"));
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optModelPath(MODELS.resolve(folder))
        .optModelName("model")
        .optEngine("OnnxRuntime")
        .optTranslator(new NoopTranslator())
        .optOption("intraOpNumThreads", "1")
        .build();
    try (ZooModel<NDList, NDList> model = criteria.loadModel();
         Predictor<NDList, NDList> predictor = model.newPredictor();
         NDManager manager = model.getNDManager().newSubManager()) {
      // ONNX Runtime refuses a row whose width differs from the model's input, so this also checks the width.
      NDList out = predictor.predict(new NDList(manager.create(rows, new Shape(2, columns.size()))));
      float[] probabilities = out.get(0).toFloatArray();
      int labels = output.getJsonArray("labels").size();
      assertThat(probabilities).hasSize(2 * labels);
      return new double[] {probabilities[positive], probabilities[labels + positive]};
    }
  }

  /** One row, as the metadata says: one-hot for categories, standardised numbers rounded as the schema says. */
  private static void encode(JsonObject instance, List<JsonObject> columns, JsonObject properties, float[] rows,
                             int offset) {
    for (int i = 0; i < columns.size(); i++) {
      JsonObject column = columns.get(i);
      String field = column.getString("field");
      JsonObject property = properties.getJsonObject(field);
      Object value = instance.containsKey(field) ? instance.getValue(field) : property.getValue("default");
      assertThat(value).as("%s in %s", field, instance).isNotNull();
      if (column.containsKey("equals")) {
        rows[offset + i] = column.getString("equals").equals(value) ? 1 : 0;
      } else {
        double x = ((Number) value).doubleValue();
        Integer decimals = property.getInteger("x-round-decimals");
        if (decimals != null) {
          x = new BigDecimal(x).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
        }
        rows[offset + i] = (float) ((x - column.getDouble("mean")) / column.getDouble("std"));
      }
    }
  }

  private static List<JsonObject> columns(String folder) throws IOException {
    JsonArray columns = read(folder, "metadata.json").getJsonObject("input").getJsonArray("columns");
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      out.add(columns.getJsonObject(i));
    }
    return out;
  }

  private static JsonObject read(String folder, String file) throws IOException {
    return new JsonObject(Files.readString(MODELS.resolve(folder).resolve(file)));
  }
}
