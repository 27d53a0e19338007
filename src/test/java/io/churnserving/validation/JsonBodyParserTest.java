package io.churnserving.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonBodyParserTest {

  private static Object parse(String json) {
    return JsonBodyParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The message of the MalformedJsonException the body raises. */
  private static String malformed(byte[] body) {
    try {
      JsonBodyParser.parse(body);
    } catch (MalformedJsonException e) {
      return e.getMessage();
    }
    throw new AssertionError("parsed: " + new String(body, StandardCharsets.UTF_8));
  }

  private static String malformed(String body) {
    return malformed(body.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void valuesArePlainJavaWithExactIntegersAndDoubles() {
    Object value = parse("{\"i\": 24, \"l\": 12345678901, \"big\": 123456789012345678901234567890, \"f\": 24.0, "
        + "\"huge\": 1e400, \"tiny\": -1e400, \"s\": \"é€😀\", \"b\": true, \"n\": null, \"a\": [1, {}]}");
    assertThat(value).isInstanceOf(Map.class);
    Map<?, ?> map = (Map<?, ?>) value;
    List<Object> keys = List.copyOf(map.keySet());
    assertThat(keys).containsExactly("i", "l", "big", "f", "huge", "tiny", "s", "b", "n", "a");
    assertThat(map.get("i")).isEqualTo(24);
    assertThat(map.get("l")).isEqualTo(12345678901L);
    assertThat(map.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(map.get("f")).isEqualTo(24.0);
    assertThat(map.get("huge")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(map.get("tiny")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(map.get("s")).isEqualTo("é€😀");
    assertThat(map.get("b")).isEqualTo(true);
    assertThat(map.containsKey("n")).isTrue();
    assertThat(map.get("a")).isEqualTo(List.of(1, Map.of()));
    assertThat(parse("null")).isNull();
    assertThat(parse(" \"x\" ")).isEqualTo("x");
  }

  @Test
  void parseJsonWrapsTheTopLevelWithoutCopying() {
    assertThat(JsonBodyParser.parseJson(Buffer.buffer("{\"a\": {\"b\": 1}}")))
        .isEqualTo(new JsonObject().put("a", new JsonObject().put("b", 1)));
    assertThat(JsonBodyParser.parseJson(Buffer.buffer("[1, 2]"))).isEqualTo(new JsonArray().add(1).add(2));
    assertThat(JsonBodyParser.parseJson(Buffer.buffer("7"))).isEqualTo(7);
  }

  @Test
  void anEmptyBodyIsMalformed() {
    assertThat(malformed("")).isEqualTo("the body is empty");
    assertThatThrownBy(() -> JsonBodyParser.parse((Buffer) null)).isInstanceOf(MalformedJsonException.class);
    assertThat(malformed("   ")).isEqualTo("no JSON value");
  }

  @Test
  void duplicateKeysAreMalformedAtAnyDepth() {
    assertThat(malformed("{\"a\": 1, \"a\": 2}")).startsWith("duplicate key at line 1");
    assertThat(malformed("{\"x\": [{\"tenure_months\": 1, \"tenure_months\": 1}]}")).startsWith("duplicate key");
  }

  @Test
  void nonNumericNumbersAreMalformed() {
    for (String literal : List.of("NaN", "Infinity", "-Infinity", "+Infinity")) {
      assertThat(malformed("{\"monthly_charges\": " + literal + "}")).as(literal)
          .satisfiesAnyOf(m -> assertThat(m).startsWith("NaN and Infinity are not JSON numbers"),
              m -> assertThat(m).startsWith("unexpected character"));
    }
  }

  @Test
  void anythingAfterTheValueIsMalformed() {
    assertThat(malformed("{} {}")).startsWith("content after the JSON value");
    assertThat(malformed("{}x")).startsWith("unexpected token");
    assertThat(malformed("{\"a\": 1}]")).startsWith("unexpected closing bracket");
    assertThat(malformed("1 2")).startsWith("content after the JSON value");
  }

  @Test
  void nonStandardSyntaxIsMalformed() {
    assertThat(malformed("{\"a\": ")).startsWith("unexpected end of input");
    assertThat(malformed("{'a': 1}")).startsWith("unexpected character");
    assertThat(malformed("{\"a\": 1,}")).startsWith("unexpected character");
    assertThat(malformed("/* c */ {}")).startsWith("unexpected character");
    assertThat(malformed("{\"a\": 01}")).startsWith("invalid number");
    assertThat(malformed("\"a\u0001b\"")).startsWith("unescaped control character in a string");
    assertThat(malformed("\"\\x\"")).startsWith("invalid escape in a string");
  }

  @Test
  void deepNestingFailsFastAsMalformed() {
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
      assertThat(malformed("[".repeat(100_000) + "]".repeat(100_000)))
          .isEqualTo("nesting deeper than 32 levels");
      assertThat(malformed("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)))
          .isEqualTo("nesting deeper than 32 levels");
    });
    assertThat(parse("[".repeat(32) + "]".repeat(32))).isInstanceOf(List.class);
  }

  @Test
  void longStringsKeysAndNumbersAreMalformed() {
    assertThat(malformed("{\"a\": \"" + "x".repeat(JsonBodyParser.MAX_STRING + 1) + "\"}"))
        .isEqualTo("a string longer than 65536 characters");
    assertThat(parse("\"" + "x".repeat(JsonBodyParser.MAX_STRING) + "\"")).asString().hasSize(65536);
    assertThat(malformed("{\"" + "k".repeat(JsonBodyParser.MAX_NAME + 1) + "\": 1}"))
        .isEqualTo("a key longer than 1024 characters");
    assertThat(malformed("1".repeat(JsonBodyParser.MAX_NUMBER + 1)))
        .isEqualTo("a number longer than 1000 characters");
  }

  @Test
  void messagesAreShortAndEchoNothingOfTheBody() {
    for (String body : List.of("{\"a\": " + "x".repeat(500) + "}", "{\"" + "y".repeat(900) + "\": 1, \""
        + "y".repeat(900) + "\": 2}", "[" + "z".repeat(300))) {
      assertThat(malformed(body)).hasSizeLessThan(80).doesNotContain("xxx", "yyy", "zzz", "Jackson", "`");
    }
  }

  @Test
  void invalidUtf8IsMalformed() {
    assertThat(malformed(bytes('"', 0x80, '"'))).isEqualTo("invalid UTF-8 at byte 1; send JSON as UTF-8");
    assertThat(malformed(bytes('{', '"', 0xC3, 0x28, '"', ':', '1', '}'))).startsWith("invalid UTF-8 at byte 2");
    // Forms Jackson alone lets through: overlong, surrogate, past U+10FFFF, never-valid lead, cut short.
    assertThat(malformed(bytes('"', 0xC0, 0x80, '"'))).startsWith("invalid UTF-8 at byte 1");
    assertThat(malformed(bytes('"', 0xE0, 0x80, 0x80, '"'))).startsWith("invalid UTF-8 at byte 1");
    assertThat(malformed(bytes('"', 0xED, 0xA0, 0x80, '"'))).startsWith("invalid UTF-8 at byte 1");
    assertThat(malformed(bytes('"', 0xF4, 0x90, 0x80, 0x80, '"'))).startsWith("invalid UTF-8 at byte 1");
    assertThat(malformed(bytes('"', 0xF5, 0x80, 0x80, 0x80, '"'))).startsWith("invalid UTF-8 at byte 1");
    assertThat(malformed(bytes('"', 'a', 0xE2, 0x82))).startsWith("invalid UTF-8 at byte 2");
    // Past the eight-byte ASCII fast path too.
    assertThat(malformed(("{\"contract_type\": \"x" + "\u0000\"}").getBytes(StandardCharsets.UTF_8)))
        .startsWith("a NUL byte at byte 20");
  }

  @Test
  void onlyUtf8IsAccepted() {
    assertThat(malformed("{\"a\": 1}".getBytes(StandardCharsets.UTF_16BE))).startsWith("a NUL byte at byte 0");
    assertThat(malformed("{\"a\": 1}".getBytes(StandardCharsets.UTF_16LE))).startsWith("a NUL byte at byte 1");
    assertThat(malformed(bytes('1', 0))).startsWith("a NUL byte at byte 1");
    assertThat(parse("{\"contract_type\": \"ü – €  😀\"}")).isEqualTo(Map.of("contract_type", "ü – €  😀"));
  }

  /** The hand-written check and the JDK's strict decoder agree on random bytes, ASCII-heavy or not. */
  @Test
  void theUtf8CheckAgreesWithTheJdkDecoder() {
    Random random = new Random(42);
    int[] pool = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF,
        0xF0, 0xF4, 0xF5, 0xFF};
    for (int round = 0; round < 100_000; round++) {
      byte[] b = new byte[random.nextInt(24)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)] : 'a' + random.nextInt(26));
      }
      boolean jdk = strictUtf8(b) && !contains(b, (byte) 0);
      assertThat(JsonBodyParser.firstNonUtf8Byte(b) < 0).as(java.util.Arrays.toString(b)).isEqualTo(jdk);
    }
  }

  private static boolean strictUtf8(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean contains(byte[] b, byte value) {
    for (byte x : b) {
      if (x == value) {
        return true;
      }
    }
    return false;
  }
}
