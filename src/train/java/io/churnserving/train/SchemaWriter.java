package io.churnserving.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a version's {@code schema.json}: the JSON Schema (draft 2020-12) of one request instance, built from the
 * input set's fields, so the schema the server validates with names exactly the fields the columns are encoded from.
 */
final class SchemaWriter {
  private SchemaWriter() {
  }

  /** The schema file's text, laid out like the hand-written schema it replaces (two-space indents, one item a line). */
  static String write(ChurnInputs inputs, String version) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    // Version 1 keeps the id and title its schema had on the classpath, so documents citing them stay right.
    schema.put("$id", version.equals("1") ? "churn-instance.schema.json" : "churn-" + version + "-instance.schema.json");
    schema.put("title", version.equals("1") ? "ChurnInstance" : "ChurnInstanceV" + version);
    schema.put("description", inputs.schemaDescription());
    schema.put("type", "object");
    Map<String, Object> properties = new LinkedHashMap<>();
    inputs.fields().forEach(f -> properties.put(f.name(), f.property()));
    schema.put("properties", properties);
    schema.put("required", inputs.fields().stream().filter(InputField::required).map(InputField::name).toList());
    schema.put("additionalProperties", false);
    schema.put("examples", List.of(inputs.example()));
    DefaultPrettyPrinter layout = new DefaultPrettyPrinter(Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"))
        .withObjectIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return new ObjectMapper().writer(layout).writeValueAsString(schema) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("schema of input set " + inputs.id() + " cannot be written", e);
    }
  }
}
