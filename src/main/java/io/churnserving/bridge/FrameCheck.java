package io.churnserving.bridge;

import io.churnserving.security.ApiKey;
import io.churnserving.security.ApiKeys;
import io.churnserving.security.KeyRing;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * Reads one frame and decides what it may do: a ping; a refusal, with the reason and the addresses it names; or an
 * accepted send, register or unregister, with the key in force and the address's terms. In order: the frame is a JSON
 * object with a known {@code type} and an {@code address}; it carries a key that is in force; the address is on the
 * allow-list and used as it takes (no publish; a send needs a {@code replyAddress}); the key has the scope the
 * address needs. Thread-safe: it reads the key ring in force and holds nothing per frame.
 */
final class FrameCheck {
  /** The header clients put their key in. */
  static final String KEY_HEADER = "x-api-key";
  private static final Set<String> TYPES = Set.of("send", "publish", "register", "unregister", "ping");
  private static final Ping PING = new Ping();

  /** What a frame may do. */
  sealed interface Verdict permits Ping, Refused, Accepted {
  }

  /** A ping: answered with a pong, no key needed. */
  record Ping() implements Verdict {
  }

  /**
   * A refusal.
   *
   * @param address      the frame's address, or null
   * @param replyAddress the frame's reply address, or null
   */
  record Refused(Refusal refusal, String address, String replyAddress) implements Verdict {
  }

  /**
   * A send, register or unregister that may go ahead.
   *
   * @param type         {@code send}, {@code register} or {@code unregister}
   * @param target       the address and its terms
   * @param key          the key in force
   * @param digest       the presented key's digest, for checking it again later (never the key)
   * @param replyAddress a send's reply address
   * @param headers      the frame's headers
   * @param body         a send's body
   */
  record Accepted(String type, BridgeAddress target, ApiKey key, byte[] digest, String replyAddress,
                  JsonObject headers, Object body) implements Verdict {
  }

  private final Map<String, BridgeAddress> allowed;
  private final KeyRing keys;

  FrameCheck(Map<String, BridgeAddress> allowed, KeyRing keys) {
    this.allowed = allowed;
    this.keys = keys;
  }

  Verdict check(Buffer bytes) {
    JsonObject frame;
    try {
      frame = new JsonObject(bytes);
    } catch (DecodeException | ClassCastException e) {
      return refused(400, "malformed_frame", "the frame is not a JSON object", null, null);
    }
    Object type = frame.getValue("type");
    Object address = frame.getValue("address");
    Object replyAddress = frame.getValue("replyAddress");
    String to = address instanceof String s ? s : null;
    String replyTo = replyAddress instanceof String s ? s : null;
    if (!(type instanceof String t) || !TYPES.contains(t)) {
      return refused(400, "unknown_type", "'type' must be one of send, publish, register, unregister, ping", to,
          replyTo);
    }
    if (t.equals("ping")) {
      return PING;
    }
    if (to == null) {
      return refused(400, "missing_address", "a " + t + " frame needs an 'address' string", null, replyTo);
    }
    if (replyAddress != null && replyTo == null) {
      return refused(400, "malformed_frame", "'replyAddress' must be a string", to, null);
    }
    Object headers = frame.getValue("headers");
    if (headers != null && !(headers instanceof JsonObject)) {
      return refused(400, "malformed_frame", "'headers' must be an object of strings", to, replyTo);
    }
    JsonObject h = headers == null ? new JsonObject() : (JsonObject) headers;
    if (!(h.getValue(KEY_HEADER) instanceof String key) || key.isEmpty()) {
      return refused(401, "unauthorized", "no '" + KEY_HEADER + "' header; every frame but ping carries the key", to,
          replyTo);
    }
    byte[] digest = ApiKeys.digest(key);
    ApiKey apiKey = keys.current().findDigest(digest);
    if (apiKey == null) {
      return refused(401, "unauthorized", "the API key is not valid", to, replyTo);
    }
    BridgeAddress target = allowed.get(to);
    if (target == null) {
      return refused(403, "access_denied", "'" + to + "' is not on the bridge's allow-list "
          + allowed.keySet().stream().sorted().toList(), to, replyTo);
    }
    Refusal wrongUse = wrongUse(t, target, replyTo);
    if (wrongUse != null) {
      return new Refused(wrongUse, to, replyTo);
    }
    if (!apiKey.allows(target.scope())) {
      return refused(403, "forbidden", "the key '" + apiKey.name() + "' lacks the '" + target.scope().label()
          + "' scope " + to + " needs", to, replyTo);
    }
    return new Accepted(t, target, apiKey, digest, replyTo, h, frame.getValue("body"));
  }

  private static Refused refused(int status, String code, String why, String address, String replyAddress) {
    return new Refused(Refusal.of(status, code, why), address, replyAddress);
  }

  /** A frame type the address does not take, or a request without a reply address; null when the use is right. */
  private static Refusal wrongUse(String type, BridgeAddress allowed, String replyTo) {
    String to = allowed.address();
    if (type.equals("publish")) {
      return Refusal.of(403, "access_denied", "clients may not publish; "
          + (allowed.kind() == BridgeAddress.Kind.REQUEST ? to + " takes send with a replyAddress"
          : "register to receive " + to));
    }
    if (allowed.kind() == BridgeAddress.Kind.REQUEST && !type.equals("send")) {
      return Refusal.of(403, "access_denied", to + " takes send with a replyAddress, not " + type);
    }
    if (allowed.kind() == BridgeAddress.Kind.EVENTS && type.equals("send")) {
      return Refusal.of(403, "access_denied", to + " is for receiving: register to it");
    }
    if (type.equals("send") && replyTo == null) {
      return Refusal.of(400, "missing_reply_address", to + " is request/reply: a send needs a 'replyAddress' for "
          + "its answer");
    }
    return null;
  }
}
