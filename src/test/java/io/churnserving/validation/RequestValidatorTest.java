package io.churnserving.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.Validator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  final RequestValidator validator = RequestValidator.create(1000);

  private List<String> errors(String json) {
    try {
      validator.instance(Buffer.buffer(json));
      return List.of();
    } catch (RequestValidationException e) {
      return e.errors().stream().map(f -> f.loc() + ":" + f.type()).toList();
    }
  }

  @Test
  void aValidInstanceIsNormalised() {
    CustomerInstance c = validator.instance(Buffer.buffer("{\"tenure_months\": 24.0, \"monthly_charges\": 79.555, "
        + "\"contract_type\": \"one_year\", \"num_products\": 2}"));
    assertThat(c).isEqualTo(new CustomerInstance(24, 79.56, "one_year", 2, "DSL"));
  }

  @Test
  void roundingFollowsPythonsRound() {
    assertThat(RequestValidator.cents(2.675)).isEqualTo(2.67);
    assertThat(RequestValidator.cents(79.5)).isEqualTo(79.5);
    assertThat(RequestValidator.cents(18.005)).isEqualTo(18.0);
    assertThat(RequestValidator.pythonRepr(5)).isEqualTo("5.0");
    assertThat(RequestValidator.pythonRepr(17.25)).isEqualTo("17.25");
  }

  @Test
  void hugeAndOddNumbersGiveFieldErrorsNotExceptions() {
    String rest = ", \"contract_type\": \"one_year\", \"num_products\": 2}";
    assertThat(errors("{\"tenure_months\": 100000000000000000000000, \"monthly_charges\": 50" + rest))
        .containsExactly("[body, tenure_months]:less_than_equal");
    assertThat(errors("{\"tenure_months\": -1e400, \"monthly_charges\": 50" + rest))
        .containsExactly("[body, tenure_months]:finite_number");
    assertThat(errors("{\"tenure_months\": 1, \"monthly_charges\": -0.0" + rest))
        .containsExactly("[body, monthly_charges]:greater_than");
    assertThat(errors("{\"tenure_months\": 1, \"monthly_charges\": 1000.0000001" + rest))
        .containsExactly("[body, monthly_charges]:less_than_equal");
    assertThat(errors("{\"tenure_months\": 1, \"monthly_charges\": 17.99" + rest))
        .containsExactly("[body, monthly_charges]:value_error");
    assertThat(errors("{\"tenure_months\": [1], \"monthly_charges\": {}" + rest))
        .containsExactly("[body, tenure_months]:int_type", "[body, monthly_charges]:float_type");
  }

  @Test
  void hostileBodiesAreMalformedAndFailFast() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> validator.instance(Buffer.buffer(deep))).isInstanceOf(MalformedJsonException.class);
    byte[] badUtf8 = "{\"contract_type\": \"x??\"}".getBytes(StandardCharsets.UTF_8);
    badUtf8[20] = (byte) 0xC3; // a two-byte lead followed by a byte that cannot continue it
    badUtf8[21] = (byte) 0x28;
    assertThatThrownBy(() -> validator.instance(Buffer.buffer(badUtf8))).isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> validator.instance(Buffer.buffer("{} {}"))).isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> validator.instance(Buffer.buffer("{\"a\": Infinity}")))
        .isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> validator.instance(Buffer.buffer("{\"a\": \"" + "x".repeat(70_000) + "\"}")))
        .isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> validator.instance(null)).isInstanceOf(MalformedJsonException.class);
  }

  @Test
  void aBigInvalidBatchReportsABoundedNumberOfErrors() {
    StringBuilder batch = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < 1000; i++) {
      batch.append(i == 0 ? "" : ",").append("{}");
    }
    batch.append("]}");
    assertThatThrownBy(() -> validator.batch(Buffer.buffer(batch.toString())))
        .isInstanceOfSatisfying(RequestValidationException.class,
            e -> assertThat(e.errors()).hasSize(RequestValidator.MAX_ERRORS));
  }

  /** The compiled checker and a general JSON Schema validator agree on the same schema file. */
  @Test
  void theCompiledSchemaAgreesWithVertxJsonSchema() {
    Validator reference = Validator.create(JsonSchema.of(validator.instanceSchema()), new JsonSchemaOptions()
        .setDraft(Draft.DRAFT202012).setBaseUri("app://").setOutputFormat(OutputFormat.Basic));
    List<String> samples = new ArrayList<>();
    String[] tenures = {"1", "120", "0", "121", "24.0", "24.5", "\"24\"", "true", "null"};
    String[] charges = {"0.01", "18", "1000", "0", "1000.5", "-3", "\"50\"", "false"};
    String[] contracts = {"\"one_year\"", "\"weekly\"", "1", "null"};
    String[] services = {null, "\"Fiber\"", "\"Cable\""};
    for (String t : tenures) {
      for (String c : charges) {
        for (String k : contracts) {
          for (String s : services) {
            samples.add("{\"tenure_months\": " + t + ", \"monthly_charges\": " + c + ", \"contract_type\": " + k
                + ", \"num_products\": 3" + (s == null ? "" : ", \"internet_service\": " + s) + "}");
          }
        }
      }
    }
    samples.add("{\"tenure_months\": 1, \"monthly_charges\": 20, \"contract_type\": \"one_year\", "
        + "\"num_products\": 3, \"extra\": 1}");
    samples.add("{\"monthly_charges\": 20, \"contract_type\": \"one_year\", \"num_products\": 3}");
    for (String sample : samples) {
      boolean schemaValid = reference.validate(new JsonObject(sample)).getValid();
      List<FieldError> found = new ArrayList<>();
      validator.instance(JsonBodyParser.parse(sample.getBytes(StandardCharsets.UTF_8)), List.of("body"), found);
      // The minimum-plan rule is beyond the schema: count it as schema-valid.
      boolean compiledValid = found.stream().allMatch(e -> e.type().equals("value_error"));
      assertThat(compiledValid).as(sample).isEqualTo(schemaValid);
    }
  }
}
