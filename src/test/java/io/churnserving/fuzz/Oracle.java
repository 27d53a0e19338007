package io.churnserving.fuzz;

import io.churnserving.support.Models;
import io.churnserving.validation.JsonBodyParser;
import io.churnserving.validation.MalformedJsonException;
import io.churnserving.validation.RequestValidator;
import io.churnserving.validation.Validated;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * What the server should answer for a body, worked out in process with the same parser and validator: 413 past
 * the endpoint's limit, 400 for malformed JSON, 422 for invalid input, else 200 (with how many predictions). Any
 * other exception out of the parser or validator is itself a failure the properties report.
 */
final class Oracle {
  static final Set<Integer> CLIENT_ERRORS = Set.of(400, 413, 415, 422);
  /** Body limits of the bundled config (conf/config.json). */
  static final int MAX_BODY = 65_536;
  static final int MAX_BATCH_BODY = 1_048_576;

  private static final RequestValidator VALIDATOR = Models.validator();

  /** The expected status and, for 200, the number of predictions. */
  record Expected(int status, int predictions) {
  }

  private Oracle() {
  }

  static Expected instance(byte[] body) {
    return expected(body, MAX_BODY, json -> {
      Validated<?> v = VALIDATOR.validateInstance(json, RequestValidator.BODY);
      return v.isValid() ? 1 : -1;
    });
  }

  static Expected batch(byte[] body) {
    return expected(body, MAX_BATCH_BODY, json -> {
      Validated<? extends List<?>> v = VALIDATOR.validateBatch(json, RequestValidator.BODY);
      return v.isValid() ? v.orElseThrow().size() : -1;
    });
  }

  /**
   * 413 over the size limit, 400 when malformed, else 200 with the predictions {@code validate} counts or, when it
   * counts -1, 422.
   */
  private static Expected expected(byte[] body, int limit, ToIntFunction<Object> validate) {
    if (body.length > limit) {
      return new Expected(413, 0);
    }
    Object json;
    try {
      json = JsonBodyParser.parse(body);
    } catch (MalformedJsonException e) {
      return new Expected(400, 0);
    }
    int predictions = validate.applyAsInt(json);
    return predictions >= 0 ? new Expected(200, predictions) : new Expected(422, 0);
  }
}
