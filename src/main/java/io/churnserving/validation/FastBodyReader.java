package io.churnserving.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a valid body straight from Jackson's token stream into instances, without first building a map per
 * instance, which was the largest cost of a batch request. It is the path nearly every request takes; it is not
 * a second validator. Each value goes through the same {@link InstanceSchema} rule the full path applies, and the
 * reader gives up, returning null, at the first thing that is not plainly valid: a value at fault, an unknown or
 * repeated key, a missing property, a value that is not a number or a string, a wrong shape, malformed JSON,
 * anything after the value. The caller then runs the full parse and validation, which names every fault, so a bad
 * body gets exactly the answer it got before; only valid bodies are faster. A test feeds both paths the fuzz
 * corpora and checks that wherever this reader answers, the full path answers the same.
 *
 * <p>Thread-safe and immutable.
 */
final class FastBodyReader {
  private final InstanceSchema schema;
  private final int maxInstances;
  private final Function<Object[], Instance> build;

  /**
   * @param build makes the instance from values the schema accepted, as the full path does
   */
  FastBodyReader(InstanceSchema schema, int maxInstances, Function<Object[], Instance> build) {
    this.schema = schema;
    this.maxInstances = maxInstances;
    this.build = build;
  }

  /** The body as one valid instance, or null when the full path must decide. */
  Instance instance(byte[] body) {
    if (!readable(body)) {
      return null;
    }
    try (JsonParser p = JsonBodyParser.tokens(body)) {
      Instance instance = p.nextToken() == JsonToken.START_OBJECT ? object(p) : null;
      return instance != null && p.nextToken() == null ? instance : null;
    } catch (IOException | RuntimeException e) {
      return null; // malformed or over a limit: the full path says which
    }
  }

  /** The body as a valid {@code {"instances": [...]}}, or null when the full path must decide. */
  List<Instance> batch(byte[] body) {
    if (!readable(body)) {
      return null;
    }
    try (JsonParser p = JsonBodyParser.tokens(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
          || !RequestValidator.INSTANCES.equals(p.currentName()) || p.nextToken() != JsonToken.START_ARRAY) {
        return null;
      }
      List<Instance> out = new ArrayList<>();
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
        Instance instance = out.size() < maxInstances ? object(p) : null;
        if (instance == null) {
          return null;
        }
        out.add(instance);
      }
      return t == JsonToken.END_ARRAY && !out.isEmpty() && p.nextToken() == JsonToken.END_OBJECT
          && p.nextToken() == null ? out : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private boolean readable(byte[] body) {
    // The full path refuses what is not strict UTF-8 before Jackson sees it; so must this one.
    return body != null && body.length > 0 && schema.size() <= Long.SIZE
        && JsonBodyParser.firstNonUtf8Byte(body) < 0;
  }

  /** The object the parser is at the start of, or null. */
  private Instance object(JsonParser p) throws IOException {
    Object[] values = new Object[schema.size()];
    List<FieldError> errors = new ArrayList<>(0);
    long present = 0;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      int i = schema.position(p.currentName());
      if (i < 0 || (present & (1L << i)) != 0) {
        return null;
      }
      present |= 1L << i;
      // The values the full path's parser makes: exact integers, doubles, strings.
      Object raw = switch (p.nextToken()) {
        case VALUE_NUMBER_INT -> p.getNumberValue();
        case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
        case VALUE_STRING -> p.getText();
        default -> null;
      };
      if (raw == null || (values[i] = schema.checkValue(i, raw, errors)) == null) {
        return null;
      }
    }
    return t == JsonToken.END_OBJECT && schema.fillDefaults(values, present) ? build.apply(values) : null;
  }
}
