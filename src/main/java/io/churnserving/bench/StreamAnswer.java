package io.churnserving.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

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

  /**
   * Reads every answer of one frame: a lone answer, or the array the server writes for a burst. A burst of plain
   * predictions to this client's ids is read by scanning for ids; anything else is parsed in full.
   */
  static void readAll(String text, Consumer<StreamAnswer> each) {
    if (!text.startsWith("[")) {
      each.accept(read(text));
      return;
    }
    if (!text.contains("\"error\"")) {
      List<StreamAnswer> found = new ArrayList<>();
      int at = 0;
      while ((at = text.indexOf(ID_PREFIX, at)) >= 0) {
        StreamAnswer one = fast(text, at);
        if (one == null) {
          found = null;
          break;
        }
        found.add(one);
        at += ID_PREFIX.length();
      }
      if (found != null && !found.isEmpty()) {
        found.forEach(each);
        return;
      }
    }
    JsonArray answers;
    try {
      answers = new JsonArray(text);
    } catch (DecodeException | ClassCastException e) {
      each.accept(new StreamAnswer(NO_ID, 0));
      return;
    }
    for (Object answer : answers) {
      each.accept(answer instanceof JsonObject o ? parsed(o) : new StreamAnswer(NO_ID, 0));
    }
  }

  /** The answer whose text starts at {@code at} if it is a plain prediction to one of our ids, else null. */
  private static StreamAnswer fast(String text, int at) {
    int from = at + ID_PREFIX.length();
    int end = text.indexOf('"', from);
    if (end > from && text.startsWith(PREDICTION_NEXT, end + 1)) {
      try {
        long id = Long.parseLong(text, from, end, 10);
        return id >= 0 ? new StreamAnswer(id, 200) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static StreamAnswer read(String text) {
    if (text.startsWith(ID_PREFIX)) {
      StreamAnswer one = fast(text, 0);
      if (one != null) {
        return one;
      }
    }
    // Not one of ours, or not a plain prediction: the full parse says what it is.
    JsonObject answer;
    try {
      answer = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return new StreamAnswer(NO_ID, 0);
    }
    return parsed(answer);
  }

  private static StreamAnswer parsed(JsonObject answer) {
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
