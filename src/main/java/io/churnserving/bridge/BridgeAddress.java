package io.churnserving.bridge;

import io.churnserving.bus.PredictConsumerVerticle;
import io.churnserving.config.ConfigException;
import io.churnserving.events.PredictionEvents;
import io.churnserving.security.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An address a bridge client may use: what it may do there and the scope that takes.
 *
 * @param address the event-bus address
 * @param kind    whether a client sends requests to it or registers for its messages
 * @param scope   what the client's key must allow
 */
record BridgeAddress(String address, Kind kind, Scope scope) {
  /** What a client does at an address. Nothing is ever published by a client: no address takes publish frames. */
  enum Kind {
    /** {@code send} with a {@code replyAddress}; the answer comes back as a message frame. */
    REQUEST,
    /** {@code register} and {@code unregister}; the address's messages come as message frames. */
    EVENTS
  }

  /**
   * Every address the bridge can open, and on what terms. Events need {@code admin}: each carries another caller's
   * instance, which a key that may only score its own rows should not read. The monitor's snapshot is an operator's
   * view, as {@code GET /v1/models/{model}/monitor} is.
   */
  static final Map<String, BridgeAddress> KNOWN = known(
      new BridgeAddress(PredictConsumerVerticle.ADDRESS, Kind.REQUEST, Scope.PREDICT),
      new BridgeAddress(PredictionEvents.PREDICTIONS, Kind.EVENTS, Scope.ADMIN),
      new BridgeAddress(PredictionEvents.MONITOR_SNAPSHOT, Kind.REQUEST, Scope.ADMIN));

  private static Map<String, BridgeAddress> known(BridgeAddress... addresses) {
    Map<String, BridgeAddress> map = new LinkedHashMap<>();
    for (BridgeAddress a : addresses) {
      map.put(a.address(), a);
    }
    return Map.copyOf(map);
  }

  /**
   * The allow-list from {@code BRIDGE_ADDRESSES}.
   *
   * @throws ConfigException for an address the bridge does not know, or none at all
   */
  static Map<String, BridgeAddress> allowList(List<String> configured) {
    if (configured.isEmpty()) {
      throw new ConfigException("BRIDGE_ADDRESSES (bridge.addresses) names no address: list at least one of "
          + KNOWN.keySet().stream().sorted().toList() + ", or leave BRIDGE_PORT at -1");
    }
    Map<String, BridgeAddress> allowed = new LinkedHashMap<>();
    for (String a : configured) {
      BridgeAddress known = KNOWN.get(a);
      if (known == null) {
        throw new ConfigException("BRIDGE_ADDRESSES (bridge.addresses): unknown address '" + a + "'; the bridge "
            + "can open " + KNOWN.keySet().stream().sorted().toList());
      }
      allowed.put(a, known);
    }
    return Map.copyOf(allowed);
  }
}
