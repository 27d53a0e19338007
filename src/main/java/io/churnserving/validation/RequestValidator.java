package io.churnserving.validation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates churn requests for every transport: one instance, or a batch {@code {"instances": [...]}}. The shape
 * comes from {@code schema/churn-instance.schema.json}; what a schema cannot say (the minimum plan, rounding to
 * cents) is checked after it. Thread-safe and immutable.
 */
public final class RequestValidator {
  /** The schema resource on the classpath. */
  public static final String SCHEMA_RESOURCE = "/schema/churn-instance.schema.json";
  /** Answers list at most this many field errors, so a huge invalid batch cannot make a huge answer. */
  public static final int MAX_ERRORS = 100;

  static final double MINIMUM_PLAN = 18.0;
  private static final List<Object> BODY = List.of("body");

  private final InstanceSchema schema;
  private final int maxInstances;
  private final int tenure;
  private final int charges;
  private final int contract;
  private final int products;
  private final int internet;

  RequestValidator(InstanceSchema schema, int maxInstances) {
    this.schema = schema;
    this.maxInstances = maxInstances;
    this.tenure = schema.indexOf("tenure_months");
    this.charges = schema.indexOf("monthly_charges");
    this.contract = schema.indexOf("contract_type");
    this.products = schema.indexOf("num_products");
    this.internet = schema.indexOf("internet_service");
  }

  /**
   * Builds the validator from the bundled schema; reads a classpath resource, so call it at start-up.
   *
   * @param maxInstances most instances a batch may hold
   */
  public static RequestValidator create(int maxInstances) {
    try (InputStream in = RequestValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing: " + SCHEMA_RESOURCE);
      }
      return new RequestValidator(InstanceSchema.compile(new JsonObject(new String(in.readAllBytes(),
          StandardCharsets.UTF_8))), maxInstances);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The instance schema as written. */
  public JsonObject instanceSchema() {
    return schema.source();
  }

  /** Most instances per batch. */
  public int maxInstances() {
    return maxInstances;
  }

  /**
   * Parses and validates one instance body.
   *
   * @throws MalformedJsonException      the body is not JSON
   * @throws RequestValidationException  with every field at fault
   */
  public CustomerInstance instance(Buffer body) {
    List<FieldError> errors = new ArrayList<>(0);
    CustomerInstance instance = instance(JsonBodyParser.parse(bytes(body)), BODY, errors);
    if (instance == null) {
      throw new RequestValidationException(errors);
    }
    return instance;
  }

  /**
   * Parses and validates a batch body, {@code {"instances": [...]}}.
   *
   * @throws MalformedJsonException      the body is not JSON
   * @throws RequestValidationException  with the errors of every bad instance (at most {@link #MAX_ERRORS})
   */
  public List<CustomerInstance> batch(Buffer body) {
    Object json = JsonBodyParser.parse(bytes(body));
    List<FieldError> errors = new ArrayList<>(0);
    if (!(json instanceof Map<?, ?> object)) {
      throw new RequestValidationException(List.of(notAnObject(BODY)));
    }
    for (Object key : object.keySet()) {
      if (!"instances".equals(key)) {
        errors.add(InstanceSchema.error(BODY, key, "Extra inputs are not permitted", "extra_forbidden"));
      }
    }
    Object items = object.get("instances");
    List<Object> loc = List.of("body", "instances");
    if (items == null && !object.containsKey("instances")) {
      errors.add(InstanceSchema.error(loc, null, "Field required", "missing"));
    } else if (!(items instanceof List<?> list)) {
      errors.add(InstanceSchema.error(loc, null, "Input should be a valid list", "list_type"));
    } else if (list.isEmpty()) {
      errors.add(InstanceSchema.error(loc, null, "List should have at least 1 item after validation, not 0",
          "too_short"));
    } else if (list.size() > maxInstances) {
      errors.add(InstanceSchema.error(loc, null, "List should have at most " + maxInstances
          + " items after validation, not " + list.size(), "too_long"));
    } else {
      List<CustomerInstance> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size() && errors.size() < MAX_ERRORS; i++) {
        CustomerInstance instance = instance(list.get(i), List.of("body", "instances", i), errors);
        if (instance != null) {
          out.add(instance);
        }
      }
      if (errors.isEmpty()) {
        return out;
      }
    }
    throw new RequestValidationException(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
  }

  /**
   * Validates one parsed instance; for transports that parse frames themselves.
   *
   * @param loc    where the instance sits, prefixed to every error's loc
   * @param errors receives the errors
   * @return the instance, or null when it is invalid
   */
  public CustomerInstance instance(Object json, List<Object> loc, List<FieldError> errors) {
    if (!(json instanceof Map<?, ?> object)) {
      errors.add(notAnObject(loc));
      return null;
    }
    Object[] values = new Object[schema.size()];
    boolean valid = schema.check(object, loc, values, errors);
    // Like a Pydantic field validator, the minimum-plan rule runs once the field itself is valid, whatever the
    // other fields, so its error is reported together with theirs.
    if (values[charges] instanceof Double c && c < MINIMUM_PLAN) {
      errors.add(InstanceSchema.error(loc, "monthly_charges", "Value error, monthly_charges=" + pythonRepr(c)
          + " is below our minimum plan of $18", "value_error"));
      return null;
    }
    if (!valid) {
      return null;
    }
    return new CustomerInstance(((Long) values[tenure]).intValue(), cents((Double) values[charges]),
        (String) values[contract], ((Long) values[products]).intValue(), (String) values[internet]);
  }

  /** An absent body (vertx-web gives null for zero bytes) parses as empty, which is malformed. */
  private static byte[] bytes(Buffer body) {
    return body == null ? new byte[0] : body.getBytes();
  }

  private static FieldError notAnObject(List<Object> loc) {
    return InstanceSchema.error(loc, null, "Input should be a valid dictionary or object to extract fields from",
        "model_attributes_type");
  }

  /**
   * Rounds to cents as Python's {@code round(v, 2)} does: half-even on the exact binary value, so 2.675 (stored as
   * 2.67499...) becomes 2.67. Values already in cents, the common case, skip the exact arithmetic.
   */
  static double cents(double v) {
    double quick = Math.rint(v * 100) / 100;
    if (quick == v) {
      return v;
    }
    return new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
  }

  /** A float as Python prints it in the original service's message: 5.0, 17.5, 0.001. */
  static String pythonRepr(double v) {
    String plain = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    return plain.contains(".") ? plain : plain + ".0";
  }
}
