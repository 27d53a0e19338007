package io.churnserving.validation;

import io.churnserving.support.Models;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One instance: every rule, with the loc, type and msg FastAPI with Pydantic v2 gives (cross-checked against
 * pydantic 2.13 validating the parsed body with from_attributes, as FastAPI does), except that JSON types are
 * strict here where Pydantic's lax mode would coerce "24" and true.
 */
class InstanceValidationTest {
  static final String TENURE_TYPE = "Input should be a valid integer";
  static final String FRACTION = "Input should be a valid integer, got a number with a fractional part";
  static final String NUMBER_TYPE = "Input should be a valid number";
  static final String FINITE = "Input should be a finite number";
  static final String CONTRACTS = "Input should be 'month-to-month', 'one_year' or 'two_year'";
  static final String SERVICES = "Input should be 'DSL', 'Fiber' or 'None'";

  final RequestValidator validator = Models.validator();

  /** A valid instance with one field's JSON text replaced (null: removed). */
  static String with(String field, String json) {
    JsonObject base = new JsonObject("{\"tenure_months\": 24, \"monthly_charges\": 79.5, "
        + "\"contract_type\": \"month-to-month\", \"num_products\": 2, \"internet_service\": \"Fiber\"}");
    StringBuilder out = new StringBuilder("{");
    for (String name : base.fieldNames()) {
      String value = name.equals(field) ? json : base.getValue(name) instanceof String s ? "\"" + s + "\""
          : String.valueOf(base.getValue(name));
      if (value != null) {
        out.append(out.length() > 1 ? ", " : "").append('"').append(name).append("\": ").append(value);
      }
    }
    if (!base.containsKey(field) && json != null) {
      out.append(", \"").append(field).append("\": ").append(json);
    }
    return out.append('}').toString();
  }

  static FieldError error(String type, String msg, Object... loc) {
    return new FieldError(List.of(loc), msg, type);
  }

  Validated<Instance> validate(String json) {
    return validator.validateInstance(JsonBodyParser.parse(json.getBytes(StandardCharsets.UTF_8)),
        RequestValidator.BODY);
  }

  List<FieldError> errors(String json) {
    Validated<Instance> result = validate(json);
    assertThat(result.isValid()).as("valid: %s", json).isFalse();
    return result.errors();
  }

  Instance valid(String json) {
    Validated<Instance> result = validate(json);
    assertThat(result.errors()).as(json).isEmpty();
    return result.orElseThrow();
  }

  @Test
  void aValidInstanceIsRoundedAndDefaulted() {
    assertThat(valid("{\"tenure_months\": 24.0, \"monthly_charges\": 79.555, \"contract_type\": \"one_year\", "
        + "\"num_products\": 2}").toJson()).isEqualTo(Models.churn(24, 79.56, "one_year", 2, "DSL"));
    assertThat(valid(with("internet_service", "\"None\"")).toJson()).isEqualTo(Models.churn(24, 79.5, "month-to-month", 2, "None"));
    assertThat(valid(with("monthly_charges", "18"))).extracting(i -> i.number("monthly_charges")).isEqualTo(18.0);
    assertThat(valid(with("monthly_charges", "1000"))).extracting(i -> i.number("monthly_charges"))
        .isEqualTo(1000.0);
    assertThat(valid(with("monthly_charges", "999.999"))).extracting(i -> i.number("monthly_charges"))
        .isEqualTo(1000.0);
  }

  @Test
  void everyFieldWrongIsReportedAtOnceInSchemaOrderThenExtraFields() {
    assertThat(errors("{\"extra\": 1, \"tenure_months\": \"24\", \"monthly_charges\": \"x\", "
        + "\"contract_type\": \"weekly\", \"num_products\": 0, \"internet_service\": \"Cable\", \"zz\": null}"))
        .containsExactly(
            error("int_type", TENURE_TYPE, "body", "tenure_months"),
            error("float_type", NUMBER_TYPE, "body", "monthly_charges"),
            error("literal_error", CONTRACTS, "body", "contract_type"),
            error("greater_than_equal", "Input should be greater than or equal to 1", "body", "num_products"),
            error("literal_error", SERVICES, "body", "internet_service"),
            error("extra_forbidden", "Extra inputs are not permitted", "body", "extra"),
            error("extra_forbidden", "Extra inputs are not permitted", "body", "zz"));
  }

  @Test
  void missingFieldsAreEachReported() {
    assertThat(errors("{}")).containsExactly(
        error("missing", "Field required", "body", "tenure_months"),
        error("missing", "Field required", "body", "monthly_charges"),
        error("missing", "Field required", "body", "contract_type"),
        error("missing", "Field required", "body", "num_products"));
  }

  @Test
  void integersAreStrictButAcceptIntegralFloats() {
    assertThat(errors(with("tenure_months", "\"24\""))).containsExactly(
        error("int_type", TENURE_TYPE, "body", "tenure_months"));
    assertThat(errors(with("tenure_months", "true"))).containsExactly(
        error("int_type", TENURE_TYPE, "body", "tenure_months"));
    assertThat(errors(with("tenure_months", "24.5"))).containsExactly(
        error("int_from_float", FRACTION, "body", "tenure_months"));
    assertThat(errors(with("num_products", "[2]"))).containsExactly(
        error("int_type", TENURE_TYPE, "body", "num_products"));
    assertThat(valid(with("tenure_months", "24.0")).number("tenure_months")).isEqualTo(24.0);
    assertThat(valid(with("tenure_months", "1.2e2")).number("tenure_months")).isEqualTo(120.0);
  }

  @Test
  void numbersAreStrict() {
    assertThat(errors(with("monthly_charges", "\"50\""))).containsExactly(
        error("float_type", NUMBER_TYPE, "body", "monthly_charges"));
    assertThat(errors(with("monthly_charges", "false"))).containsExactly(
        error("float_type", NUMBER_TYPE, "body", "monthly_charges"));
    assertThat(errors(with("monthly_charges", "{}"))).containsExactly(
        error("float_type", NUMBER_TYPE, "body", "monthly_charges"));
    assertThat(valid(with("monthly_charges", "50")).number("monthly_charges")).isEqualTo(50.0);
  }

  @Test
  void literalsAcceptOnlyTheirExactStrings() {
    for (String wrong : List.of("\"One_Year\"", "\"one_year \"", "1", "[\"one_year\"]")) {
      assertThat(errors(with("contract_type", wrong))).containsExactly(
          error("literal_error", CONTRACTS, "body", "contract_type"));
    }
    assertThat(errors(with("internet_service", "\"none\""))).containsExactly(
        error("literal_error", SERVICES, "body", "internet_service"));
  }

  @Test
  void nullIsAWrongTypeNotAMissingField() {
    assertThat(errors("{\"tenure_months\": null, \"monthly_charges\": null, \"contract_type\": null, "
        + "\"num_products\": null, \"internet_service\": null}")).containsExactly(
        error("int_type", TENURE_TYPE, "body", "tenure_months"),
        error("float_type", NUMBER_TYPE, "body", "monthly_charges"),
        error("literal_error", CONTRACTS, "body", "contract_type"),
        error("int_type", TENURE_TYPE, "body", "num_products"),
        error("literal_error", SERVICES, "body", "internet_service"));
  }

  @Test
  void numbersBeyondADoubleAreNotFinite() {
    assertThat(errors("{\"tenure_months\": 1e400, \"monthly_charges\": -1e400, \"contract_type\": \"one_year\", "
        + "\"num_products\": -1e999}")).containsExactly(
        error("finite_number", FINITE, "body", "tenure_months"),
        error("finite_number", FINITE, "body", "monthly_charges"),
        error("finite_number", FINITE, "body", "num_products"));
  }

  @Test
  void nanAndInfinityFromOtherTransportsAreNotFinite() {
    JsonObject json = new JsonObject().put("tenure_months", Double.POSITIVE_INFINITY)
        .put("monthly_charges", Double.NaN).put("contract_type", "one_year").put("num_products", Float.NaN);
    assertThat(validator.validateInstance(json, RequestValidator.BODY).errors()).extracting(FieldError::type)
        .containsExactly("finite_number", "finite_number", "finite_number");
  }

  @Test
  void boundsUsePydanticsNamesAndTheSchemasNumbers() {
    assertThat(errors("{\"tenure_months\": 0, \"monthly_charges\": 0, \"contract_type\": \"one_year\", "
        + "\"num_products\": 9}")).containsExactly(
        error("greater_than_equal", "Input should be greater than or equal to 1", "body", "tenure_months"),
        error("greater_than", "Input should be greater than 0", "body", "monthly_charges"),
        error("less_than_equal", "Input should be less than or equal to 8", "body", "num_products"));
    assertThat(errors("{\"tenure_months\": 121, \"monthly_charges\": 1000.0000001, \"contract_type\": "
        + "\"one_year\", \"num_products\": 1}")).containsExactly(
        error("less_than_equal", "Input should be less than or equal to 120", "body", "tenure_months"),
        error("less_than_equal", "Input should be less than or equal to 1000", "body", "monthly_charges"));
    assertThat(errors(with("monthly_charges", "-0.0"))).containsExactly(
        error("greater_than", "Input should be greater than 0", "body", "monthly_charges"));
    assertThat(errors(with("tenure_months", "100000000000000000000000"))).containsExactly(
        error("less_than_equal", "Input should be less than or equal to 120", "body", "tenure_months"));
    assertThat(errors(with("tenure_months", "-9223372036854775809"))).containsExactly(
        error("greater_than_equal", "Input should be greater than or equal to 1", "body", "tenure_months"));
    assertThat(errors(with("tenure_months", "1e20"))).containsExactly(
        error("less_than_equal", "Input should be less than or equal to 120", "body", "tenure_months"));
  }

  @Test
  void chargesBelowTheMinimumPlanAreAValueErrorAtTheFieldsPlace() {
    assertThat(errors(with("monthly_charges", "5"))).containsExactly(error("value_error",
        "Value error, monthly_charges=5.0 is below our minimum plan of $18", "body", "monthly_charges"));
    assertThat(errors(with("monthly_charges", "17.5"))).containsExactly(error("value_error",
        "Value error, monthly_charges=17.5 is below our minimum plan of $18", "body", "monthly_charges"));
    // Checked before rounding, as the original validator did: 17.999 would round to 18.0.
    assertThat(errors(with("monthly_charges", "17.999"))).extracting(FieldError::msg).containsExactly(
        "Value error, monthly_charges=17.999 is below our minimum plan of $18");
    assertThat(errors(with("monthly_charges", "0.00001"))).extracting(FieldError::msg).containsExactly(
        "Value error, monthly_charges=1e-05 is below our minimum plan of $18");
    assertThat(errors("{\"zz\": 1, \"tenure_months\": \"24\", \"monthly_charges\": 5.0, \"contract_type\": null, "
        + "\"num_products\": 2}")).extracting(FieldError::type)
        .containsExactly("int_type", "value_error", "literal_error", "extra_forbidden");
  }

  @Test
  void aBodyThatIsNotAnObjectFailsAsAWhole() {
    for (String body : List.of("[]", "[{}]", "\"s\"", "5", "null", "true")) {
      assertThat(errors(body)).as(body).containsExactly(error("model_attributes_type",
          "Input should be a valid dictionary or object to extract fields from", "body"));
    }
  }

  @Test
  void theCallerChoosesTheLocRoot() {
    List<FieldError> errors = new ArrayList<>();
    Object frame = JsonBodyParser.parse(with("tenure_months", "0").getBytes(StandardCharsets.UTF_8));
    assertThat(validator.instance(frame, List.of("instance"), errors)).isNull();
    assertThat(errors).containsExactly(error("greater_than_equal", "Input should be greater than or equal to 1",
        "instance", "tenure_months"));
    assertThat(validator.validateInstance(7, List.of()).errors()).extracting(FieldError::loc)
        .containsExactly(List.of());
  }

  @Test
  void vertxJsonValuesOfAnyNumericTypeAreAccepted() {
    JsonObject json = new JsonObject().put("tenure_months", (short) 12).put("monthly_charges", 20.5f)
        .put("contract_type", "two_year").put("num_products", new BigDecimal("3.00"));
    assertThat(validator.validateInstance(json, RequestValidator.BODY).orElseThrow().toJson())
        .isEqualTo(Models.churn(12, 20.5, "two_year", 3, "DSL"));
    json.put("num_products", new BigDecimal("3.5"));
    assertThat(validator.validateInstance(json, RequestValidator.BODY).errors()).containsExactly(
        error("int_from_float", FRACTION, "body", "num_products"));
  }

  @Test
  void theBufferMethodsThrowTypedExceptions() {
    assertThat(validator.instance(Buffer.buffer(with("num_products", "3")))).extracting(i -> (int) i.number("num_products"))
        .isEqualTo(3);
    assertThatThrownBy(() -> validator.instance(Buffer.buffer("{\"tenure_months\": ")))
        .isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> validator.instance(Buffer.buffer("{}")))
        .isInstanceOfSatisfying(RequestValidationException.class, e -> {
          assertThat(e.errors()).hasSize(4);
          assertThat(e.getMessage()).isEqualTo("4 invalid fields");
          assertThat(e.getStackTrace()).isEmpty();
        });
  }

  @Test
  void validatedCarriesTheValueOrTheErrors() {
    Validated<Instance> ok = validate(with("tenure_months", "3"));
    assertThat(ok).isInstanceOf(Validated.Valid.class);
    assertThat(ok.toFuture().result().number("tenure_months")).isEqualTo(3.0);
    Validated<Instance> bad = validate(with("tenure_months", "0"));
    assertThat(bad).isInstanceOf(Validated.Invalid.class);
    assertThat(bad.toFuture().cause()).isInstanceOfSatisfying(RequestValidationException.class,
        e -> assertThat(e.errors()).isEqualTo(bad.errors()));
    assertThatThrownBy(bad::orElseThrow).isInstanceOf(RequestValidationException.class);
    assertThatThrownBy(() -> Validated.invalid(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roundingToCentsIsHalfEvenOnTheExactBinaryValueAsPythonsRound() {
    // Expected values are Python's round(v, 2).
    assertThat(InstanceSchema.round(79.555, 2)).isEqualTo(79.56);
    assertThat(InstanceSchema.round(2.675, 2)).isEqualTo(2.67);
    assertThat(InstanceSchema.round(0.125, 2)).isEqualTo(0.12);
    assertThat(InstanceSchema.round(18.005, 2)).isEqualTo(18.0);
    assertThat(InstanceSchema.round(999.995, 2)).isEqualTo(1000.0);
    assertThat(InstanceSchema.round(79.5, 2)).isEqualTo(79.5);
    assertThat(InstanceSchema.round(19.99, 2)).isEqualTo(19.99);
  }

  @Test
  void floatsAreWrittenAsPythonsRepr() {
    // Expected values are Python's repr(v).
    assertThat(PythonRepr.of(5)).isEqualTo("5.0");
    assertThat(PythonRepr.of(17.5)).isEqualTo("17.5");
    assertThat(PythonRepr.of(0.0001)).isEqualTo("0.0001");
    assertThat(PythonRepr.of(0.00001)).isEqualTo("1e-05");
    assertThat(PythonRepr.of(1.5e-7)).isEqualTo("1.5e-07");
    assertThat(PythonRepr.of(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(PythonRepr.of(17.999999999999996)).isEqualTo("17.999999999999996");
    assertThat(PythonRepr.of(1e16)).isEqualTo("1e+16");
    assertThat(PythonRepr.of(123456789.123)).isEqualTo("123456789.123");
    assertThat(PythonRepr.of(-2.5)).isEqualTo("-2.5");
  }
}
