package io.churnserving.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * What the WebSocket driver needs from one answer of the stream: the id of the message it answers and a status,
 * 200 for {@code {"id", "prediction"}}, the problem's {@code status} for {@code {"id", "error"}}.
 *
 * <p>The server writes the id first, so the usual answer, {@code {"id":"123","prediction":{...}}} to an id this
 * client made (digits only), is read without parsing the JSON: the client shares the machine's two cores with the
 * server it measures. Anything else (errors, reordered keys, numeric ids) is parsed in full.
 *
 * @param id     the message's id, or {@link #NO_ID} when the answer carries none this client could have sent
 * @param status 200 for a prediction, the problem's status for an error, 0 when the answer is neither
 */
record StreamAnswer(long id, int status) {
  static final long NO_ID = -1;

  private static final String ID_PREFIX = "{\"id\":\"";
  private static final String PREDICTION_NEXT = ",\"prediction\":";

  static StreamAnswer read(String text) {
    if (text.startsWith(ID_PREFIX)) {
      int end = text.indexOf('"', ID_PREFIX.length());
      if (end > ID_PREFIX.length() && text.startsWith(PREDICTION_NEXT, end + 1)) {
        try {
          long id = Long.parseLong(text, ID_PREFIX.length(), end, 10);
          if (id >= 0) {
            return new StreamAnswer(id, 200);
          }
        } catch (NumberFormatException e) {
          // Not one of ours; the full parse below says what it is.
        }
      }
    }
    return parsed(text);
  }

  private static StreamAnswer parsed(String text) {
    JsonObject answer;
    try {
      answer = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return new StreamAnswer(NO_ID, 0);
    }
    long id = id(answer.getValue("id"));
    if (answer.containsKey("prediction")) {
      return new StreamAnswer(id, 200);
    }
    Object error = answer.getValue("error");
    if (error instanceof JsonObject problem && problem.getValue("status") instanceof Number status) {
      return new StreamAnswer(id, status.intValue());
    }
    return new StreamAnswer(id, 0);
  }

  private static long id(Object value) {
    if (value instanceof Number n) {
      return n.longValue() >= 0 ? n.longValue() : NO_ID;
    }
    if (value instanceof String s) {
      try {
        long id = Long.parseLong(s);
        return id >= 0 ? id : NO_ID;
      } catch (NumberFormatException e) {
        return NO_ID;
      }
    }
    return NO_ID;
  }
}
