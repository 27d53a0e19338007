package io.churnserving.bench.attack;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * A {@link RawLane} on the stream endpoint: each new connection first sends the upgrade request by hand and reads
 * the answer's head. A 101 hands the socket to {@link #upgraded}; any other answer is counted as
 * {@code upgrade_refused_STATUS}, and the lane tries again after {@link AttackRun#RETRY_MS}.
 */
abstract class WebSocketLane extends RawLane {
  private final String extraHeaders;
  private boolean refused;

  /** @param extraHeaders header lines added to the upgrade request, each ending in CRLF */
  WebSocketLane(AttackRun run, NetClient client, String extraHeaders) {
    super(run, client);
    this.extraHeaders = extraHeaders;
  }

  @Override
  final void opened(NetSocket s) {
    refused = false;
    HeadReader head = new HeadReader();
    s.handler(data -> {
      if (!head.feed(data)) {
        return;
      }
      if (head.status() == 101) {
        counts.add(AttackCounts.UPGRADES);
        s.handler(null);
        upgraded(s, head);
      } else {
        refused = true;
        counts.add("upgrade_refused_" + head.status());
        s.handler(null);
        closeOurselves(s);
      }
    });
    send(s, WebSocketFrames.upgrade(run.options.host(), run.options.port(), run.options.apiKey(), extraHeaders));
  }

  @Override
  long pauseBeforeReconnecting() {
    return refused ? AttackRun.RETRY_MS : pauseAfterClose();
  }

  /** How long to wait before the next connection once an upgraded one has closed; 0 at once. */
  long pauseAfterClose() {
    return 0;
  }

  /**
   * The upgrade succeeded: start the attack. {@code head.rest()} holds any frames that came with the head; the
   * socket has no handler until this sets one.
   */
  abstract void upgraded(NetSocket s, HeadReader head);

  /** Starts reading frames on {@code s}, the ones that came with the head first. */
  static void readFrames(NetSocket s, HeadReader head, ServerFrames.Listener listener) {
    ServerFrames frames = new ServerFrames(listener);
    Buffer rest = head.rest();
    if (rest != null && rest.length() > 0) {
      frames.feed(rest);
    }
    s.handler(frames::feed);
  }
}
