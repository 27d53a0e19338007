package io.churnserving.validation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The instance's JSON Schema compiled, once, into per-property rules that check a parsed object and report
 * Pydantic-v2 errors. The schema file stays the one description of the shape (and is what the API docs show):
 * every type, bound, enum, {@code required}, {@code additionalProperties} and {@code default} is read from it.
 *
 * <p>Why not vertx-json-schema's {@code Validator} itself: it costs about 10 µs per valid instance here (against
 * well under 0.1 µs for this checker), it accepts NaN, it reports every declared property that fails as an
 * additional property too, and names a missing property only inside a message text. So only the keywords the
 * file uses are supported, and a schema using any other assertion fails at start-up rather than being half
 * enforced. A unit test keeps this checker and vertx-json-schema agreeing on the same file.
 */
final class InstanceSchema {
  /**
   * A model's rule that JSON Schema cannot state, written in its schema file: a schema-valid number below
   * {@code value} is refused with "Value error, {@code <field>=<value> <message>}", as a Pydantic
   * {@code field_validator} would say it.
   */
  static final String AT_LEAST = "x-at-least";
  /** Rounds a valid number to this many decimals before scoring, half-even on its exact binary value. */
  static final String ROUND_DECIMALS = "x-round-decimals";
  private static final Set<String> OBJECT_KEYWORDS = Set.of("type", "properties", "required", "additionalProperties");
  private static final Set<String> FIELD_KEYWORDS = Set.of("type", "minimum", "exclusiveMinimum", "maximum",
      "exclusiveMaximum", "enum", "default", AT_LEAST, ROUND_DECIMALS);
  /** Keywords that only annotate; they do not constrain an instance. */
  private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$comment", "title", "description",
      "examples", "deprecated", "readOnly", "writeOnly");

  static final String MISSING = "Field required";
  static final String EXTRA = "Extra inputs are not permitted";
  static final String NOT_AN_OBJECT = "Input should be a valid dictionary or object to extract fields from";

  enum Kind { INTEGER, NUMBER, STRING, LITERAL }

  /**
   * A rule the schema cannot say, run on a property once the schema's own checks on it passed, like a Pydantic
   * {@code field_validator}: its error is reported at the property's place among the others.
   */
  @FunctionalInterface
  interface AfterCheck {
    /** The problem with a schema-valid value (the text after "Value error, "), or null when there is none. */
    String violation(Object value);
  }

  /** One property's compiled rule. Bounds are exact decimals; the long and double copies serve the fast paths. */
  static final class Field {
    final String name;
    final Kind kind;
    final boolean required;
    final Object defaultValue;
    final BigDecimal minimum;
    final BigDecimal exclusiveMinimum;
    final BigDecimal maximum;
    final BigDecimal exclusiveMaximum;
    /** Inclusive integer range equivalent to the bounds, for integer inputs. */
    final long lowest;
    final long highest;
    /** The bounds as doubles, infinite when absent, and whether that conversion lost nothing. */
    final double min;
    final double exclusiveMin;
    final double max;
    final double exclusiveMax;
    final boolean boundsAreDoubles;
    final String[] literals;
    final String literalMessage;
    final AfterCheck after;
    /** Decimals a valid number is rounded to, or -1. */
    final int roundDecimals;

    Field(String name, Kind kind, boolean required, Object defaultValue, BigDecimal minimum,
          BigDecimal exclusiveMinimum, BigDecimal maximum, BigDecimal exclusiveMaximum, List<String> literals,
          AfterCheck after, int roundDecimals) {
      this.name = name.intern();
      this.kind = kind;
      this.required = required;
      // Literals and string defaults interned, like the names: a model's encoder compares each instance's values
      // with its one-hot categories, and identical instances compare at once.
      this.defaultValue = defaultValue instanceof String s ? s.intern() : defaultValue;
      this.minimum = minimum;
      this.exclusiveMinimum = exclusiveMinimum;
      this.maximum = maximum;
      this.exclusiveMaximum = exclusiveMaximum;
      this.lowest = lowest(minimum, exclusiveMinimum);
      this.highest = highest(maximum, exclusiveMaximum);
      this.min = minimum == null ? Double.NEGATIVE_INFINITY : minimum.doubleValue();
      this.exclusiveMin = exclusiveMinimum == null ? Double.NEGATIVE_INFINITY : exclusiveMinimum.doubleValue();
      this.max = maximum == null ? Double.POSITIVE_INFINITY : maximum.doubleValue();
      this.exclusiveMax = exclusiveMaximum == null ? Double.POSITIVE_INFINITY : exclusiveMaximum.doubleValue();
      this.boundsAreDoubles = isDouble(minimum) && isDouble(exclusiveMinimum) && isDouble(maximum)
          && isDouble(exclusiveMaximum);
      this.literals = literals.stream().map(String::intern).toArray(String[]::new);
      this.literalMessage = literalMessage(literals);
      this.after = after;
      this.roundDecimals = roundDecimals;
    }

    private static long lowest(BigDecimal minimum, BigDecimal exclusiveMinimum) {
      BigInteger low = BigInteger.valueOf(Long.MIN_VALUE);
      if (minimum != null) {
        low = low.max(minimum.setScale(0, RoundingMode.CEILING).toBigIntegerExact());
      }
      if (exclusiveMinimum != null) {
        low = low.max(exclusiveMinimum.setScale(0, RoundingMode.FLOOR).toBigIntegerExact()
            .add(BigInteger.ONE));
      }
      return clamp(low);
    }

    private static long highest(BigDecimal maximum, BigDecimal exclusiveMaximum) {
      BigInteger high = BigInteger.valueOf(Long.MAX_VALUE);
      if (maximum != null) {
        high = high.min(maximum.setScale(0, RoundingMode.FLOOR).toBigIntegerExact());
      }
      if (exclusiveMaximum != null) {
        high = high.min(exclusiveMaximum.setScale(0, RoundingMode.CEILING).toBigIntegerExact()
            .subtract(BigInteger.ONE));
      }
      return clamp(high);
    }

    private static long clamp(BigInteger v) {
      return v.max(BigInteger.valueOf(Long.MIN_VALUE)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    }

    private static boolean isDouble(BigDecimal bound) {
      return bound == null || new BigDecimal(bound.doubleValue()).compareTo(bound) == 0;
    }
  }

  private final JsonObject source;
  private final Field[] fields;
  private final Map<String, Integer> positions;
  private final Map<String, String> types;
  private final List<String> required;

  private InstanceSchema(JsonObject source, List<Field> fields) {
    this.source = source.copy();
    // Read once: the Open Inference Protocol looks at every request's inputs against them, and the source is only
    // handed out as a copy.
    JsonObject properties = source.getJsonObject("properties");
    Map<String, String> types = new java.util.LinkedHashMap<>();
    for (String name : properties.fieldNames()) {
      types.put(name, properties.getJsonObject(name).getString("type", "string"));
    }
    this.types = java.util.Collections.unmodifiableMap(types);
    this.required = source.getJsonArray("required", new JsonArray()).stream().map(String::valueOf).toList();
    this.fields = fields.toArray(new Field[0]);
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < this.fields.length; i++) {
      positions.put(this.fields[i].name, i);
    }
    this.positions = Map.copyOf(positions);
  }

  /**
   * Compiles a schema.
   *
   * @throws IllegalArgumentException the schema uses a keyword or a shape this checker does not support
   */
  static InstanceSchema compile(JsonObject schema) {
    requireKnown("the instance schema", schema, OBJECT_KEYWORDS);
    if (!"object".equals(schema.getValue("type")) || !Boolean.FALSE.equals(schema.getValue("additionalProperties"))
        || !(schema.getValue("properties") instanceof JsonObject properties)) {
      throw new IllegalArgumentException("the instance schema must be an object with properties and "
          + "\"additionalProperties\": false");
    }
    JsonArray requiredArray = schema.getJsonArray("required", new JsonArray());
    for (Object name : requiredArray) {
      if (!properties.containsKey(String.valueOf(name))) {
        throw new IllegalArgumentException("required property " + name + " is not among the properties");
      }
    }
    List<Field> fields = new ArrayList<>();
    for (String name : properties.fieldNames()) {
      if (!(properties.getValue(name) instanceof JsonObject p)) {
        throw new IllegalArgumentException("property " + name + " must be a schema object");
      }
      fields.add(field(name, p, requiredArray.contains(name)));
    }
    return new InstanceSchema(schema, fields);
  }

  private static Field field(String name, JsonObject p, boolean required) {
    requireKnown("property " + name, p, FIELD_KEYWORDS);
    Object type = p.getValue("type");
    JsonArray enumValues = p.getJsonArray("enum");
    Kind kind;
    List<String> literals = List.of();
    if (enumValues != null) {
      if (type != null && !"string".equals(type)) {
        throw new IllegalArgumentException("property " + name + ": an enum must be of strings");
      }
      if (enumValues.isEmpty() || !enumValues.stream().allMatch(String.class::isInstance)) {
        throw new IllegalArgumentException("property " + name + ": the enum must list strings");
      }
      kind = Kind.LITERAL;
      literals = enumValues.stream().map(String.class::cast).toList();
    } else if ("integer".equals(type)) {
      kind = Kind.INTEGER;
    } else if ("number".equals(type)) {
      kind = Kind.NUMBER;
    } else if ("string".equals(type)) {
      kind = Kind.STRING;
    } else {
      throw new IllegalArgumentException("property " + name + " needs type integer, number or string, or an enum");
    }
    BigDecimal minimum = decimal(name, p.getValue("minimum"));
    BigDecimal exclusiveMinimum = decimal(name, p.getValue("exclusiveMinimum"));
    BigDecimal maximum = decimal(name, p.getValue("maximum"));
    BigDecimal exclusiveMaximum = decimal(name, p.getValue("exclusiveMaximum"));
    boolean bounded = minimum != null || exclusiveMinimum != null || maximum != null || exclusiveMaximum != null;
    if (bounded && kind != Kind.INTEGER && kind != Kind.NUMBER) {
      throw new IllegalArgumentException("property " + name + ": bounds need a numeric type");
    }
    AfterCheck after = atLeast(name, kind, p.getValue(AT_LEAST));
    int round = roundDecimals(name, kind, p.getValue(ROUND_DECIMALS));
    Field field = new Field(name, kind, required, p.getValue("default"), minimum, exclusiveMinimum, maximum,
        exclusiveMaximum, literals, after, round);
    if (p.containsKey("default")) {
      List<FieldError> errors = new ArrayList<>(0);
      Object value = check(field, p.getValue("default"), List.of(), -1, errors);
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("property " + name + ": the default breaks its own rule: "
            + errors.get(0).msg());
      }
      field = new Field(name, kind, required, value, minimum, exclusiveMinimum, maximum, exclusiveMaximum,
          literals, after, round);
    }
    return field;
  }

  /** The {@value #AT_LEAST} rule of a numeric property, or null when it has none. */
  private static AfterCheck atLeast(String name, Kind kind, Object rule) {
    if (rule == null) {
      return null;
    }
    if ((kind != Kind.INTEGER && kind != Kind.NUMBER) || !(rule instanceof JsonObject r)
        || !(r.getValue("value") instanceof Number least) || !(r.getValue("message") instanceof String message)
        || r.size() != 2) {
      throw new IllegalArgumentException("property " + name + ": " + AT_LEAST
          + " must be {\"value\": <number>, \"message\": <text>} on a numeric property");
    }
    BigDecimal bound = new BigDecimal(least.toString());
    // Checked on every valid value: compared as doubles when the bound is one exactly (18 is), else exactly.
    boolean exactDouble = new BigDecimal(bound.doubleValue()).compareTo(bound) == 0;
    double boundDouble = bound.doubleValue();
    return value -> {
      boolean below;
      if (exactDouble && value instanceof Double d) {
        below = d < boundDouble;
      } else {
        BigDecimal v = value instanceof Double d ? new BigDecimal(d) : BigDecimal.valueOf(((Number) value).longValue());
        below = v.compareTo(bound) < 0;
      }
      return below
          ? name + "=" + (value instanceof Double d ? PythonRepr.of(d) : value.toString()) + " " + message : null;
    };
  }

  private static int roundDecimals(String name, Kind kind, Object decimals) {
    if (decimals == null) {
      return -1;
    }
    if (kind != Kind.NUMBER || !(decimals instanceof Integer d) || d < 0 || d > 15) {
      throw new IllegalArgumentException("property " + name + ": " + ROUND_DECIMALS
          + " must be an integer from 0 to 15 on a property of type number");
    }
    return d;
  }

  /**
   * Rounds as Python's {@code round(v, decimals)} does: half-even on the exact binary value. Values already
   * rounded, the common case, skip the exact arithmetic: {@code rint(v * 10^d) / 10^d} is then the double nearest
   * the rounded value, which is v itself.
   */
  private static final double[] POWERS_OF_TEN = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
      1e14, 1e15};

  static double round(double v, int decimals) {
    double scale = POWERS_OF_TEN[decimals];
    double quick = Math.rint(v * scale) / scale;
    if (quick == v) {
      return v;
    }
    return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
  }

  private static void requireKnown(String what, JsonObject schema, Set<String> supported) {
    for (String key : schema.fieldNames()) {
      if (!supported.contains(key) && !ANNOTATIONS.contains(key)) {
        throw new IllegalArgumentException(what + " uses " + key
            + ", which the compiled validator does not support");
      }
    }
  }

  /** Number of properties: the size of the {@code values} array {@link #check} fills. */
  int size() {
    return fields.length;
  }

  /** Each field's JSON Schema type ({@code integer}, {@code number}, {@code string}; an enum's is string), in order. */
  Map<String, String> types() {
    return types;
  }

  /** The fields every instance must have. */
  List<String> required() {
    return required;
  }

  /** The schema as written. */
  JsonObject source() {
    return source.copy();
  }

  /**
   * Checks one object: the properties in the schema's order, then the keys it does not know, so errors always
   * come in the same order. Valid values go into {@code values} at their {@link #indexOf} position (Long for
   * integers, Double for numbers, the schema's own String for enums; defaults filled in).
   *
   * @param loc   where the object sits; every error's loc starts with it
   * @param index an array index appended to {@code loc}, or -1
   * @return true when the object is valid
   */
  boolean check(Map<?, ?> object, List<Object> loc, int index, Object[] values, List<FieldError> errors) {
    int before = errors.size();
    int known = 0;
    for (int i = 0; i < fields.length; i++) {
      Field f = fields[i];
      Object raw = object.get(f.name);
      if (raw == null && !object.containsKey(f.name)) {
        if (f.required) {
          errors.add(error(loc, index, f.name, MISSING, "missing"));
        } else {
          values[i] = f.defaultValue;
        }
        continue;
      }
      known++;
      values[i] = check(f, raw, loc, index, errors);
    }
    if (object.size() > known) {
      for (Object key : object.keySet()) {
        if (!positions.containsKey(key)) {
          errors.add(error(loc, index, key, EXTRA, "extra_forbidden"));
        }
      }
    }
    return errors.size() == before;
  }

  /** The name of the property at a position. */
  String name(int position) {
    return fields[position].name;
  }

  /**
   * What is wrong with feeding a model column from this property, or null: the field must exist, always have a
   * value (required or defaulted), be numeric for a numeric column, and be an enum that lists the category of a
   * one-hot column.
   *
   * @param category the one-hot column's category, or null for a numeric column
   */
  String unfit(String field, String category) {
    Integer i = positions.get(field);
    if (i == null) {
      return "the schema has no property " + field;
    }
    Field f = fields[i];
    if (!f.required && f.defaultValue == null) {
      return "property " + field + " must be required or have a default";
    }
    if (category == null && f.kind != Kind.INTEGER && f.kind != Kind.NUMBER) {
      return "property " + field + " feeds a numeric column but is " + f.kind;
    }
    if (category != null && (f.kind != Kind.LITERAL || !List.of(f.literals).contains(category))) {
      return "property " + field + " feeds the one-hot column for \"" + category + "\" but its enum lacks it";
    }
    return null;
  }

  /**
   * Values of a valid instance drawn at random from what the schema accepts: integers and numbers within their
   * bounds (and {@value #AT_LEAST}), a random literal of each enum, a default or nothing for an optional property.
   * For warming a model up on rows like those it will see.
   */
  Object[] sample(RandomGenerator random) {
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      Field f = fields[i];
      Object v = draw(f, random);
      for (int tries = 0; tries < 100 && f.after != null && f.after.violation(v) != null; tries++) {
        v = draw(f, random);
      }
      values[i] = v;
    }
    return values;
  }

  private static Object draw(Field f, RandomGenerator random) {
    return switch (f.kind) {
      case LITERAL -> f.literals[random.nextInt(f.literals.length)];
      case STRING -> f.defaultValue instanceof String d ? d : "";
      case INTEGER -> {
        long low = Math.max(f.lowest, -1_000_000);
        yield low + random.nextLong(Math.min(f.highest, low + 1_000_000) - low + 1);
      }
      case NUMBER -> {
        double low = Math.max(Math.max(f.min, f.exclusiveMin), -1e6);
        double high = Math.min(Math.min(f.max, f.exclusiveMax), low + 1e6);
        // Inside the bounds, away from exclusive ends.
        double v = low + (high - low) * (0.05 + 0.9 * random.nextDouble());
        yield f.roundDecimals >= 0 ? round(v, f.roundDecimals) : v;
      }
    };
  }

  /** Position of a property in {@code values}, or -1 when the schema does not have it. */
  int position(String name) {
    // Jackson interns the keys it reads, and the names here are interned, so a known key is found by identity
    // in a handful of comparisons, before any hashing.
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name == name) {
        return i;
      }
    }
    Integer i = positions.get(name);
    return i == null ? -1 : i;
  }

  /**
   * One property's value checked exactly as {@link #check(Map, List, int, Object[], List)} checks it, for readers
   * that meet the values one by one; errors get no loc prefix.
   *
   * @return the value to keep, or null when it is at fault (and then its error was added)
   */
  Object checkValue(int position, Object raw, List<FieldError> errors) {
    return check(fields[position], raw, List.of(), -1, errors);
  }

  /**
   * Gives the absent properties (bits not set in {@code present}) their defaults.
   *
   * @return false when a required property is absent
   */
  boolean fillDefaults(Object[] values, long present) {
    for (int i = 0; i < fields.length; i++) {
      if ((present & (1L << i)) == 0) {
        if (fields[i].required) {
          return false;
        }
        values[i] = fields[i].defaultValue;
      }
    }
    return true;
  }

  /** One property's value checked; the value to keep, or null after adding its error. */
  private static Object check(Field f, Object raw, List<Object> loc, int index, List<FieldError> errors) {
    Object value = switch (f.kind) {
      case INTEGER -> integer(f, raw, loc, index, errors);
      case NUMBER -> number(f, raw, loc, index, errors);
      case STRING -> raw instanceof String ? raw : fail(errors, loc, index, f, "Input should be a valid string",
          "string_type");
      case LITERAL -> literal(f, raw, loc, index, errors);
    };
    if (value != null && f.after != null) {
      String violation = f.after.violation(value);
      if (violation != null) {
        return fail(errors, loc, index, f, "Value error, " + violation, "value_error");
      }
    }
    return f.roundDecimals >= 0 && value instanceof Double d ? round(d, f.roundDecimals) : value;
  }

  private static Object integer(Field f, Object raw, List<Object> loc, int index, List<FieldError> errors) {
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
      long v = ((Number) raw).longValue();
      if (v >= f.lowest && v <= f.highest) {
        return v;
      }
      return bounds(f, BigDecimal.valueOf(v), loc, index, errors) ? v : null;
    }
    BigDecimal n;
    if (raw instanceof BigInteger b) {
      n = new BigDecimal(b);
    } else if (raw instanceof Double || raw instanceof Float) {
      double d = ((Number) raw).doubleValue();
      if (!Double.isFinite(d)) {
        return fail(errors, loc, index, f, "Input should be a finite number", "finite_number");
      }
      if (d != Math.rint(d)) {
        return fail(errors, loc, index, f, "Input should be a valid integer, got a number with a fractional part",
            "int_from_float");
      }
      n = new BigDecimal(d);
    } else if (raw instanceof BigDecimal d) {
      if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
        return fail(errors, loc, index, f, "Input should be a valid integer, got a number with a fractional part",
            "int_from_float");
      }
      n = d;
    } else {
      return fail(errors, loc, index, f, "Input should be a valid integer", "int_type");
    }
    // In range means within [lowest, highest], so the long value is exact.
    return bounds(f, n, loc, index, errors) ? n.longValue() : null;
  }

  private static Object number(Field f, Object raw, List<Object> loc, int index, List<FieldError> errors) {
    if (raw instanceof Double || raw instanceof Float) {
      double d = ((Number) raw).doubleValue();
      if (!Double.isFinite(d)) {
        return fail(errors, loc, index, f, "Input should be a finite number", "finite_number");
      }
      // Comparing doubles is exact when the bounds are themselves doubles, the usual case; the decimal path is
      // for bounds a double cannot hold, and for producing the error.
      if (f.boundsAreDoubles && d >= f.min && d > f.exclusiveMin && d <= f.max && d < f.exclusiveMax) {
        return d;
      }
      return bounds(f, new BigDecimal(d), loc, index, errors) ? d : null;
    }
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte
        || raw instanceof BigInteger || raw instanceof BigDecimal) {
      BigDecimal n = raw instanceof BigInteger b ? new BigDecimal(b)
          : raw instanceof BigDecimal d ? d
          : BigDecimal.valueOf(((Number) raw).longValue());
      return bounds(f, n, loc, index, errors) ? n.doubleValue() : null;
    }
    return fail(errors, loc, index, f, "Input should be a valid number", "float_type");
  }

  private static Object literal(Field f, Object raw, List<Object> loc, int index, List<FieldError> errors) {
    if (raw instanceof String s) {
      for (String literal : f.literals) {
        if (literal.equals(s)) {
          return literal; // the schema's own instance, so later comparisons can be cheap
        }
      }
    }
    return fail(errors, loc, index, f, f.literalMessage, "literal_error");
  }

  /** Pydantic's checks, in its order (le, lt, ge, gt), the bound shown as written in the schema. */
  private static boolean bounds(Field f, BigDecimal n, List<Object> loc, int index, List<FieldError> errors) {
    if (f.maximum != null && n.compareTo(f.maximum) > 0) {
      fail(errors, loc, index, f, "Input should be less than or equal to " + plain(f.maximum), "less_than_equal");
    } else if (f.exclusiveMaximum != null && n.compareTo(f.exclusiveMaximum) >= 0) {
      fail(errors, loc, index, f, "Input should be less than " + plain(f.exclusiveMaximum), "less_than");
    } else if (f.minimum != null && n.compareTo(f.minimum) < 0) {
      fail(errors, loc, index, f, "Input should be greater than or equal to " + plain(f.minimum),
          "greater_than_equal");
    } else if (f.exclusiveMinimum != null && n.compareTo(f.exclusiveMinimum) <= 0) {
      fail(errors, loc, index, f, "Input should be greater than " + plain(f.exclusiveMinimum), "greater_than");
    } else {
      return true;
    }
    return false;
  }

  private static Object fail(List<FieldError> errors, List<Object> loc, int index, Field f, String msg,
                             String type) {
    errors.add(error(loc, index, f.name, msg, type));
    return null;
  }

  /**
   * An error at {@code loc}, then {@code index} unless it is -1, then {@code key} unless it is null. The path is
   * only built here, on the error path, so valid items cost no list.
   */
  static FieldError error(List<Object> loc, int index, Object key, String msg, String type) {
    List<Object> path = new ArrayList<>(loc.size() + 2);
    path.addAll(loc);
    if (index >= 0) {
      path.add(index);
    }
    if (key != null) {
      path.add(key);
    }
    return new FieldError(path, msg, type);
  }

  /** Pydantic's wording for a Literal: 'a', 'b' or 'c'. */
  private static String literalMessage(List<String> literals) {
    if (literals.isEmpty()) {
      return null;
    }
    List<String> quoted = literals.stream().map(l -> "'" + l + "'").toList();
    String list = quoted.size() == 1 ? quoted.get(0)
        : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    return "Input should be " + list;
  }

  private static BigDecimal decimal(String name, Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number)) {
      throw new IllegalArgumentException("property " + name + ": a bound must be a number, not " + value);
    }
    return new BigDecimal(value.toString());
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }
}
