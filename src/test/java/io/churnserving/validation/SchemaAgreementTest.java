package io.churnserving.validation;

import io.churnserving.model.ModelLoader;
import io.churnserving.model.ModelMetadata;
import io.churnserving.support.Models;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The schema file is the one description of the shape: the compiled checker reads it, agrees with
 * vertx-json-schema on it, and follows it when it changes.
 */
class SchemaAgreementTest {
  static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri("app://").setOutputFormat(OutputFormat.Basic);

  final RequestValidator validator = Models.validator();

  static Object parse(String json) {
    return JsonBodyParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static JsonObject bundledSchema() {
    return Models.validator().instanceSchema();
  }

  /** Instances crossing good and bad values of every property. */
  static List<String> instanceSamples() {
    List<String> samples = new ArrayList<>();
    String[] tenures = {"1", "120", "0", "121", "24.0", "24.5", "\"24\"", "true", "null", "1e400", "[1]", null};
    String[] charges = {"0.01", "18", "1000", "0", "1000.5", "-3", "\"50\"", "false", "-1e400", null};
    String[] contracts = {"\"one_year\"", "\"weekly\"", "1", "null", null};
    String[] products = {"3", "9", "2.5", null};
    String[] services = {null, "\"Fiber\"", "\"Cable\"", "null"};
    for (String t : tenures) {
      for (String c : charges) {
        for (String k : contracts) {
          for (String p : products) {
            for (String s : services) {
              samples.add(object(new String[][] {{"tenure_months", t}, {"monthly_charges", c},
                  {"contract_type", k}, {"num_products", p}, {"internet_service", s}}));
            }
          }
        }
      }
    }
    samples.add("{\"tenure_months\": 1, \"monthly_charges\": 20, \"contract_type\": \"one_year\", "
        + "\"num_products\": 3, \"extra\": 1}");
    samples.add("{\"extra\": 1, \"tenure_months\": \"x\"}");
    samples.add("{}");
    return samples;
  }

  private static String object(String[][] fields) {
    StringBuilder out = new StringBuilder("{");
    for (String[] f : fields) {
      if (f[1] != null) {
        out.append(out.length() > 1 ? ", " : "").append('"').append(f[0]).append("\": ").append(f[1]);
      }
    }
    return out.append('}').toString();
  }

  /**
   * The places vertx-json-schema finds at fault, as JSON pointers. It names a missing property only in its
   * message, and also reports each failing declared property under additionalProperties, which is dropped here.
   *
   * @param declared the declared property names, by the depth of the object holding them
   */
  static Set<String> faultyProperties(OutputUnit result, Map<Integer, Set<String>> declared) {
    Set<String> names = new TreeSet<>();
    if (result.getErrors() == null) {
      return names;
    }
    for (OutputUnit unit : result.getErrors()) {
      String at = unit.getInstanceLocation().substring(1);
      String keyword = unit.getKeywordLocation();
      if (keyword.endsWith("/required")) {
        String error = unit.getError();
        names.add(at + "/" + error.substring(error.indexOf('"') + 1, error.lastIndexOf('"')));
      } else if (keyword.endsWith("/additionalProperties")) {
        int depth = at.split("/").length - 2;
        if (!declared.getOrDefault(depth, Set.of()).contains(at.substring(at.lastIndexOf('/') + 1))) {
          names.add(at);
        }
      } else if (!keyword.endsWith("/properties") && !keyword.endsWith("/items") && !keyword.endsWith("/$ref")) {
        names.add(at);
      }
    }
    return names;
  }

  /** The same, from the compiled checker's errors: the loc after "body", as a JSON pointer. */
  static Set<String> faultyProperties(List<FieldError> errors) {
    Set<String> names = new TreeSet<>();
    for (FieldError e : errors) {
      if (!e.type().equals("value_error")) { // the minimum plan is beyond the schema
        StringBuilder pointer = new StringBuilder();
        e.loc().subList(1, e.loc().size()).forEach(part -> pointer.append('/').append(part));
        names.add(pointer.toString());
      }
    }
    return names;
  }

  @Test
  void theCompiledCheckerAndVertxJsonSchemaFindTheSamePropertiesAtFault() {
    JsonObject schema = validator.instanceSchema();
    Map<Integer, Set<String>> declared = Map.of(0, schema.getJsonObject("properties").fieldNames());
    Validator reference = Validator.create(JsonSchema.of(schema), OPTIONS);
    List<String> samples = instanceSamples();
    assertThat(samples).hasSizeGreaterThan(2000);
    Set<String> seen = new TreeSet<>();
    int valid = 0;
    for (String sample : samples) {
      Object json = parse(sample);
      OutputUnit expected = reference.validate(json);
      List<FieldError> found = validator.validateInstance(json, RequestValidator.BODY).errors();
      assertThat(faultyProperties(found)).as(sample).isEqualTo(faultyProperties(expected, declared));
      assertThat(found.stream().allMatch(e -> e.type().equals("value_error"))).as(sample)
          .isEqualTo(expected.getValid());
      seen.addAll(faultyProperties(found));
      valid += expected.getValid() ? 1 : 0;
    }
    assertThat(seen).containsExactlyInAnyOrder("/tenure_months", "/monthly_charges", "/contract_type",
        "/num_products", "/internet_service", "/extra");
    assertThat(valid).isEqualTo(18);
  }

  @Test
  void theBatchSchemaAndTheBatchChecksAgree() {
    SchemaRepository repository = SchemaRepository.create(OPTIONS);
    repository.dereference(JsonSchema.of(validator.instanceSchema()));
    RequestValidator three = Models.validator(3);
    JsonSchema batchSchema = JsonSchema.of(three.batchSchema());
    repository.dereference(batchSchema);
    Validator reference = repository.validator(batchSchema);
    Map<Integer, Set<String>> declared = Map.of(0, Set.of("instances"),
        2, validator.instanceSchema().getJsonObject("properties").fieldNames());
    String ok = "{\"tenure_months\": 1, \"monthly_charges\": 20, \"contract_type\": \"one_year\", "
        + "\"num_products\": 3}";
    String bad = "{\"tenure_months\": 0, \"monthly_charges\": \"x\", \"contract_type\": \"one_year\", \"z\": 1}";
    List<String> samples = List.of("{\"instances\": [" + ok + "]}", "{\"instances\": [" + ok + "," + bad + "]}",
        "{\"instances\": [" + bad + ", 5, " + ok + "]}", "{\"instances\": []}",
        "{\"instances\": [" + ok + "," + ok + "," + ok + "]}", "{\"instances\": [" + ok + "," + ok + "," + ok + ","
            + ok + "]}", "{\"instances\": {}}", "{\"instances\": null}", "{}", "{\"instances\": [" + ok + "], "
            + "\"x\": 1}", "[]", "null");
    Set<String> seen = new TreeSet<>();
    for (String sample : samples) {
      Object json = parse(sample);
      OutputUnit expected = reference.validate(json);
      List<FieldError> found = three.validateBatch(json, RequestValidator.BODY).errors();
      assertThat(found.isEmpty()).as(sample).isEqualTo(expected.getValid());
      assertThat(faultyProperties(found)).as(sample).isEqualTo(faultyProperties(expected, declared));
      seen.addAll(faultyProperties(found));
    }
    assertThat(seen).containsExactlyInAnyOrder("", "/instances", "/x", "/instances/0/tenure_months",
        "/instances/0/monthly_charges", "/instances/0/num_products", "/instances/0/z", "/instances/1",
        "/instances/1/tenure_months", "/instances/1/monthly_charges", "/instances/1/num_products",
        "/instances/1/z");
  }

  @Test
  void theBatchSchemaReferencesTheInstanceSchemaAndCarriesTheConfiguredLimit() {
    JsonObject batch = Models.validator(250).batchSchema();
    JsonObject instances = batch.getJsonObject("properties").getJsonObject("instances");
    assertThat(instances.getInteger("maxItems")).isEqualTo(250);
    assertThat(instances.getInteger("minItems")).isEqualTo(1);
    assertThat(instances.getJsonObject("items").getString("$ref")).isEqualTo(bundledSchema().getString("$id"));
    assertThat(batch.getJsonArray("required")).containsExactly("instances");
    assertThat(batch.getBoolean("additionalProperties")).isFalse();
  }

  @Test
  void theSchemasOwnExampleIsValid() {
    JsonObject schema = bundledSchema();
    Object example = schema.getJsonArray("examples").getValue(0);
    assertThat(Validator.create(JsonSchema.of(schema), OPTIONS).validate(example).getValid()).isTrue();
    assertThat(validator.validateInstance(example, RequestValidator.BODY).orElseThrow().toJson())
        .isEqualTo(Models.churn(24, 79.5, "month-to-month", 2, "Fiber"));
  }

  @Test
  void changingTheSchemaChangesTheChecks() {
    JsonObject schema = bundledSchema();
    JsonObject properties = schema.getJsonObject("properties");
    properties.getJsonObject("tenure_months").put("maximum", 60);
    properties.getJsonObject("internet_service").put("enum", new JsonArray().add("DSL").add("Satellite"))
        .put("default", "Satellite");
    properties.getJsonObject("monthly_charges").remove("exclusiveMinimum");
    properties.getJsonObject("monthly_charges").put("minimum", 0.5);
    schema.put("required", new JsonArray().add("tenure_months").add("contract_type").add("num_products")
        .add("monthly_charges"));
    RequestValidator changed = RequestValidator.of(schema, 10);

    Map<String, Object> instance = Map.of("tenure_months", 61, "monthly_charges", 0.25,
        "contract_type", "one_year", "num_products", 1, "internet_service", "Fiber");
    assertThat(changed.validateInstance(instance, RequestValidator.BODY).errors()).extracting(FieldError::msg)
        .containsExactly("Input should be less than or equal to 60", "Input should be greater than or equal to 0.5",
            "Input should be 'DSL' or 'Satellite'");
    assertThat(changed.validateInstance(Map.of("tenure_months", 60, "monthly_charges", 20,
        "contract_type", "one_year", "num_products", 1), RequestValidator.BODY).orElseThrow().category("internet_service"))
        .isEqualTo("Satellite");
  }

  @Test
  void aSchemaTheCheckerCannotFullyEnforceFailsAtStart() {
    assertRefused(s -> s.getJsonObject("properties").getJsonObject("contract_type").put("minLength", 3),
        "minLength");
    assertRefused(s -> s.getJsonObject("properties").getJsonObject("num_products").put("multipleOf", 2),
        "multipleOf");
    assertRefused(s -> s.put("minProperties", 1), "minProperties");
    assertRefused(s -> s.put("additionalProperties", true), "additionalProperties");
    assertRefused(s -> s.getJsonObject("properties").getJsonObject("internet_service").put("default", "Cable"),
        "default breaks its own rule");
    assertRefused(s -> s.getJsonArray("required").add("churned"), "churned");
    assertRefused(s -> s.getJsonObject("properties").getJsonObject("monthly_charges").put("x-round-decimals", -1),
        "x-round-decimals");
    assertRefused(s -> s.getJsonObject("properties").getJsonObject("contract_type")
        .put("x-at-least", new JsonObject().put("value", 1).put("message", "m")), "x-at-least");
  }

  /** A schema that compiles but cannot feed the model's columns is refused when the version loads. */
  @Test
  void aSchemaThatDoesNotCoverTheModelsColumnsIsNamed() {
    ModelMetadata metadata = ModelLoader.readMetadata(Models.CHURN_V1);
    assertThat(RequestValidator.of(bundledSchema(), 10).uncovered(metadata)).isNull();
    assertUncovered(metadata, s -> {
      s.getJsonObject("properties").remove("num_products");
      s.getJsonArray("required").remove("num_products");
    }, "num_products");
    assertUncovered(metadata, s -> s.getJsonObject("properties").put("tenure_months",
        new JsonObject().put("type", "string")), "tenure_months");
    assertUncovered(metadata, s -> s.getJsonObject("properties").getJsonObject("internet_service").remove("default"),
        "internet_service");
    assertUncovered(metadata, s -> s.getJsonObject("properties").getJsonObject("contract_type")
        .put("enum", new JsonArray().add("one_year").add("two_year")), "month-to-month");
  }

  private static void assertUncovered(ModelMetadata metadata, java.util.function.Consumer<JsonObject> change,
                                      String mentioned) {
    JsonObject schema = bundledSchema();
    change.accept(schema);
    assertThat(RequestValidator.of(schema, 10).uncovered(metadata)).contains(mentioned);
  }

  private static void assertRefused(java.util.function.Consumer<JsonObject> change, String mentioned) {
    JsonObject schema = bundledSchema();
    change.accept(schema);
    assertThatThrownBy(() -> RequestValidator.of(schema, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(mentioned);
  }
}
