package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {
  /** Asserts one customer is what /predict accepts: the five fields, each in range. */
  static void assertValidCustomer(JsonObject c) {
    assertThat(c.fieldNames()).containsExactlyInAnyOrder("tenure_months", "monthly_charges", "contract_type",
        "num_products", "internet_service");
    assertThat(c.getInteger("tenure_months")).isBetween(1, 120);
    assertThat(c.getDouble("monthly_charges")).isBetween(18.0, 148.0);
    assertThat(Math.round(c.getDouble("monthly_charges") * 100) / 100.0).isEqualTo(c.getDouble("monthly_charges"));
    assertThat(c.getString("contract_type")).isIn("month-to-month", "one_year", "two_year");
    assertThat(c.getInteger("num_products")).isBetween(1, 8);
    assertThat(c.getString("internet_service")).isIn("DSL", "Fiber", "None");
  }

  @Test
  void singleBodiesAreValidAndAllDifferent() {
    RequestBodies bodies = RequestBodies.singles(42, RequestBodies.SINGLE_POOL);
    Set<String> distinct = new HashSet<>();
    for (int i = 0; i < bodies.size(); i++) {
      Buffer body = bodies.get(i);
      assertValidCustomer(body.toJsonObject());
      distinct.add(body.toString());
    }
    assertThat(distinct).hasSize(RequestBodies.SINGLE_POOL);
  }

  @Test
  void singleInstancesAsTextAreTheBodiesInTheSameOrder() {
    RequestBodies bodies = RequestBodies.singles(42, 8);
    RequestBodies.Cursor texts = bodies.cursor(1, 2);
    RequestBodies.Cursor buffers = bodies.cursor(1, 2);
    for (int i = 0; i < 10; i++) {
      String text = texts.nextInstance();
      assertThat(text).isEqualTo(buffers.next().toString());
      assertValidCustomer(new JsonObject(text));
    }
    assertThatThrownBy(() -> RequestBodies.batches(42, 2, 2).cursor(0, 1).nextInstance())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theSameSeedGivesTheSameBodies() {
    assertThat(RequestBodies.singles(7, 100).get(99)).isEqualTo(RequestBodies.singles(7, 100).get(99));
    assertThat(RequestBodies.singles(7, 100).get(99)).isNotEqualTo(RequestBodies.singles(8, 100).get(99));
  }

  @Test
  void batchBodiesHoldTheBatchSizeOfValidCustomers() {
    RequestBodies bodies = RequestBodies.batches(42, 25, 3);
    JsonArray instances = bodies.get(2).toJsonObject().getJsonArray("instances");
    assertThat(instances).hasSize(25);
    instances.forEach(c -> assertValidCustomer((JsonObject) c));
    assertThat(bodies.get(0)).isNotEqualTo(bodies.get(1));
  }

  @Test
  void theBatchPoolIsBoundedByMemory() {
    assertThat(RequestBodies.batchPoolSize(1000)).isBetween(RequestBodies.MIN_BATCH_POOL, 1000);
    assertThat(RequestBodies.batchPoolSize(1)).isEqualTo(RequestBodies.SINGLE_POOL);
  }

  @Test
  void cursorsOfDifferentLoopsWalkDifferentBodies() {
    RequestBodies bodies = RequestBodies.singles(42, 8);
    RequestBodies.Cursor first = bodies.cursor(0, 2);
    RequestBodies.Cursor second = bodies.cursor(1, 2);
    List<Buffer> a = List.of(first.next(), first.next(), first.next(), first.next());
    List<Buffer> b = List.of(second.next(), second.next(), second.next(), second.next());
    assertThat(a).doesNotContainAnyElementsOf(b);
    assertThat(first.next()).isEqualTo(a.get(0));
  }
}
