package io.churnserving.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input sets the trainer knows, one per model version that introduced one: the fields a request holds (in the
 * order the version's schema lists them), the example instance its schema shows, and the texts written into the
 * version's files. The synthetic process behind each set is in {@link SyntheticChurnData}.
 */
enum ChurnInputs {
  /** Version 1: the five fields of the original API. */
  V1("1", List.of(Fields.TENURE, Fields.CHARGES, Fields.CONTRACT, Fields.PRODUCTS, Fields.INTERNET),
      "One customer to score for churn.",
      "Logistic regression (Tribuo LinearSGD, log loss) predicting whether a telecom customer churns."),
  /** Version 2: version 1's fields plus the customer's support calls and payment method. */
  V2("2", List.of(Fields.TENURE, Fields.CHARGES, Fields.CONTRACT, Fields.PRODUCTS, Fields.INTERNET,
      Fields.SUPPORT_CALLS, Fields.PAYMENT),
      "One customer to score for churn with version 2 of the model: version 1's fields plus support_calls and"
          + " payment_method, both required.",
      "Logistic regression (Tribuo LinearSGD, log loss) predicting whether a telecom customer churns, from version"
          + " 1's inputs plus the support calls of the last 90 days and the payment method.");

  /** What every version's schema says of types after its own first sentence. */
  private static final String STRICT_TYPES = " Types are strict: \"24\", true and 24.5 are not integers (24.0 is);"
      + " NaN and Infinity are refused; unknown fields are refused.";

  private final String id;
  private final List<InputField> fields;
  private final String schemaDescription;
  private final String modelDescription;

  ChurnInputs(String id, List<InputField> fields, String schemaDescription, String modelDescription) {
    this.id = id;
    this.fields = fields;
    this.schemaDescription = schemaDescription + STRICT_TYPES;
    this.modelDescription = modelDescription;
  }

  /** The input set introduced by {@code version}, or null when no version introduced one of that name. */
  static ChurnInputs named(String version) {
    for (ChurnInputs inputs : values()) {
      if (inputs.id.equals(version)) {
        return inputs;
      }
    }
    return null;
  }

  String id() {
    return id;
  }

  /** The fields in schema order. */
  List<InputField> fields() {
    return fields;
  }

  List<InputField> numericFields() {
    return fields.stream().filter(InputField::numeric).toList();
  }

  List<InputField> categoricalFields() {
    return fields.stream().filter(f -> !f.numeric()).toList();
  }

  /** The ONNX column names Tribuo must know: the numeric fields, then {@code field=level} per category. */
  List<String> columns() {
    List<String> names = new ArrayList<>();
    numericFields().forEach(f -> names.add(f.name()));
    categoricalFields().forEach(f -> f.levels().forEach(level -> names.add(f.name() + "=" + level)));
    return names;
  }

  String schemaDescription() {
    return schemaDescription;
  }

  String modelDescription() {
    return modelDescription;
  }

  /** The one valid instance the schema shows: a month-to-month fiber customer of two years. */
  Map<String, Object> example() {
    Map<String, Object> example = new LinkedHashMap<>();
    example.put("tenure_months", 24);
    example.put("monthly_charges", 79.5);
    example.put("contract_type", "month-to-month");
    example.put("num_products", 2);
    example.put("internet_service", "Fiber");
    if (this == V2) {
      example.put("support_calls", 3);
      example.put("payment_method", "electronic_check");
    }
    return example;
  }

  /** The fields, as each version's schema.json states them. */
  private static final class Fields {
    static final InputField TENURE = InputField.of("tenure_months", true, """
        {"type": "integer", "minimum": 1, "maximum": 120, "description": "Months the customer has been with us."}
        """);
    // The two x- keywords state what JSON Schema cannot: the $18 minimum plan (refused with this message, as a
    // Pydantic field_validator words it) and rounding to cents before scoring.
    static final InputField CHARGES = InputField.of("monthly_charges", true, """
        {"type": "number", "exclusiveMinimum": 0, "maximum": 1000,
         "description": "Monthly bill in dollars. Below 18, the minimum plan, is refused; rounded to cents \
        (half-even, as Python's round) before scoring.",
         "x-at-least": {"value": 18, "message": "is below our minimum plan of $18"},
         "x-round-decimals": 2}
        """);
    static final InputField CONTRACT = InputField.of("contract_type", true, """
        {"type": "string", "enum": ["month-to-month", "one_year", "two_year"], "description": "Contract length."}
        """);
    static final InputField PRODUCTS = InputField.of("num_products", true, """
        {"type": "integer", "minimum": 1, "maximum": 8, "description": "Number of products the customer holds."}
        """);
    static final InputField INTERNET = InputField.of("internet_service", false, """
        {"type": "string", "enum": ["DSL", "Fiber", "None"], "default": "DSL",
         "description": "Internet service type; DSL when absent."}
        """);
    static final InputField SUPPORT_CALLS = InputField.of("support_calls", true, """
        {"type": "integer", "minimum": 0, "maximum": 30,
         "description": "Calls the customer made to support in the last 90 days."}
        """);
    // Required rather than defaulted: the method moves churn as much as Fiber does, so guessing one would skew
    // the score of every client that forgot it.
    static final InputField PAYMENT = InputField.of("payment_method", true, """
        {"type": "string", "enum": ["electronic_check", "mailed_check", "bank_transfer", "credit_card"],
         "description": "How the customer pays. Required: there is no default, as it moves churn too much to \
        assume one."}
        """);

    private Fields() {
    }
  }
}
