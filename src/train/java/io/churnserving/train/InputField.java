package io.churnserving.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One input field of a model version: its JSON Schema property, exactly as the version's {@code schema.json} states
 * it, and whether a request must hold it. The trainer derives the field's ONNX columns from the same property
 * (a {@code string} with an {@code enum} is one-hot encoded, a number or integer is standardised), so the schema
 * and the columns cannot disagree.
 */
record InputField(String name, boolean required, Map<String, Object> property) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A field from its schema property written as JSON; key order is kept, as the schema file shows it. */
  static InputField of(String name, boolean required, String propertyJson) {
    try {
      return new InputField(name, required, JSON.readValue(propertyJson,
          new TypeReference<LinkedHashMap<String, Object>>() { }));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("schema property of " + name + " is not JSON", e);
    }
  }

  String type() {
    return (String) property.get("type");
  }

  /** A number or an integer: one standardised column. */
  boolean numeric() {
    return !type().equals("string");
  }

  boolean integer() {
    return type().equals("integer");
  }

  /** The categories of a string field, one one-hot column each, in the schema's order. */
  @SuppressWarnings("unchecked")
  List<String> levels() {
    return numeric() ? List.of() : (List<String>) property.get("enum");
  }
}
