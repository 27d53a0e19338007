package io.churnserving.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/** Reads the stream's answer frames: one answer, or an array of the answers to a burst. */
public final class StreamFrames {
  private StreamFrames() {
  }

  public static void each(String frame, Consumer<JsonObject> answer) {
    if (frame.startsWith("[")) {
      new JsonArray(frame).forEach(a -> answer.accept((JsonObject) a));
    } else {
      answer.accept(new JsonObject(frame));
    }
  }
}
