package io.churnserving.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.fuzz.HttpFuzz.Case;
import io.churnserving.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Property: whatever body a client sends, the real server (bundled config and model, port 0, real HTTP client)
 * answers within a timeout with exactly what the in-process parser and validator predict: a 4xx
 * {@code application/problem+json} (400, 413, 415 or 422) for bad input, a well-formed prediction for input that
 * happens to be valid, and never a 5xx. {@value #SEED} seeds every generator, so a failing case reproduces; the
 * number of cases of each property is the constant beside it (about 8,900 requests in all).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpBodyFuzzTest {
  static final long SEED = 20_261_123L;
  static final String PREDICT = "/predict";
  static final String BATCH = "/v1/models/churn:predict";

  static final int RANDOM_BYTES = 1_000;
  static final int MUTATED_INSTANCES = 2_000;
  static final int HOSTILE_INSTANCES = 3_000;
  static final int HOSTILE_BATCHES = 1_500;
  static final int CONTENT_TYPES = 300;

  TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static List<Case> cases(int n, String label, Supplier<byte[]> body) {
    List<Case> cases = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      cases.add(new Case(label + " #" + i, body.get()));
    }
    return cases;
  }

  /** Sends the cases to /predict; asserts no violation, and that the answers had exactly these statuses. */
  private void assertPredict(List<Case> cases, Integer... statuses) throws InterruptedException {
    assertRun(HttpFuzz.run(server, PREDICT, cases, c -> Oracle.instance(c.body())), statuses);
  }

  private void assertBatch(List<Case> cases, Integer... statuses) throws InterruptedException {
    assertRun(HttpFuzz.run(server, BATCH, cases, c -> Oracle.batch(c.body())), statuses);
  }

  /** No violation; and the statuses seen are the ones named, so a generator that stopped reaching one shows. */
  private static void assertRun(HttpFuzz.Result result, Integer... statuses) {
    assertThat(result.violations()).isEmpty();
    assertThat(result.statuses().keySet()).as("statuses seen: %s", result.statuses()).containsExactlyInAnyOrder(
        statuses);
  }

  @Test
  void randomBytesAreRefusedOnBothEndpoints() throws InterruptedException {
    Bodies bodies = new Bodies(SEED);
    assertPredict(cases(RANDOM_BYTES, "random bytes", bodies::randomBytes), 400, 422);
    assertBatch(cases(RANDOM_BYTES / 2, "random bytes", bodies::randomBytes), 400, 422);
  }

  @Test
  void mutationsOfValidInstancesAreAnsweredAsTheValidatorSays() throws InterruptedException {
    Bodies bodies = new Bodies(SEED + 1);
    assertPredict(cases(MUTATED_INSTANCES, "mutated instance",
        () -> bodies.mutate(Bodies.utf8(bodies.validInstance()))), 200, 400, 422);
  }

  @Test
  void wrongTypesEdgeNumbersExtraAndDuplicateKeysAndBadUtf8() throws InterruptedException {
    Bodies bodies = new Bodies(SEED + 2);
    assertPredict(cases(HOSTILE_INSTANCES, "hostile instance", bodies::hostileInstance), 200, 400, 422);
  }

  @Test
  void everyFieldWithEveryWrongValueAndEveryEdgeNumber() throws InterruptedException {
    Bodies bodies = new Bodies(SEED + 3);
    List<Case> cases = new ArrayList<>();
    for (String field : Bodies.FIELDS) {
      for (String value : concat(Bodies.WRONG_VALUES, Bodies.NUMBERS)) {
        var fields = bodies.validFields();
        fields.put(field, value);
        cases.add(new Case(field + "=" + HttpFuzz.abbreviate(value), Bodies.utf8(bodies.object(fields))));
      }
    }
    assertPredict(cases, 200, 400, 422);
  }

  @Test
  void batchesWithTheSameMutations() throws InterruptedException {
    Bodies bodies = new Bodies(SEED + 4);
    assertBatch(cases(HOSTILE_BATCHES, "hostile batch", bodies::hostileBatch), 200, 400, 422);
  }

  @Test
  void nestingAHundredThousandDeep() throws InterruptedException {
    List<Case> cases = new ArrayList<>();
    for (int depth : new int[] {31, 32, 33, 1_000, 30_000, 100_000}) {
      cases.add(new Case("arrays " + depth, ascii("[".repeat(depth))));
      cases.add(new Case("closed arrays " + depth, ascii("[".repeat(depth) + "]".repeat(depth))));
      cases.add(new Case("objects " + depth, ascii("{\"a\":".repeat(depth) + "1" + "}".repeat(depth))));
      cases.add(new Case("open objects " + depth, ascii("{\"a\":".repeat(depth))));
      cases.add(new Case("mixed " + depth, ascii("[{\"a\":".repeat(depth / 2) + "1" + "}]".repeat(depth / 2))));
      cases.add(new Case("deep field " + depth, ascii("{\"tenure_months\": " + "[".repeat(depth)
          + "]".repeat(depth) + ", \"monthly_charges\": 50, \"contract_type\": \"one_year\", \"num_products\": 1}")));
      cases.add(new Case("deep batch " + depth, ascii("{\"instances\": " + "[".repeat(depth)
          + "]".repeat(depth) + "}")));
    }
    // /predict refuses the deepest as too large (413) before parsing; the batch endpoint parses them (400).
    assertPredict(cases, 400, 413, 422);
    assertBatch(cases, 400, 422);
  }

  @Test
  void hugeStringsAroundTheBodyAndStringLimits() throws InterruptedException {
    List<Case> cases = new ArrayList<>();
    String head = "{\"tenure_months\": 24, \"monthly_charges\": 50, \"num_products\": 1, \"contract_type\": \"";
    String tail = "\"}";
    int fill = Oracle.MAX_BODY - head.length() - tail.length();
    for (int delta : new int[] {-1, 0, 1, 2, 1000}) {
      cases.add(new Case("string making the body limit " + (delta >= 0 ? "+" : "") + delta,
          ascii(head + "x".repeat(fill + delta) + tail)));
    }
    // Multi-byte characters: fewer characters than bytes, around the same body limit.
    cases.add(new Case("é string under the body limit", utf8(head + "é".repeat(fill / 2) + tail)));
    cases.add(new Case("é string over the body limit", utf8(head + "é".repeat(fill / 2 + 1) + tail)));
    for (int length : new int[] {1_023, 1_024, 1_025, 70_000}) {
      cases.add(new Case("key of " + length, ascii("{\"" + "k".repeat(length) + "\": 1}")));
    }
    cases.add(new Case("a megabyte of spaces", ascii(" ".repeat(Oracle.MAX_BATCH_BODY + 1))));
    assertPredict(cases, 400, 413, 422);

    List<Case> batches = new ArrayList<>();
    String batchHead = "{\"instances\": [" + TestServer.EXAMPLE + "], \"note\": \"";
    for (int length : new int[] {65_535, 65_536, 65_537, 500_000}) {
      batches.add(new Case("string of " + length + " in a batch", ascii(batchHead + "y".repeat(length) + tail)));
    }
    int batchFill = Oracle.MAX_BATCH_BODY - batchHead.length() - tail.length();
    batches.add(new Case("batch at its body limit", ascii(batchHead + "z".repeat(batchFill) + tail)));
    batches.add(new Case("batch past its body limit", ascii(batchHead + "z".repeat(batchFill + 1) + tail)));
    batches.add(new Case("a thousand long items", ascii("{\"instances\": [" + String.join(",",
        java.util.Collections.nCopies(1_000, "\"" + "w".repeat(1_000) + "\"")) + "]}")));
    assertBatch(batches, 400, 413, 422);
  }

  @Test
  void contentTypesOtherThanJsonAre415() throws InterruptedException {
    Bodies bodies = new Bodies(SEED + 5);
    String[] types = {null, "", "text/plain", "application/jsonx", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/json", "APPLICATION/JSON; charset=utf-8",
        "application/problem+json", "application/merge-patch+json", "application/*", "*/*", "json",
        "application/json;", "application/ json", "text/json", "application/json, text/plain"};
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < CONTENT_TYPES; i++) {
      cases.add(new Case("content type #" + i, bodies.hostileInstance(), bodies.pick(types)));
    }
    assertRun(HttpFuzz.run(server, PREDICT, cases,
        c -> isJson(c.contentType()) ? Oracle.instance(c.body()) : new Oracle.Expected(415, 0)), 200, 400, 415, 422);
  }

  /** The README's rule: application/json or application/*+json, parameters allowed. */
  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
