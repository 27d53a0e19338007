package io.churnserving.validation;

import io.churnserving.support.Models;
import static io.churnserving.validation.InstanceValidationTest.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch, {@code {"instances": [...]}}: item errors carry the item's index, and the list's own rules. */
class BatchValidationTest {
  static final String OK = "{\"tenure_months\": 24, \"monthly_charges\": 79.5, \"contract_type\": \"one_year\", "
      + "\"num_products\": 2}";
  static final String NOT_AN_OBJECT = "Input should be a valid dictionary or object to extract fields from";

  final RequestValidator validator = Models.validator();

  static String batch(List<String> items) {
    return "{\"instances\": [" + String.join(", ", items) + "]}";
  }

  static Validated<List<Instance>> validate(RequestValidator validator, String json) {
    return validator.validateBatch(JsonBodyParser.parse(json.getBytes(StandardCharsets.UTF_8)),
        RequestValidator.BODY);
  }

  List<FieldError> errors(String json) {
    Validated<List<Instance>> result = validate(validator, json);
    assertThat(result.isValid()).as("valid: %s", json).isFalse();
    return result.errors();
  }

  @Test
  void aValidBatchKeepsTheOrderOfItsItems() {
    List<Instance> out = validate(validator, batch(List.of(OK, OK.replace("24", "3"),
        OK.replace("79.5", "20.004")))).orElseThrow();
    assertThat(out).extracting(i -> (int) i.number("tenure_months")).containsExactly(24, 3, 24);
    assertThat(out.get(2).number("monthly_charges")).isEqualTo(20.0);
    assertThat(validator.batch(Buffer.buffer(batch(List.of(OK))))).hasSize(1);
  }

  @Test
  void errorsOfEveryBadItemCarryItsIndexThenTopLevelExtras() {
    assertThat(errors("{\"model\": \"x\", \"instances\": [" + OK + ", " + OK.replace("24", "0") + ", 5, "
        + OK.replace("\"one_year\"", "null").replace("2}", "2, \"x\": 1}") + "]}")).containsExactly(
        error("greater_than_equal", "Input should be greater than or equal to 1", "body", "instances", 1,
            "tenure_months"),
        error("model_attributes_type", NOT_AN_OBJECT, "body", "instances", 2),
        error("literal_error", InstanceValidationTest.CONTRACTS, "body", "instances", 3, "contract_type"),
        error("extra_forbidden", "Extra inputs are not permitted", "body", "instances", 3, "x"),
        error("extra_forbidden", "Extra inputs are not permitted", "body", "model"));
  }

  @Test
  void theListMustHoldOneToMaxInstancesItems() {
    assertThat(errors(batch(List.of()))).containsExactly(error("too_short",
        "List should have at least 1 item after validation, not 0", "body", "instances"));
    assertThat(errors(batch(Collections.nCopies(1001, "{}")))).containsExactly(error("too_long",
        "List should have at most 1000 items after validation, not 1001", "body", "instances"));
    assertThat(validate(validator, batch(Collections.nCopies(1000, OK))).orElseThrow()).hasSize(1000);

    RequestValidator three = Models.validator(3);
    assertThat(three.maxInstances()).isEqualTo(3);
    assertThat(validate(three, batch(Collections.nCopies(4, OK))).errors()).containsExactly(error("too_long",
        "List should have at most 3 items after validation, not 4", "body", "instances"));
    assertThat(validate(Models.validator(1), batch(List.of(OK, OK))).errors()).extracting(FieldError::msg)
        .containsExactly("List should have at most 1 item after validation, not 2");
    assertThatThrownBy(() -> Models.validator(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void instancesMustBePresentAndAList() {
    assertThat(errors("{}")).containsExactly(error("missing", "Field required", "body", "instances"));
    assertThat(errors("{\"instance\": []}")).containsExactly(
        error("missing", "Field required", "body", "instances"),
        error("extra_forbidden", "Extra inputs are not permitted", "body", "instance"));
    for (String notAList : List.of("{}", "null", "\"[]\"", "1", OK)) {
      assertThat(errors("{\"instances\": " + notAList + "}")).as(notAList).containsExactly(
          error("list_type", "Input should be a valid list", "body", "instances"));
    }
  }

  @Test
  void aBodyThatIsNotAnObjectFailsAsAWhole() {
    for (String body : List.of("[" + OK + "]", "null", "\"instances\"")) {
      assertThat(errors(body)).containsExactly(error("model_attributes_type", NOT_AN_OBJECT, "body"));
    }
  }

  @Test
  void aHugeInvalidBatchReportsItsFirstHundredErrors() {
    List<FieldError> errors = errors("{\"x\": 1, \"instances\": [" + String.join(",", Collections.nCopies(1000,
        "{}")) + "]}");
    assertThat(errors).hasSize(RequestValidator.MAX_ERRORS);
    assertThat(errors.get(0)).isEqualTo(error("missing", "Field required", "body", "instances", 0,
        "tenure_months"));
    assertThat(errors.get(99).loc()).containsExactly("body", "instances", 24, "num_products");
    assertThatThrownBy(() -> validator.batch(Buffer.buffer(batch(Collections.nCopies(1000, "{}")))))
        .isInstanceOfSatisfying(RequestValidationException.class,
            e -> assertThat(e.errors()).hasSize(RequestValidator.MAX_ERRORS));
  }

  @Test
  void vertxJsonValuesAreAccepted() {
    JsonObject item = new JsonObject(OK);
    JsonObject body = new JsonObject().put("instances", new JsonArray().add(item).add(item.copy()
        .put("num_products", 0)));
    assertThat(validator.validateBatch(body, List.of("payload")).errors()).containsExactly(
        error("greater_than_equal", "Input should be greater than or equal to 1", "payload", "instances", 1,
            "num_products"));
    body.getJsonArray("instances").remove(1);
    assertThat(validator.validateBatch(body, List.of("payload")).orElseThrow()).hasSize(1);
  }

  @Test
  void theBufferMethodThrowsTypedExceptions() {
    assertThatThrownBy(() -> validator.batch(Buffer.buffer("{\"instances\": [}")))
        .isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> validator.batch(null)).isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> validator.batch(Buffer.buffer("{\"instances\": []}")))
        .isInstanceOf(RequestValidationException.class);
  }
}
