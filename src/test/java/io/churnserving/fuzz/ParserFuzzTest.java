package io.churnserving.fuzz;

import io.churnserving.support.Models;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.validation.Instance;
import io.churnserving.validation.FieldError;
import io.churnserving.validation.JsonBodyParser;
import io.churnserving.validation.MalformedJsonException;
import io.churnserving.validation.RequestValidator;
import io.churnserving.validation.Validated;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The larger, pure run: the same generators straight into {@link JsonBodyParser} and {@link RequestValidator}, no
 * server. Property: a body is either malformed ({@link MalformedJsonException}) or validated to a result, never
 * another exception; errors are bounded and located under the caller's loc; a valid instance is within every rule.
 * And a differential one: a JSON string of random bytes parses exactly when Java's strict UTF-8 decoder accepts
 * the bytes and they hold no NUL. Seeded; {@value #INSTANCES} + {@value #BATCHES} + {@value #UTF8} cases.
 */
class ParserFuzzTest {
  static final long SEED = 20_261_125L;
  static final int INSTANCES = 40_000;
  static final int BATCHES = 5_000;
  static final int UTF8 = 20_000;
  private static final RequestValidator VALIDATOR = Models.validator();
  private static final Set<String> CONTRACTS = Set.of("month-to-month", "one_year", "two_year");
  private static final Set<String> INTERNET = Set.of("DSL", "Fiber", "None");

  @Test
  void everyInstanceBodyIsMalformedInvalidOrWithinEveryRule() {
    Bodies bodies = new Bodies(SEED);
    List<String> violations = new ArrayList<>();
    int[] outcomes = new int[3];
    for (int i = 0; i < INSTANCES && violations.size() < 20; i++) {
      byte[] body = bodies.hostileInstance();
      try {
        Object json = JsonBodyParser.parse(body);
        Validated<Instance> v = VALIDATOR.validateInstance(json, RequestValidator.BODY);
        if (v.isValid()) {
          outcomes[0]++;
          String problem = outOfRange(v.orElseThrow());
          if (problem != null) {
            violations.add(problem + ": " + HttpFuzz.abbreviate(new String(body, StandardCharsets.UTF_8)));
          }
        } else {
          outcomes[1]++;
          checkErrors(v.errors(), body, violations);
        }
      } catch (MalformedJsonException e) {
        outcomes[2]++;
      } catch (RuntimeException | StackOverflowError e) {
        violations.add(e + ": " + HttpFuzz.abbreviate(new String(body, StandardCharsets.UTF_8)));
      }
    }
    assertThat(violations).isEmpty();
    assertThat(outcomes).as("valid, invalid, malformed").doesNotContain(0);
  }

  @Test
  void everyBatchBodyIsMalformedOrValidatedWithBoundedErrors() {
    Bodies bodies = new Bodies(SEED + 1);
    List<String> violations = new ArrayList<>();
    for (int i = 0; i < BATCHES && violations.size() < 20; i++) {
      byte[] body = bodies.hostileBatch();
      try {
        Validated<List<Instance>> v = VALIDATOR.validateBatch(JsonBodyParser.parse(body),
            RequestValidator.BODY);
        if (v.isValid()) {
          for (Instance c : v.orElseThrow()) {
            String problem = outOfRange(c);
            if (problem != null) {
              violations.add(problem);
            }
          }
        } else {
          checkErrors(v.errors(), body, violations);
        }
      } catch (MalformedJsonException e) {
        // malformed: the transport's 400
      } catch (RuntimeException | StackOverflowError e) {
        violations.add(e + ": " + HttpFuzz.abbreviate(new String(body, StandardCharsets.UTF_8)));
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void aStringOfRandomBytesParsesExactlyWhenItIsStrictUtf8WithoutNul() {
    SplittableRandom random = new SplittableRandom(SEED + 2);
    List<String> violations = new ArrayList<>();
    for (int i = 0; i < UTF8 && violations.size() < 20; i++) {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      int pieces = 1 + random.nextInt(6);
      for (int p = 0; p < pieces; p++) {
        switch (random.nextInt(4)) {
          case 0 -> raw.writeBytes(Bodies.BAD_UTF8[random.nextInt(Bodies.BAD_UTF8.length)]);
          case 1 -> raw.writeBytes("aé€😀".getBytes(StandardCharsets.UTF_8));
          default -> raw.write(0x80 + random.nextInt(0x80)); // any byte with the high bit set
        }
      }
      byte[] content = raw.toByteArray();
      boolean strict = isStrictUtf8(content);
      boolean hasNul = false;
      for (byte b : content) {
        hasNul |= b == 0;
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write('"');
      body.writeBytes(content);
      body.write('"');
      boolean parsed;
      try {
        parsed = JsonBodyParser.parse(body.toByteArray()) instanceof String;
      } catch (MalformedJsonException e) {
        parsed = false;
      }
      // A NUL is refused by the parser (and would be an unescaped control character anyway).
      if (parsed != (strict && !hasNul)) {
        violations.add("parsed=" + parsed + ", strict UTF-8=" + strict + ", NUL=" + hasNul + ": "
            + java.util.HexFormat.of().formatHex(content));
      }
    }
    assertThat(violations).isEmpty();
  }

  private static boolean isStrictUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static void checkErrors(List<FieldError> errors, byte[] body, List<String> violations) {
    if (errors.isEmpty() || errors.size() > RequestValidator.MAX_ERRORS) {
      violations.add(errors.size() + " errors: " + HttpFuzz.abbreviate(new String(body, StandardCharsets.UTF_8)));
    }
    for (FieldError e : errors) {
      if (e.loc().isEmpty() || !"body".equals(e.loc().get(0)) || e.msg().isBlank() || e.type().isBlank()) {
        violations.add("malformed error " + e);
      }
    }
  }

  /** What of a validated customer breaks the README's rules, or null. */
  private static String outOfRange(Instance c) {
    double charges = c.number("monthly_charges");
    if (c.number("tenure_months") < 1 || c.number("tenure_months") > 120 || c.number("num_products") < 1 || c.number("num_products") > 8
        || !(charges >= 18 && charges <= 1000) || Math.rint(charges * 100) / 100 != charges
        || !CONTRACTS.contains(c.category("contract_type")) || !INTERNET.contains(c.category("internet_service"))) {
      return "valid yet out of range: " + c;
    }
    return null;
  }
}
