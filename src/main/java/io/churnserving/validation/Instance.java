package io.churnserving.validation;

import io.churnserving.model.FeatureRow;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * One valid instance of a model version's schema: its values in the schema's property order, every one checked,
 * rounded and defaulted as that schema says. What the fields are is the schema's business, not this class's, so a
 * model with other columns needs no code.
 */
public final class Instance implements FeatureRow {
  private final InstanceSchema schema;
  private final Object[] values;

  Instance(InstanceSchema schema, Object[] values) {
    this.schema = schema;
    this.values = values;
  }

  /** The value of a field (Long, Double or String), or null when the schema has no such field or it was absent. */
  public Object get(String field) {
    int i = schema.position(field);
    return i < 0 ? null : values[i];
  }

  @Override
  public double number(String field) {
    return ((Number) values[schema.position(field)]).doubleValue();
  }

  @Override
  public String category(String field) {
    return (String) values[schema.position(field)];
  }

  /** The instance as JSON, fields in the schema's order, absent optional fields left out. */
  public JsonObject toJson() {
    JsonObject out = new JsonObject();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        out.put(schema.name(i), values[i]);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Instance other && other.schema == schema && Arrays.equals(other.values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
