package io.churnserving.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Parses a body into plain Java values (Map, List, String, Integer/Long/BigInteger, Double, Boolean, null), strictly:
 * duplicate keys, trailing content, NaN/Infinity literals and invalid UTF-8 are malformed, and nesting depth and
 * string length are bounded so hostile input fails fast instead of allocating. Thread-safe.
 */
public final class JsonBodyParser {
  /** Deeper than any valid request needs (2), far below what could exhaust a stack. */
  static final int MAX_DEPTH = 32;
  static final int MAX_STRING = 64 * 1024;

  // Immutable once built, shared by every event loop.
  private static final ObjectReader READER = JsonMapper.builder(JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
              .maxStringLength(MAX_STRING).maxNumberLength(1000).build())
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build().readerFor(Object.class);

  private JsonBodyParser() {
  }

  /** The JSON value of the body; {@link MalformedJsonException} if it is not exactly one well-formed value. */
  public static Object parse(byte[] body) {
    if (body.length == 0) {
      throw new MalformedJsonException("the body is empty");
    }
    try {
      return READER.readValue(body);
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException(e.getOriginalMessage() + locationOf(e));
    } catch (IOException e) {
      throw new MalformedJsonException("unreadable body");
    }
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }
}
