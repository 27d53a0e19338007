package io.churnserving.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;

/**
 * Parses a JSON object from a file's text and reports a fault by line and column only. Jackson's own messages quote
 * the offending token and an excerpt of the text, and these files hold keys: neither may reach a message.
 */
public final class JsonText {
  private JsonText() {
  }

  /**
   * The text as a JSON object.
   *
   * @param what names the text in a message, e.g. {@code "config file conf/config.json"}
   * @throws ConfigException naming {@code what} and where the fault is, never what is there
   */
  public static JsonObject object(String text, String what) {
    if (text.isBlank()) {
      throw new ConfigException(what + " is empty: it must hold a JSON object, {} at least");
    }
    // The parser Vert.x itself uses, so what passes here parses the same way below. A key written twice is refused:
    // the second would silently win, and the first is most often the one being edited.
    try (JsonParser parser = JacksonCodec.createParser(text)) {
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new ConfigException(what + " is not a JSON object" + at(parser.currentTokenLocation()));
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        throw new ConfigException(what + " has more after its JSON object" + at(parser.currentTokenLocation()));
      }
    } catch (JsonProcessingException e) {
      boolean twice = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
      throw new ConfigException(what + (twice ? " has the same key twice in one object" : " is not valid JSON")
          + at(e.getLocation()));
    } catch (IOException | DecodeException e) {
      throw new ConfigException(what + " is not valid JSON");
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException(what + " is not valid JSON");
    }
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1 ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
