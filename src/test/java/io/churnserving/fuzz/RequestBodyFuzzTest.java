package io.churnserving.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile bodies against the real server: whatever arrives, the answer is a 200 prediction or a 4xx problem, never
 * a 5xx, never a hang (every request has a 10 s timeout, and a timeout fails the property). 9,500 generated cases
 * plus the named extremes; seeds are fixed so a failure reproduces.
 */
class RequestBodyFuzzTest {
  private static final Set<Integer> CLIENT_ERRORS = Set.of(400, 413, 415, 422);
  private static final String VALID = TestServer.EXAMPLE;
  private static final String VALID_BATCH = "{\"instances\": [" + VALID + ", " + VALID + "]}";
  private static TestServer server;

  @BeforeContainer
  static void start() {
    server = TestServer.start();
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  private static HttpResponse<Buffer> post(String path, byte[] body) {
    return TestServer.await(server.request(HttpMethod.POST, path).putHeader("Content-Type", "application/json")
        .timeout(10_000).sendBuffer(Buffer.buffer(body)));
  }

  /** The property every case checks: a prediction, or a 4xx problem naming its status. */
  private static void assertAnswered(HttpResponse<Buffer> answer) {
    int status = answer.statusCode();
    if (status == 200) {
      JsonObject body = answer.bodyAsJsonObject();
      assertThat(body.containsKey("churn_probability") || body.containsKey("predictions")).isTrue();
      return;
    }
    assertThat(CLIENT_ERRORS).as("status %d for %s", status, answer.bodyAsString()).contains(status);
    assertThat(answer.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(answer.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
  }

  @Property(tries = 2500, seed = "20261123")
  void randomBytes(@ForAll @Size(max = 2048) byte[] body, @ForAll boolean batch) {
    assertAnswered(post(batch ? "/v1/models/churn:predict" : "/predict", body));
  }

  @Property(tries = 3000, seed = "20261124")
  void mutationsOfValidBodies(@ForAll("mutated") byte[] body, @ForAll boolean batch) {
    assertAnswered(post(batch ? "/v1/models/churn:predict" : "/predict", body));
  }

  @Property(tries = 2500, seed = "20261125")
  void wrongTypesAndExtremeValuesInEveryField(@ForAll("instances") String instance, @ForAll boolean batch) {
    String body = batch ? "{\"instances\": [" + instance + "]}" : instance;
    assertAnswered(post(batch ? "/v1/models/churn:predict" : "/predict", body.getBytes(StandardCharsets.UTF_8)));
  }

  @Property(tries = 1500, seed = "20261126")
  void invalidUtf8Anywhere(@ForAll("invalidUtf8") byte[] body) {
    HttpResponse<Buffer> answer = post("/predict", body);
    assertAnswered(answer);
    assertThat(answer.statusCode()).isEqualTo(400);
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    Arbitrary<byte[]> base = Arbitraries.of(VALID, VALID_BATCH).map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 5);
    Arbitrary<Integer> at = Arbitraries.integers().between(0, 10_000);
    Arbitrary<Byte> value = Arbitraries.bytes();
    return Combinators.combine(base, kind, at, value, Arbitraries.integers().between(1, 40))
        .as(RequestBodyFuzzTest::mutate);
  }

  private static byte[] mutate(byte[] body, int kind, int at, byte value, int length) {
    int i = at % body.length;
    List<Byte> bytes = new ArrayList<>(body.length + length);
    for (byte b : body) {
      bytes.add(b);
    }
    switch (kind) {
      case 0 -> bytes.set(i, value); // flip
      case 1 -> bytes.subList(i, Math.min(bytes.size(), i + length)).clear(); // delete
      case 2 -> {
        for (int k = 0; k < length; k++) {
          bytes.add(i, value); // insert
        }
      }
      case 3 -> bytes.subList(i, bytes.size()).clear(); // truncate
      case 4 -> bytes.addAll(i, List.copyOf(bytes.subList(i, Math.min(bytes.size(), i + length)))); // duplicate
      default -> bytes.set(i, (byte) "{}[]\",:0-eE.\\ ".charAt(Math.floorMod(value, 14))); // structural byte
    }
    byte[] out = new byte[bytes.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = bytes.get(k);
    }
    return out;
  }

  @Provide
  Arbitrary<String> instances() {
    Arbitrary<String> anyValue = Arbitraries.oneOf(
        Arbitraries.of("null", "true", "false", "[]", "{}", "\"\"", "1e400", "-1e400", "1e-400", "NaN", "Infinity",
            "-0", "0", "1.0", "24.5", "18", "17.99", "120", "121", "99999999999999999999999999", "\"24\"",
            "\"Fiber\"", "\"fiber\"", "\"month-to-month\"", "\"one_year\"", "[1,2]", "{\"a\":1}", "\"\\u0000\"",
            "\"\\ud800\""),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.doubles().map(String::valueOf).filter(s -> !s.contains("N") && !s.contains("I")),
        Arbitraries.strings().ofMaxLength(40).map(s -> new JsonObject().put("v", s).encode()
            .substring(5, new JsonObject().put("v", s).encode().length() - 1)));
    List<String> fields = List.of("tenure_months", "monthly_charges", "contract_type", "num_products",
        "internet_service", "extra_field");
    return Combinators.combine(anyValue.list().ofSize(fields.size()),
            Arbitraries.integers().between(0, (1 << fields.size()) - 1), Arbitraries.of(true, false))
        .as((values, present, duplicate) -> {
          StringBuilder out = new StringBuilder("{");
          boolean first = true;
          for (int f = 0; f < fields.size(); f++) {
            if ((present & (1 << f)) == 0) {
              continue;
            }
            out.append(first ? "" : ",").append('"').append(fields.get(f)).append("\":").append(values.get(f));
            first = false;
          }
          if (duplicate && !first) {
            out.append(",\"tenure_months\":12");
          }
          return out.append('}').toString();
        });
  }

  @Provide
  Arbitrary<byte[]> invalidUtf8() {
    Arbitrary<byte[]> bad = Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xE0,
        (byte) 0x80, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF8},
        new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xE2, (byte) 0x82},
        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0x80});
    byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
    return Combinators.combine(bad, Arbitraries.integers().between(0, valid.length)).as((seq, at) -> {
      byte[] out = new byte[valid.length + seq.length];
      System.arraycopy(valid, 0, out, 0, at);
      System.arraycopy(seq, 0, out, at, seq.length);
      System.arraycopy(valid, at, out, at + seq.length, valid.length - at);
      return out;
    });
  }

  @Example
  void nestingAHundredThousandDeep() {
    for (String open : List.of("[", "{\"a\":")) {
      String close = open.equals("[") ? "]" : "}";
      String deep = open.repeat(100_000) + "1" + close.repeat(100_000);
      byte[] body = deep.getBytes(StandardCharsets.UTF_8);
      HttpResponse<Buffer> single = post("/predict", body);
      assertAnswered(single);
      assertThat(single.statusCode()).isEqualTo(body.length > 65536 ? 413 : 400);
      HttpResponse<Buffer> batch = post("/v1/models/churn:predict", body);
      assertAnswered(batch);
      assertThat(batch.statusCode()).isEqualTo(400);
    }
  }

  @Example
  void hugeNumbersAndStrings() {
    assertThat(post("/predict", VALID.replace("79.5", "1e400").getBytes(StandardCharsets.UTF_8)).statusCode())
        .isIn(400, 422);
    assertThat(post("/predict", VALID.replace("24", "1" + "0".repeat(5000)).getBytes(StandardCharsets.UTF_8))
        .statusCode()).isIn(400, 422);
    String justUnder = "{\"contract_type\": \"" + "x".repeat(60_000) + "\"}";
    assertAnswered(post("/predict", justUnder.getBytes(StandardCharsets.UTF_8)));
    String over = "{\"contract_type\": \"" + "x".repeat(70_000) + "\"}";
    HttpResponse<Buffer> tooBig = post("/predict", over.getBytes(StandardCharsets.UTF_8));
    assertThat(tooBig.statusCode()).isEqualTo(413);
    String hugeInBatch = "{\"instances\": [{\"contract_type\": \"" + "x".repeat(500_000) + "\"}]}";
    assertAnswered(post("/v1/models/churn:predict", hugeInBatch.getBytes(StandardCharsets.UTF_8)));
  }

  @Example
  void duplicateKeysAreRefused() {
    String dup = VALID.replace("{", "{\"tenure_months\": 3, ");
    HttpResponse<Buffer> answer = post("/predict", dup.getBytes(StandardCharsets.UTF_8));
    assertThat(answer.statusCode()).isEqualTo(400);
  }
}
