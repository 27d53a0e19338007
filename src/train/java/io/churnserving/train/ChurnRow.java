package io.churnserving.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One labelled customer: a value per field of its input set (Integer, Double or String, as the field's schema type
 * says), in the columns of the CSV format and of the API.
 */
record ChurnRow(Map<String, Object> values, boolean churned) {
  static final String LABEL = "churned";

  double number(String field) {
    return ((Number) values.get(field)).doubleValue();
  }

  String category(String field) {
    return (String) values.get(field);
  }

  /** The CSV header of an input set: its fields in schema order, then the label. */
  static String csvHeader(ChurnInputs inputs) {
    List<String> names = new ArrayList<>();
    inputs.fields().forEach(f -> names.add(f.name()));
    names.add(LABEL);
    return String.join(",", names);
  }

  String toCsv(ChurnInputs inputs) {
    StringBuilder line = new StringBuilder();
    for (InputField f : inputs.fields()) {
      Object v = values.get(f.name());
      line.append(v instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : v).append(',');
    }
    return line.append(churned).toString();
  }

  static ChurnRow fromCsv(ChurnInputs inputs, String line, int lineNumber) {
    String[] f = line.split(",", -1);
    int width = inputs.fields().size() + 1;
    if (f.length != width) {
      throw new IllegalArgumentException("line " + lineNumber + ": expected " + width + " columns, got " + f.length);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < inputs.fields().size(); i++) {
      InputField field = inputs.fields().get(i);
      values.put(field.name(), parse(field, f[i].trim(), lineNumber));
    }
    String label = f[width - 1].trim().toLowerCase(Locale.ROOT);
    boolean churned = label.equals("true") || label.equals("1");
    if (!churned && !(label.equals("false") || label.equals("0"))) {
      throw new IllegalArgumentException("line " + lineNumber + ": churned must be true/false or 1/0, got '"
          + f[width - 1] + "'");
    }
    return new ChurnRow(values, churned);
  }

  private static Object parse(InputField field, String text, int lineNumber) {
    if (!field.numeric()) {
      if (!field.levels().contains(text)) {
        throw new IllegalArgumentException("line " + lineNumber + ": " + field.name() + " must be one of "
            + field.levels() + ", got '" + text + "'");
      }
      return text;
    }
    try {
      if (field.integer()) {
        return Integer.parseInt(text);
      }
      double v = Double.parseDouble(text);
      if (!Double.isFinite(v)) {
        throw new NumberFormatException("not finite");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("line " + lineNumber + ": " + field.name() + " must be "
          + (field.integer() ? "an integer" : "a number") + ", got '" + text + "' (" + e.getMessage() + ")", e);
    }
  }
}
