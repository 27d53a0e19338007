package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.churnserving.validation.RequestValidator;
import io.churnserving.validation.Validated;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pools of bodies, drawn from the repository's churn version 1 schema (the harness's default) and from small
 * schemas of other shapes: every body is checked by the server's own validator, not against a list of fields.
 */
class RequestBodiesTest {
  /** The harness's default schema, as the server reads it. */
  static final RequestValidator CHURN = SchemaFile.read(SchemaFile.DEFAULT);

  @TempDir
  Path dir;

  /** Asserts that {@code schema}'s validator accepts {@code instance} as it is, with no default filled in. */
  static void assertValid(RequestValidator schema, JsonObject instance) {
    Validated<?> validated = schema.validateInstance(instance, RequestValidator.BODY);
    assertThat(validated.isValid()).as("%s: %s", instance.encode(), validated.errors()).isTrue();
  }

  /** Asserts that the default schema's validator accepts {@code instance}, with a value for every property. */
  static void assertValidInstance(JsonObject instance) {
    assertValid(CHURN, instance);
    assertThat(instance.fieldNames()).containsExactlyElementsOf(
        CHURN.instanceSchema().getJsonObject("properties").fieldNames());
  }

  /** Asserts that {@code schema} accepts the batch {@code body}, of {@code size} instances. */
  static void assertValidBatch(RequestValidator schema, Buffer body, int size) {
    Validated<List<io.churnserving.validation.Instance>> validated = schema.validateBatch(body.toJsonObject(),
        RequestValidator.BODY);
    assertThat(validated.isValid()).as("%s", validated.errors()).isTrue();
    assertThat(validated.orElseThrow()).hasSize(size);
  }

  @Test
  void singleBodiesAreValidAndAllDifferent() {
    RequestBodies bodies = RequestBodies.singles(CHURN, 42, RequestBodies.SINGLE_POOL);
    Set<String> distinct = new HashSet<>();
    for (int i = 0; i < bodies.size(); i++) {
      Buffer body = bodies.get(i);
      assertValidInstance(body.toJsonObject());
      distinct.add(body.toString());
    }
    assertThat(distinct).hasSize(RequestBodies.SINGLE_POOL);
  }

  @Test
  void singleInstancesAsTextAreTheBodiesInTheSameOrder() {
    RequestBodies bodies = RequestBodies.singles(CHURN, 42, 8);
    RequestBodies.Cursor texts = bodies.cursor(1, 2);
    RequestBodies.Cursor buffers = bodies.cursor(1, 2);
    for (int i = 0; i < 10; i++) {
      String text = texts.nextInstance();
      assertThat(text).isEqualTo(buffers.next().toString());
      assertValidInstance(new JsonObject(text));
    }
    assertThatThrownBy(() -> RequestBodies.batches(CHURN, 42, 2, 2).cursor(0, 1).nextInstance())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theSameSeedGivesTheSameBodies() {
    assertThat(RequestBodies.singles(CHURN, 7, 100).get(99)).isEqualTo(RequestBodies.singles(CHURN, 7, 100).get(99));
    assertThat(RequestBodies.singles(CHURN, 7, 100).get(99)).isNotEqualTo(RequestBodies.singles(CHURN, 8, 100)
        .get(99));
    assertThat(RequestBodies.batches(CHURN, 7, 10, 3).get(2)).isEqualTo(RequestBodies.batches(CHURN, 7, 10, 3)
        .get(2));
  }

  @Test
  void batchBodiesHoldTheBatchSizeOfValidInstances() {
    RequestBodies bodies = RequestBodies.batches(CHURN, 42, 25, 3);
    assertThat(bodies.size()).isEqualTo(3);
    for (int i = 0; i < bodies.size(); i++) {
      assertValidBatch(CHURN, bodies.get(i), 25);
    }
    JsonArray instances = bodies.get(2).toJsonObject().getJsonArray("instances");
    instances.forEach(c -> assertValidInstance((JsonObject) c));
    assertThat(bodies.get(0)).isNotEqualTo(bodies.get(1));
  }

  @Test
  void theBatchPoolIsBoundedByTheBytesOfItsBodies() {
    RequestBodies bounded = RequestBodies.batches(CHURN, 42, 10, 1000, 50_000);
    long bytes = 0;
    long largest = 0;
    for (int i = 0; i < bounded.size(); i++) {
      bytes += bounded.get(i).length();
      largest = Math.max(largest, bounded.get(i).length());
    }
    assertThat(bytes).isBetween(50_000L, 50_000L + largest);
    assertThat(bytes - bounded.get(bounded.size() - 1).length()).isLessThan(50_000L);
    // However large the batches, a handful are made, so consecutive requests still differ.
    assertThat(RequestBodies.batches(CHURN, 42, 10, 1000, 1).size()).isEqualTo(RequestBodies.MIN_BATCH_POOL);
    assertThat(RequestBodies.batches(CHURN, 42, 10, 5, 1).size()).isEqualTo(5);
    assertThat(RequestBodies.batches(CHURN, 42, 1, 1000, Long.MAX_VALUE).size()).isEqualTo(1000);
  }

  @Test
  void cursorsOfDifferentLoopsWalkDifferentBodies() {
    RequestBodies bodies = RequestBodies.singles(CHURN, 42, 8);
    RequestBodies.Cursor first = bodies.cursor(0, 2);
    RequestBodies.Cursor second = bodies.cursor(1, 2);
    List<Buffer> a = List.of(first.next(), first.next(), first.next(), first.next());
    List<Buffer> b = List.of(second.next(), second.next(), second.next(), second.next());
    assertThat(a).doesNotContainAnyElementsOf(b);
    assertThat(first.next()).isEqualTo(a.get(0));
  }

  @Test
  void anotherModelsSchemaGivesItsOwnValidInstances() throws Exception {
    Path file = dir.resolve("schema.json");
    Files.writeString(file, """
        {"type": "object", "additionalProperties": false, "required": ["age", "score", "plan"],
         "properties": {"age": {"type": "integer", "minimum": 18, "maximum": 99},
                        "score": {"type": "number", "minimum": -1, "exclusiveMaximum": 1},
                        "plan": {"type": "string", "enum": ["basic", "gold"]}}}
        """);
    RequestValidator other = SchemaFile.read(dir);
    RequestBodies singles = RequestBodies.singles(other, 1, 500);
    for (int i = 0; i < singles.size(); i++) {
      JsonObject instance = singles.get(i).toJsonObject();
      assertValid(other, instance);
      assertThat(instance.fieldNames()).containsExactly("age", "score", "plan");
    }
    assertValidBatch(other, RequestBodies.batches(other, 1, 40, 1).get(0), 40);
  }

  @Test
  void aSchemaWithFewInstancesGivesAsManyDistinctBodiesAsItHas() throws Exception {
    Path file = dir.resolve("few.json");
    Files.writeString(file, """
        {"type": "object", "additionalProperties": false, "required": ["size"],
         "properties": {"size": {"type": "string", "enum": ["S", "M", "L"]}}}
        """);
    RequestBodies bodies = RequestBodies.singles(SchemaFile.read(file), 42, RequestBodies.SINGLE_POOL);
    assertThat(bodies.size()).isEqualTo(3);
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < bodies.size(); i++) {
      texts.add(bodies.text(i));
    }
    assertThat(texts).containsExactlyInAnyOrder("{\"size\":\"S\"}", "{\"size\":\"M\"}", "{\"size\":\"L\"}");
  }

  @Test
  void aMissingOrBadSchemaIsRefusedNamingTheFileAndTheWorkingDirectory() throws Exception {
    assertThatThrownBy(() -> SchemaFile.read(Path.of("models/no-such-model/1/schema.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--schema models/no-such-model/1/schema.json: no such file")
        .hasMessageContaining("working directory " + Path.of("").toAbsolutePath());
    Path notJson = Files.writeString(dir.resolve("bad.json"), "{\"type\": ");
    assertThatThrownBy(() -> SchemaFile.read(notJson)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(notJson + " is not a JSON object");
    assertThatThrownBy(() -> SchemaFile.read(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(dir.resolve("schema.json") + ": no such file");
  }
}
