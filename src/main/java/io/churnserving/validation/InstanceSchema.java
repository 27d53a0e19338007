package io.churnserving.validation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The instance's JSON Schema, compiled once into field rules that check a parsed object and report Pydantic-v2
 * errors. The schema file stays the one description of the shape (and is what the API docs show); a general
 * schema validator costs about 10 µs per instance here, too much for a path that must run a million times a
 * second, so only the keywords the file uses are supported, and an unsupported one fails at start.
 */
final class InstanceSchema {
  private static final Set<String> SUPPORTED = Set.of("$schema", "$id", "title", "description", "type",
      "properties", "required", "additionalProperties", "examples");
  private static final Set<String> SUPPORTED_FIELD = Set.of("type", "minimum", "exclusiveMinimum", "maximum", "enum",
      "default", "description");

  enum Kind { INTEGER, NUMBER, LITERAL }

  /** One property's rule. */
  record Field(String name, Kind kind, boolean required, BigDecimal minimum, BigDecimal exclusiveMinimum,
               BigDecimal maximum, List<String> literals, Object defaultValue, String literalMessage,
               boolean doubleBoundsExact) {
    Field(String name, Kind kind, boolean required, BigDecimal minimum, BigDecimal exclusiveMinimum,
          BigDecimal maximum, List<String> literals, Object defaultValue, String literalMessage) {
      this(name, kind, required, minimum, exclusiveMinimum, maximum, literals, defaultValue, literalMessage,
          exact(minimum) && exact(exclusiveMinimum) && exact(maximum));
    }

    /** True when the bound is exactly a double, so comparing doubles gives the exact answer. */
    private static boolean exact(BigDecimal bound) {
      return bound == null || new BigDecimal(bound.doubleValue()).compareTo(bound) == 0;
    }
  }

  private final JsonObject source;
  private final List<Field> fields;
  private final Map<String, Field> byName;

  private InstanceSchema(JsonObject source, List<Field> fields) {
    this.source = source;
    this.fields = List.copyOf(fields);
    this.byName = new LinkedHashMap<>();
    fields.forEach(f -> byName.put(f.name(), f));
  }

  static InstanceSchema compile(JsonObject schema) {
    for (String key : schema.fieldNames()) {
      if (!SUPPORTED.contains(key)) {
        throw new IllegalArgumentException("schema keyword not supported by the compiled validator: " + key);
      }
    }
    if (!"object".equals(schema.getString("type")) || !Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
      throw new IllegalArgumentException("the instance schema must be a closed object (additionalProperties: false)");
    }
    List<?> required = schema.getJsonArray("required", new JsonArray()).getList();
    List<Field> fields = new ArrayList<>();
    JsonObject properties = schema.getJsonObject("properties");
    for (String name : properties.fieldNames()) {
      JsonObject p = properties.getJsonObject(name);
      for (String key : p.fieldNames()) {
        if (!SUPPORTED_FIELD.contains(key)) {
          throw new IllegalArgumentException("schema keyword not supported for " + name + ": " + key);
        }
      }
      JsonArray enumValues = p.getJsonArray("enum");
      Kind kind = enumValues != null ? Kind.LITERAL
          : "integer".equals(p.getString("type")) ? Kind.INTEGER
          : "number".equals(p.getString("type")) ? Kind.NUMBER
          : null;
      if (kind == null) {
        throw new IllegalArgumentException("property " + name + " needs type integer or number, or an enum");
      }
      List<String> literals = enumValues == null ? List.of()
          : enumValues.stream().map(String.class::cast).toList();
      fields.add(new Field(name, kind, required.contains(name), decimal(p.getValue("minimum")),
          decimal(p.getValue("exclusiveMinimum")), decimal(p.getValue("maximum")), literals,
          p.getValue("default"), literalMessage(literals)));
    }
    return new InstanceSchema(schema, fields);
  }

  /** Number of properties: the size of the {@code values} array {@link #check} fills. */
  int size() {
    return fields.size();
  }

  /** Position of a property in {@code values}; fails at start-up for a property the schema does not have. */
  int indexOf(String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("the instance schema has no property " + name);
  }

  /** The schema as written, for documentation. */
  JsonObject source() {
    return source.copy();
  }

  /**
   * Checks one object. Valid values go into {@code values} at their field's {@link #indexOf} position (numbers as
   * long or double, literals as String,
   * defaults filled); errors are appended to {@code errors} with {@code loc} prefixed.
   *
   * @return true when the object is valid
   */
  boolean check(Map<?, ?> object, List<Object> loc, Object[] values, List<FieldError> errors) {
    int before = errors.size();
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      Object raw = object.get(f.name());
      if (raw == null && !object.containsKey(f.name())) {
        if (f.required()) {
          errors.add(error(loc, f.name(), "Field required", "missing"));
        } else {
          values[i] = f.defaultValue();
        }
        continue;
      }
      Object value = switch (f.kind()) {
        case INTEGER -> integer(f, raw, loc, errors);
        case NUMBER -> number(f, raw, loc, errors);
        case LITERAL -> literal(f, raw, loc, errors);
      };
      if (value != null) {
        values[i] = value;
      }
    }
    for (Object key : object.keySet()) {
      if (!byName.containsKey(key)) {
        errors.add(error(loc, key, "Extra inputs are not permitted", "extra_forbidden"));
      }
    }
    return errors.size() == before;
  }

  private static Object integer(Field f, Object raw, List<Object> loc, List<FieldError> errors) {
    BigDecimal n;
    if (raw instanceof Integer || raw instanceof Long) {
      long v = ((Number) raw).longValue();
      if (inRangeFast(f, v)) {
        return v;
      }
      n = BigDecimal.valueOf(v);
    } else if (raw instanceof BigInteger b) {
      n = new BigDecimal(b);
    } else if (raw instanceof Double d) {
      if (!Double.isFinite(d)) {
        errors.add(error(loc, f.name(), "Input should be a finite number", "finite_number"));
        return null;
      }
      if (d != Math.rint(d)) {
        errors.add(error(loc, f.name(), "Input should be a valid integer, got a number with a fractional part",
            "int_from_float"));
        return null;
      }
      n = new BigDecimal(d);
    } else {
      errors.add(error(loc, f.name(), "Input should be a valid integer", "int_type"));
      return null;
    }
    return bounds(f, n, loc, errors) ? n.longValue() : null;
  }

  private static Object number(Field f, Object raw, List<Object> loc, List<FieldError> errors) {
    if (raw instanceof Double d) {
      if (!Double.isFinite(d)) {
        errors.add(error(loc, f.name(), "Input should be a finite number", "finite_number"));
        return null;
      }
      // Double comparison is exact against bounds that are themselves doubles, the usual case; the exact
      // decimal path is kept for bounds a double cannot hold.
      if (f.doubleBoundsExact()) {
        if ((f.minimum() == null || d >= f.minimum().doubleValue())
            && (f.exclusiveMinimum() == null || d > f.exclusiveMinimum().doubleValue())
            && (f.maximum() == null || d <= f.maximum().doubleValue())) {
          return d;
        }
      }
      return bounds(f, new BigDecimal(d), loc, errors) ? d : null;
    }
    if (raw instanceof Integer || raw instanceof Long || raw instanceof BigInteger) {
      BigDecimal n = raw instanceof BigInteger b ? new BigDecimal(b) : BigDecimal.valueOf(((Number) raw).longValue());
      return bounds(f, n, loc, errors) ? n.doubleValue() : null;
    }
    errors.add(error(loc, f.name(), "Input should be a valid number", "float_type"));
    return null;
  }

  private static Object literal(Field f, Object raw, List<Object> loc, List<FieldError> errors) {
    if (raw instanceof String s) {
      List<String> literals = f.literals();
      for (int i = 0; i < literals.size(); i++) {
        if (literals.get(i).equals(s)) {
          return literals.get(i); // the canonical instance, so later comparisons can be by equals on few chars
        }
      }
    }
    errors.add(error(loc, f.name(), f.literalMessage(), "literal_error"));
    return null;
  }

  /** Range check without allocation for the common case of a long inside the bounds. */
  private static boolean inRangeFast(Field f, long v) {
    return (f.minimum() == null || v >= f.minimum().longValue())
        && (f.maximum() == null || v <= f.maximum().longValue())
        && f.exclusiveMinimum() == null
        && (f.minimum() == null || f.minimum().scale() <= 0) && (f.maximum() == null || f.maximum().scale() <= 0);
  }

  private static boolean bounds(Field f, BigDecimal n, List<Object> loc, List<FieldError> errors) {
    if (f.minimum() != null && n.compareTo(f.minimum()) < 0) {
      errors.add(error(loc, f.name(), "Input should be greater than or equal to " + plain(f.minimum()),
          "greater_than_equal"));
      return false;
    }
    if (f.exclusiveMinimum() != null && n.compareTo(f.exclusiveMinimum()) <= 0) {
      errors.add(error(loc, f.name(), "Input should be greater than " + plain(f.exclusiveMinimum()), "greater_than"));
      return false;
    }
    if (f.maximum() != null && n.compareTo(f.maximum()) > 0) {
      errors.add(error(loc, f.name(), "Input should be less than or equal to " + plain(f.maximum()),
          "less_than_equal"));
      return false;
    }
    return true;
  }

  static FieldError error(List<Object> loc, Object field, String msg, String type) {
    List<Object> path = new ArrayList<>(loc.size() + 1);
    path.addAll(loc);
    if (field != null) {
      path.add(field);
    }
    return new FieldError(path, msg, type);
  }

  /** Pydantic's wording: 'a', 'b' or 'c'. */
  private static String literalMessage(List<String> literals) {
    if (literals.isEmpty()) {
      return null;
    }
    List<String> quoted = literals.stream().map(l -> "'" + l + "'").toList();
    String list = quoted.size() == 1 ? quoted.get(0)
        : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    return "Input should be " + list;
  }

  private static BigDecimal decimal(Object value) {
    return value == null ? null : new BigDecimal(value.toString());
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }
}
