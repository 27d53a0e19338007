package io.churnserving.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * Parses a request body into one JSON value, strictly, the same way for every transport.
 *
 * <p>Values come as plain Java: objects as {@code Map<String, Object>} (insertion-ordered), arrays as
 * {@code List<Object>}, strings, {@code Boolean}, {@code null}, integers exact as {@code Integer}, {@code Long} or
 * {@code BigInteger}, other numbers as {@code Double}, so a number too big for a double arrives as an infinity for
 * the validator to refuse as a field error. {@link #parseJson} gives the same value with a top-level object or
 * array wrapped (not copied) as {@link JsonObject} or {@link JsonArray}.
 *
 * <p>Malformed, and failing fast with {@link MalformedJsonException}: an empty body; bytes that are not strict
 * UTF-8 (overlong forms, surrogates, code points past U+10FFFF; a NUL byte, which also refuses UTF-16 and UTF-32,
 * since Jackson alone would detect and accept them); duplicate keys at any depth; NaN and Infinity literals;
 * anything after the value; nesting deeper than {@value #MAX_DEPTH}; a string longer than {@value #MAX_STRING}
 * characters, a key longer than {@value #MAX_NAME}, a number longer than {@value #MAX_NUMBER}. The body's total
 * size is the transport's to bound before calling this.
 *
 * <p>Thread-safe and stateless; the reader is built once.
 */
public final class JsonBodyParser {
  /** Deeper than any valid request needs (3), far below what could exhaust a stack. */
  public static final int MAX_DEPTH = 32;
  /** Longest string value, in characters. */
  public static final int MAX_STRING = 64 * 1024;
  /** Longest key, in characters: extra keys are echoed in errors, so they stay short. */
  public static final int MAX_NAME = 1024;
  /** Longest number literal, in characters. */
  public static final int MAX_NUMBER = 1000;

  // Immutable configuration, shared by every event loop: a constant, not mutable global state.
  private static final JsonFactory FACTORY = factory(true);
  /**
   * The same limits without Jackson's duplicate-key check, which was a tenth of a batch's reading time: the token
   * reader only reads objects whose keys it knows, and notices a repeated one itself.
   */
  private static final JsonFactory TOKENS = factory(false);
  private static final ObjectReader READER = JsonMapper.builder(FACTORY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build()
      .readerFor(Object.class);

  /** Jackson's message prefixes, each turned into a fixed, short text that echoes nothing of the body. */
  private static final String[][] MESSAGES = {
      {"Document nesting depth", "nesting deeper than " + MAX_DEPTH + " levels"},
      {"String value length", "a string longer than " + MAX_STRING + " characters"},
      {"Name length", "a key longer than " + MAX_NAME + " characters"},
      {"Number value length", "a number longer than " + MAX_NUMBER + " characters"},
      {"Duplicate field", "duplicate key"},
      {"Non-standard token", "NaN and Infinity are not JSON numbers"},
      {"Trailing token", "content after the JSON value"},
      {"Unexpected end-of-input", "unexpected end of input"},
      {"No content to map", "no JSON value"},
      {"Invalid UTF-8", "invalid UTF-8"},
      {"Illegal unquoted character", "unescaped control character in a string"},
      {"Invalid numeric value", "invalid number"},
      {"Unexpected character", "unexpected character"},
      {"Unexpected close marker", "unexpected closing bracket"},
      {"Unrecognized character escape", "invalid escape in a string"},
      {"Unrecognized token", "unexpected token"},
  };

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long LOW_BITS = 0x0101010101010101L;

  private JsonBodyParser() {
  }

  /**
   * The JSON value of the body, as plain Java values.
   *
   * @throws MalformedJsonException the body is not exactly one well-formed JSON value within the limits
   */
  public static Object parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new MalformedJsonException("the body is empty");
    }
    int bad = firstNonUtf8Byte(body);
    if (bad >= 0) {
      throw new MalformedJsonException((body[bad] == 0 ? "a NUL byte" : "invalid UTF-8") + " at byte " + bad
          + "; send JSON as UTF-8");
    }
    try {
      return READER.readValue(body);
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException(describe(e));
    } catch (IOException e) {
      throw new MalformedJsonException("unreadable body");
    }
  }

  /**
   * The JSON value of the body, as plain Java values; null (vertx-web's body for zero bytes) is empty.
   *
   * @throws MalformedJsonException the body is not exactly one well-formed JSON value within the limits
   */
  public static Object parse(Buffer body) {
    return parse(body == null ? null : body.getBytes());
  }

  /**
   * As {@link #parse(Buffer)}, with a top-level object wrapped as a {@link JsonObject} and a top-level array as a
   * {@link JsonArray}; nested values stay plain, and Vert.x wraps them as they are read.
   *
   * @throws MalformedJsonException the body is not exactly one well-formed JSON value within the limits
   */
  @SuppressWarnings("unchecked")
  public static Object parseJson(Buffer body) {
    Object value = parse(body);
    if (value instanceof Map<?, ?> map) {
      return new JsonObject((Map<String, Object>) map);
    }
    if (value instanceof List<?> list) {
      return new JsonArray((List<Object>) list);
    }
    return value;
  }

  /**
   * A token stream over the body with the same limits as {@link #parse} but no duplicate-key check, for
   * {@link FastBodyReader}; it checks neither the UTF-8 nor the end of input, which its caller does.
   */
  static JsonParser tokens(byte[] body) throws IOException {
    return TOKENS.createParser(body);
  }

  private static JsonFactory factory(boolean duplicateDetection) {
    return JsonFactory.builder()
        .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, duplicateDetection)
        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxStringLength(MAX_STRING)
            .maxNameLength(MAX_NAME)
            .maxNumberLength(MAX_NUMBER)
            .build())
        .build();
  }

  private static String describe(JsonProcessingException e) {
    String original = String.valueOf(e.getOriginalMessage());
    String text = "invalid JSON";
    for (String[] known : MESSAGES) {
      if (original.startsWith(known[0])) {
        text = known[1];
        break;
      }
    }
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1 || at.getColumnNr() < 1 ? text
        : text + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /**
   * Index of the first byte that breaks strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
   * U+10FFFF) or is NUL, or -1. ASCII, nearly every body, is checked eight bytes at a time.
   */
  static int firstNonUtf8Byte(byte[] b) {
    int i = 0;
    int n = b.length;
    for (; i + Long.BYTES <= n; i += Long.BYTES) {
      long w = (long) LONGS.get(b, i);
      // Any byte with its high bit set (non-ASCII), or any zero byte (the classic has-zero-byte test).
      if (((w | ((w - LOW_BITS) & ~w)) & HIGH_BITS) != 0) {
        break;
      }
    }
    while (i < n) {
      int c = b[i];
      if (c > 0) {
        i++;
        continue;
      }
      if (c == 0) {
        return i;
      }
      int lead = c & 0xFF;
      int length;
      int low = 0x80;
      int high = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) {
          low = 0xA0; // shorter forms are overlong
        } else if (lead == 0xED) {
          high = 0x9F; // U+D800..U+DFFF are surrogates
        }
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) {
          low = 0x90; // overlong
        } else if (lead == 0xF4) {
          high = 0x8F; // past U+10FFFF
        }
      } else {
        return i; // a continuation byte without a lead, C0/C1 (overlong) or F5..FF (never valid)
      }
      if (i + length > n) {
        return i;
      }
      int second = b[i + 1] & 0xFF;
      if (second < low || second > high) {
        return i;
      }
      for (int k = 2; k < length; k++) {
        if ((b[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += length;
    }
    return -1;
  }
}
