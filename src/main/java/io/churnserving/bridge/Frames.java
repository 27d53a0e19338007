package io.churnserving.bridge;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The frames the server writes, as vertx-tcp-eventbus-bridge writes them: a 4-byte big-endian length, then the JSON.
 * {@code message} for an answer or an event, {@code pong} for a ping, {@code err} for a failure or a refusal.
 */
final class Frames {
  private Frames() {
  }

  static Buffer pong() {
    return frame(new JsonObject().put("type", "pong"));
  }

  /**
   * A message: an answer (to the client's {@code replyAddress}, {@code send} true) or an event (to the address the
   * client registered, {@code send} false).
   */
  static Buffer message(String address, MultiMap headers, boolean send, Object body) {
    JsonObject frame = new JsonObject().put("type", "message").put("address", address);
    JsonObject h = new JsonObject();
    for (Map.Entry<String, String> e : headers) {
      h.put(e.getKey(), e.getValue());
    }
    frame.put("headers", h).put("send", send);
    if (body != null) {
      frame.put("body", body);
    }
    return frame(frame);
  }

  /** The failure of a request the consumer refused or that got no answer, as the library reports it. */
  static Buffer failure(String address, String replyAddress, ReplyException failure) {
    return frame(new JsonObject().put("type", "err").put("address", replyAddress).put("sourceAddress", address)
        .put("failureCode", failure.failureCode()).put("failureType", failure.failureType().name())
        .put("message", failure.getMessage()));
  }

  /**
   * A refusal: {@code message} is {@code <code>: <why>}, {@code failureCode} the HTTP status of the same refusal;
   * {@code address} is the refused request's {@code replyAddress} and {@code sourceAddress} its address, when it had
   * them, so that a client can tell which request it was.
   */
  static Buffer refusal(Refusal refusal, String address, String replyAddress) {
    JsonObject frame = new JsonObject().put("type", "err");
    if (replyAddress != null) {
      frame.put("address", replyAddress);
    }
    if (address != null) {
      frame.put("sourceAddress", address);
    }
    frame.put("failureCode", refusal.status()).put("message", refusal.message());
    if (refusal.retryAfterS() > 0) {
      frame.put("retryAfter", refusal.retryAfterS());
    }
    return frame(frame);
  }

  private static Buffer frame(JsonObject json) {
    Buffer payload = json.toBuffer();
    return Buffer.buffer(payload.length() + 4).appendInt(payload.length()).appendBuffer(payload);
  }
}
