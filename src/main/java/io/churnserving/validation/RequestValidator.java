package io.churnserving.validation;

import io.churnserving.validation.InstanceSchema.Kind;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates churn requests for every transport: one instance, or a batch {@code {"instances": [...]}}, reporting
 * every field at fault at once, as FastAPI with Pydantic v2 does.
 *
 * <p>The instance's shape comes from {@value #SCHEMA_RESOURCE}, compiled at construction; the batch's is built
 * around it ({@link #batchSchema()}). What a schema cannot say is checked with it, at the field's place in the
 * error list: charges below the minimum plan of $18 are a {@code value_error}. Valid charges
 * are then rounded to cents, half-even on the exact binary value as Python's {@code round(v, 2)} does (79.555 is
 * stored as 79.55500000000000682… so becomes 79.56; 2.675 is 2.67499999… so becomes 2.67); an absent
 * {@code internet_service} takes the schema's default.
 *
 * <p>Inputs may be what {@link JsonBodyParser} gives (Map, List) or Vert.x's {@link JsonObject} and
 * {@link JsonArray}, at any depth. Errors come in a stable order: the schema's properties in order, then unknown
 * keys; in a batch, the items in order, then unknown top-level keys; at most {@value #MAX_ERRORS}, the first ones.
 *
 * <p>Thread-safe and immutable. Build it once at start-up ({@link #create} reads a classpath resource).
 */
public final class RequestValidator {
  /** The instance schema on the classpath. */
  public static final String SCHEMA_RESOURCE = "/schema/churn-instance.schema.json";
  /** Default for the most instances a batch may hold. */
  public static final int DEFAULT_MAX_INSTANCES = 1000;
  /** Most field errors reported for one request, so a huge invalid batch cannot make a huge answer. */
  public static final int MAX_ERRORS = 100;
  /** The loc root of an HTTP body. */
  public static final List<Object> BODY = List.of("body");
  /** The batch's one property. */
  public static final String INSTANCES = "instances";

  static final int MINIMUM_PLAN = 18;
  private static final String CHARGES = "monthly_charges";

  private final InstanceSchema schema;
  private final FastBodyReader fast;
  private final int maxInstances;
  private final int tenure;
  private final int charges;
  private final int contract;
  private final int products;
  private final int internet;

  private RequestValidator(JsonObject instanceSchema, int maxInstances) {
    if (maxInstances < 1) {
      throw new IllegalArgumentException("maxInstances must be at least 1, not " + maxInstances);
    }
    this.schema = InstanceSchema.compile(instanceSchema, Map.of(CHARGES, RequestValidator::belowMinimumPlan));
    this.maxInstances = maxInstances;
    this.tenure = schema.indexOf("tenure_months", Kind.INTEGER, true);
    this.charges = schema.indexOf(CHARGES, Kind.NUMBER, true);
    this.contract = schema.indexOf("contract_type", Kind.LITERAL, true);
    this.products = schema.indexOf("num_products", Kind.INTEGER, true);
    this.internet = schema.indexOf("internet_service", Kind.LITERAL, true);
    if (!schema.fitsInt(tenure) || !schema.fitsInt(products)) {
      throw new IllegalArgumentException("tenure_months and num_products need bounds within an int");
    }
    this.fast = new FastBodyReader(schema, maxInstances, this::build);
  }

  /** A validator for the bundled schema and batches of at most {@value #DEFAULT_MAX_INSTANCES}. */
  public static RequestValidator create() {
    return create(DEFAULT_MAX_INSTANCES);
  }

  /**
   * A validator for the bundled schema; reads a classpath resource, so call it at start-up, not on an event loop
   * that is serving.
   *
   * @param maxInstances most instances a batch may hold, at least 1
   * @throws IllegalArgumentException the schema uses something the compiled validator does not support
   */
  public static RequestValidator create(int maxInstances) {
    try (InputStream in = RequestValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing: " + SCHEMA_RESOURCE);
      }
      return new RequestValidator(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)),
          maxInstances);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A validator for another instance schema; for tests that show the schema drives the checks. */
  static RequestValidator of(JsonObject instanceSchema, int maxInstances) {
    return new RequestValidator(instanceSchema, maxInstances);
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
        .put("$id", "churn-batch.schema.json")
        .put("title", "ChurnBatch")
        .put("description", "Customers to score for churn, answered in the same order.")
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
  public Validated<CustomerInstance> validateInstance(Object json, List<Object> loc) {
    List<FieldError> errors = new ArrayList<>(0);
    CustomerInstance instance = instance(json, loc, -1, errors);
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
  public CustomerInstance instance(Object json, List<Object> loc, List<FieldError> errors) {
    return instance(json, loc, -1, errors);
  }

  /**
   * Parses and validates one instance body, for callers that fail a request with an exception.
   *
   * @throws MalformedJsonException     the body is not JSON
   * @throws RequestValidationException with every field at fault
   */
  public CustomerInstance instance(Buffer body) {
    byte[] bytes = body == null ? null : body.getBytes();
    CustomerInstance valid = fast.instance(bytes);
    return valid != null ? valid : validateInstance(JsonBodyParser.parse(bytes), BODY).orElseThrow();
  }

  /**
   * Validates a parsed batch, {@code {"instances": [...]}}: the errors of every bad item, with its index in the
   * loc ({@code ["body", "instances", 3, "tenure_months"]}), at most {@value #MAX_ERRORS}.
   *
   * @param loc where the batch sits, such as {@link #BODY}; every error's loc starts with it
   */
  public Validated<List<CustomerInstance>> validateBatch(Object json, List<Object> loc) {
    Map<?, ?> object = asMap(json);
    if (object == null) {
      return Validated.invalid(List.of(notAnObject(loc, -1)));
    }
    List<FieldError> errors = new ArrayList<>(0);
    List<CustomerInstance> out = null;
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
        CustomerInstance instance = instance(list.get(i), itemLoc, i, errors);
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
  public List<CustomerInstance> batch(Buffer body) {
    byte[] bytes = body == null ? null : body.getBytes();
    List<CustomerInstance> valid = fast.batch(bytes);
    return valid != null ? valid : validateBatch(JsonBodyParser.parse(bytes), BODY).orElseThrow();
  }

  private CustomerInstance instance(Object json, List<Object> loc, int index, List<FieldError> errors) {
    Map<?, ?> object = asMap(json);
    if (object == null) {
      errors.add(notAnObject(loc, index));
      return null;
    }
    Object[] values = new Object[schema.size()];
    return schema.check(object, loc, index, values, errors) ? build(values) : null;
  }

  /** The instance from values the schema accepted, at their {@link InstanceSchema#indexOf} positions. */
  private CustomerInstance build(Object[] values) {
    return new CustomerInstance(((Long) values[tenure]).intValue(), cents((Double) values[charges]),
        (String) values[contract], ((Long) values[products]).intValue(), (String) values[internet]);
  }

  /** The minimum-plan rule, on charges the schema already accepted. */
  private static String belowMinimumPlan(Object charges) {
    double c = (Double) charges;
    return c < MINIMUM_PLAN ? CHARGES + "=" + pythonRepr(c) + " is below our minimum plan of $" + MINIMUM_PLAN
        : null;
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

  /**
   * Rounds to cents as Python's {@code round(v, 2)} does: half-even on the exact binary value. Values already in
   * cents, the common case, skip the exact arithmetic: {@code rint(v * 100) / 100} is then the double nearest
   * the cents value, which is v itself.
   */
  static double cents(double v) {
    double quick = Math.rint(v * 100) / 100;
    if (quick == v) {
      return v;
    }
    return new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
  }

  /**
   * A float as Python's {@code repr} writes it, which the original service's message used: the shortest digits
   * that read back as the same double; positional from 1e-4 up to 1e16 with at least one decimal (5.0, 17.5,
   * 0.0001), scientific outside (1e-05, 2.5e+16).
   */
  static String pythonRepr(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return 1 / v > 0 ? "0.0" : "-0.0";
    }
    BigDecimal exact = new BigDecimal(v);
    BigDecimal shortest = exact;
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == v) {
        shortest = candidate;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    int exponent = shortest.precision() - shortest.scale() - 1;
    if (exponent >= -4 && exponent < 16) {
      String plain = shortest.toPlainString();
      return plain.indexOf('.') >= 0 ? plain : plain + ".0";
    }
    String digits = shortest.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
        + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
  }
}
