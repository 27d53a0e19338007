package io.churnserving.validation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.churnserving.model.ModelMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Validates a model version's requests for every transport: one instance, or a batch {@code {"instances": [...]}},
 * reporting every field at fault at once, as FastAPI with Pydantic v2 does.
 *
 * <p>The instance's shape comes from the version's own {@code schema.json}, compiled at construction; the batch's
 * is built around it ({@link #batchSchema()}). Rules a schema cannot say are written in the same file and checked
 * with it, at the field's place in the error list: {@code x-at-least} (churn's minimum plan of $18 is a
 * {@code value_error}) and {@code x-round-decimals} (churn's charges are rounded to cents, half-even on the exact
 * binary value as Python's {@code round(v, 2)} does: 79.555 is stored as 79.55500000000000682… so becomes 79.56;
 * 2.675 is 2.67499999… so becomes 2.67). An absent optional property takes the schema's default.
 *
 * <p>Inputs may be what {@link JsonBodyParser} gives (Map, List) or Vert.x's {@link JsonObject} and
 * {@link JsonArray}, at any depth. Errors come in a stable order: the schema's properties in order, then unknown
 * keys; in a batch, the items in order, then unknown top-level keys; at most {@value #MAX_ERRORS}, the first ones.
 *
 * <p>Thread-safe and immutable. Build it once per model version, when the version loads.
 */
public final class RequestValidator {
  /** Default for the most instances a batch may hold. */
  public static final int DEFAULT_MAX_INSTANCES = 1000;
  /** Most field errors reported for one request, so a huge invalid batch cannot make a huge answer. */
  public static final int MAX_ERRORS = 100;
  /** The loc root of an HTTP body. */
  public static final List<Object> BODY = List.of("body");
  /** The batch's one property. */
  public static final String INSTANCES = "instances";

  private final InstanceSchema schema;
  private final FastBodyReader fast;
  private final int maxInstances;

  private RequestValidator(JsonObject instanceSchema, int maxInstances) {
    if (maxInstances < 1) {
      throw new IllegalArgumentException("maxInstances must be at least 1, not " + maxInstances);
    }
    this.schema = InstanceSchema.compile(instanceSchema);
    this.maxInstances = maxInstances;
    this.fast = new FastBodyReader(schema, maxInstances, this::build);
  }

  /**
   * A validator for an instance schema.
   *
   * @param instanceSchema the JSON Schema of one instance, with the keywords {@link InstanceSchema} supports
   * @param maxInstances   most instances a batch may hold, at least 1
   * @throws IllegalArgumentException the schema uses something the compiled validator does not support
   */
  public static RequestValidator of(JsonObject instanceSchema, int maxInstances) {
    return new RequestValidator(instanceSchema, maxInstances);
  }

  /**
   * What keeps this schema from feeding a model's input columns, or null when every column's field is covered:
   * present, always valued, numeric for a numeric column, an enum listing the category of a one-hot column.
   */
  public String uncovered(ModelMetadata metadata) {
    for (ModelMetadata.Column column : metadata.input().columns()) {
      String problem = schema.unfit(column.field(), column.oneHot() ? column.equals() : null);
      if (problem != null) {
        return "column " + column.name() + ": " + problem;
      }
    }
    return null;
  }

  /**
   * One valid instance drawn at random from what the schema accepts, as JSON: for load generators and warm-ups that
   * must send rows like real ones without knowing the model's fields.
   */
  public JsonObject sample(RandomGenerator random) {
    return build(schema.sample(random)).toJson();
  }

  /** {@code n} valid instances drawn from the schema with a fixed seed: rows like real ones, to warm a model up. */
  public List<Instance> samples(int n) {
    SplittableRandom random = new SplittableRandom(n);
    List<Instance> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(build(schema.sample(random)));
    }
    return out;
  }

  /** Each field's JSON Schema type, in the schema's order; read once, not copied. */
  public Map<String, String> fieldTypes() {
    return schema.types();
  }

  /** The fields every instance must have. */
  public List<String> requiredFields() {
    return schema.required();
  }

  /** The instance schema as written in {@value #SCHEMA_RESOURCE}, for API documentation. */
  public JsonObject instanceSchema() {
    return schema.source();
  }

  /**
   * The batch's schema: {@code {"instances": [...]}} with 1 to {@link #maxInstances()} items, each a
   * {@code $ref} to the instance schema's {@code $id} (so a document showing both needs the instance schema
   * under that id). The batch checks are the same rules, written out in code.
   */
  public JsonObject batchSchema() {
    JsonObject instance = schema.source();
    Object items = instance.containsKey("$id") ? new JsonObject().put("$ref", instance.getString("$id"))
        : instance;
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("$id", instance.getString("$id", "instance") + "#batch")
        .put("title", instance.getString("title", "Instance") + "Batch")
        .put("description", "Instances to score, answered in the same order.")
        .put("type", "object")
        .put("properties", new JsonObject().put(INSTANCES, new JsonObject()
            .put("type", "array")
            .put("minItems", 1)
            .put("maxItems", maxInstances)
            .put("items", items)))
        .put("required", new JsonArray().add(INSTANCES))
        .put("additionalProperties", false);
  }

  /** The reader valid bodies take; for tests that show which bodies it reads. */
  FastBodyReader fastReader() {
    return fast;
  }

  /** Most instances per batch. */
  public int maxInstances() {
    return maxInstances;
  }

  /**
   * Validates one parsed instance.
   *
   * @param json the parsed instance (Map or JsonObject; anything else is a {@code model_attributes_type} error)
   * @param loc  where the instance sits, such as {@link #BODY}; every error's loc starts with it
   */
  public Validated<Instance> validateInstance(Object json, List<Object> loc) {
    List<FieldError> errors = new ArrayList<>(0);
    Instance instance = instance(json, loc, -1, errors);
    return instance != null ? Validated.valid(instance) : Validated.invalid(errors);
  }

  /**
   * Validates one parsed instance, appending its errors; for transports that gather errors of their own around
   * it (a WebSocket frame's {@code id}, say).
   *
   * @param loc    where the instance sits; every error's loc starts with it
   * @param errors receives the instance's errors
   * @return the instance, or null when it is invalid (and then errors were added)
   */
  public Instance instance(Object json, List<Object> loc, List<FieldError> errors) {
    return instance(json, loc, -1, errors);
  }

  /**
   * Parses and validates one instance body, for callers that fail a request with an exception.
   *
   * @throws MalformedJsonException     the body is not JSON
   * @throws RequestValidationException with every field at fault
   */
  public Instance instance(Buffer body) {
    byte[] bytes = body == null ? null : body.getBytes();
    Instance valid = fast.instance(bytes);
    return valid != null ? valid : validateInstance(JsonBodyParser.parse(bytes), BODY).orElseThrow();
  }

  /**
   * Validates a parsed batch, {@code {"instances": [...]}}: the errors of every bad item, with its index in the
   * loc ({@code ["body", "instances", 3, "<field>"]}), at most {@value #MAX_ERRORS}.
   *
   * @param loc where the batch sits, such as {@link #BODY}; every error's loc starts with it
   */
  public Validated<List<Instance>> validateBatch(Object json, List<Object> loc) {
    Map<?, ?> object = asMap(json);
    if (object == null) {
      return Validated.invalid(List.of(notAnObject(loc, -1)));
    }
    List<FieldError> errors = new ArrayList<>(0);
    List<Instance> out = null;
    Object items = object.get(INSTANCES);
    List<?> list = asList(items);
    if (items == null && !object.containsKey(INSTANCES)) {
      errors.add(InstanceSchema.error(loc, -1, INSTANCES, InstanceSchema.MISSING, "missing"));
    } else if (list == null) {
      errors.add(InstanceSchema.error(loc, -1, INSTANCES, "Input should be a valid list", "list_type"));
    } else if (list.isEmpty()) {
      errors.add(InstanceSchema.error(loc, -1, INSTANCES, "List should have at least 1 item after validation, "
          + "not 0", "too_short"));
    } else if (list.size() > maxInstances) {
      errors.add(InstanceSchema.error(loc, -1, INSTANCES, "List should have at most " + maxInstances
          + (maxInstances == 1 ? " item" : " items") + " after validation, not " + list.size(), "too_long"));
    } else {
      List<Object> itemLoc = append(loc, INSTANCES);
      out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size() && errors.size() < MAX_ERRORS; i++) {
        Instance instance = instance(list.get(i), itemLoc, i, errors);
        if (instance != null) {
          out.add(instance);
        }
      }
    }
    if (object.size() > (object.containsKey(INSTANCES) ? 1 : 0)) {
      for (Object key : object.keySet()) {
        if (!INSTANCES.equals(key)) {
          errors.add(InstanceSchema.error(loc, -1, key, InstanceSchema.EXTRA, "extra_forbidden"));
        }
      }
    }
    if (errors.isEmpty()) {
      return Validated.valid(out);
    }
    return Validated.invalid(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
  }

  /**
   * Parses and validates a batch body, for callers that fail a request with an exception.
   *
   * @throws MalformedJsonException     the body is not JSON
   * @throws RequestValidationException with the errors of every bad instance (at most {@value #MAX_ERRORS})
   */
  public List<Instance> batch(Buffer body) {
    byte[] bytes = body == null ? null : body.getBytes();
    List<Instance> valid = fast.batch(bytes);
    return valid != null ? valid : validateBatch(JsonBodyParser.parse(bytes), BODY).orElseThrow();
  }

  private Instance instance(Object json, List<Object> loc, int index, List<FieldError> errors) {
    Map<?, ?> object = asMap(json);
    if (object == null) {
      errors.add(notAnObject(loc, index));
      return null;
    }
    Object[] values = new Object[schema.size()];
    return schema.check(object, loc, index, values, errors) ? build(values) : null;
  }

  /** The instance from values the schema accepted, at their positions. */
  private Instance build(Object[] values) {
    return new Instance(schema, values);
  }

  private static FieldError notAnObject(List<Object> loc, int index) {
    return InstanceSchema.error(loc, index, null, InstanceSchema.NOT_AN_OBJECT, "model_attributes_type");
  }

  private static Map<?, ?> asMap(Object json) {
    return json instanceof Map<?, ?> map ? map : json instanceof JsonObject o ? o.getMap() : null;
  }

  private static List<?> asList(Object json) {
    return json instanceof List<?> list ? list : json instanceof JsonArray a ? a.getList() : null;
  }

  private static List<Object> append(List<Object> loc, Object key) {
    List<Object> path = new ArrayList<>(loc.size() + 1);
    path.addAll(loc);
    path.add(key);
    return List.copyOf(path);
  }

}
