package io.churnserving.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ids of a message or a burst exactly as the client wrote them. Parsed into Java values, {@code 1e999} would
 * become an infinity, {@code 1.50} would lose its zero and {@code "\u0041"} its escape, so different ids could
 * come back as one; the answer echoes each id's own JSON text instead ({@link RawValue}, written as is).
 *
 * <p>Reads only as far as it must: a message's top-level {@code "id"}, skipping instances whole. The text has
 * already passed {@link io.churnserving.validation.JsonBodyParser}'s limits, so a plain parser is safe here.
 */
final class MessageIds {
  private static final JsonFactory FACTORY = new JsonFactory();

  private MessageIds() {
  }

  /** The id of a lone message, as written, or null if it has none that is a string or a number. */
  static RawValue single(byte[] text) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      parser.nextToken();
      return idOf(parser, text);
    } catch (IOException e) {
      return null;
    }
  }

  /** The id of each message of a burst, as written, null where it has none that is a string or a number. */
  static RawValue[] burst(byte[] text, int size) {
    RawValue[] ids = new RawValue[size];
    try (JsonParser parser = FACTORY.createParser(text)) {
      parser.nextToken(); // [
      for (int i = 0; i < size && parser.nextToken() != JsonToken.END_ARRAY; i++) {
        ids[i] = idOf(parser, text);
      }
    } catch (IOException e) {
      Arrays.fill(ids, null);
    }
    return ids;
  }

  /** With the parser on a value: that value's id if it is an object; leaves the parser at the value's end. */
  private static RawValue idOf(JsonParser parser, byte[] text) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return null;
    }
    RawValue id = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      boolean isId = "id".equals(parser.currentName());
      JsonToken value = parser.nextToken();
      if (isId && value.isNumeric()) {
        id = new RawValue(parser.getText()); // a number's text is kept as written
      } else if (isId && value == JsonToken.VALUE_STRING) {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        parser.finishToken(); // a string is read lazily; its end is known once it is read
        int end = (int) parser.currentLocation().getByteOffset();
        id = new RawValue(new String(text, start, end - start, StandardCharsets.UTF_8));
      } else {
        parser.skipChildren();
      }
    }
    return id;
  }
}
