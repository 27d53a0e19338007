package io.churnserving.bench.attack;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that write as fast as the server takes their bytes and never read what it answers: pipelined HTTP/1.1
 * GETs ({@code h1-no-read}), WebSocket pings ({@code ws-ping-flood}), or invalid stream messages
 * ({@code ws-invalid-burst}). Each connection has a small receive buffer and stops reading at once, so every
 * answer the server makes stays on the server's side; each writes one chunk whenever its write queue has room, so
 * it stalls (holding its connection) when the server stops reading it, and goes on when the server reads again.
 * A connection the server closes is opened again at once.
 */
final class NeverReadingFlood implements Attack {
  /** Small, so what is not read backs up to the server after a few kilobytes. */
  static final int RECEIVE_BUFFER_BYTES = 4096;

  private final AttackRun run;
  private final boolean webSocket;
  private final Buffer chunk;
  private final String unit;
  private final int unitsPerChunk;
  private final List<RawLane> lanes = new ArrayList<>();

  private NeverReadingFlood(AttackRun run, boolean webSocket, Buffer chunk, String unit, int unitsPerChunk) {
    this.run = run;
    this.webSocket = webSocket;
    this.chunk = chunk;
    this.unit = unit;
    this.unitsPerChunk = unitsPerChunk;
  }

  /** {@code h1-no-read}: 1,000 pipelined {@code GET /openapi.json} (no key needed) per write. */
  static NeverReadingFlood pipelinedGets(AttackRun run) {
    String request = "GET /openapi.json HTTP/1.1\r\nHost: " + run.options.host() + "\r\n\r\n";
    int perChunk = 1000;
    return new NeverReadingFlood(run, false, Buffer.buffer(request.repeat(perChunk), "ISO-8859-1"),
        AttackCounts.REQUESTS, perChunk);
  }

  /** {@code ws-ping-flood}: 500 pings of 125 bytes (the most a control frame carries) per write. */
  static NeverReadingFlood pings(AttackRun run) {
    int perChunk = 500;
    return new NeverReadingFlood(run, true, WebSocketFrames.repeat(WebSocketFrames.frame(WebSocketFrames.PING,
        false, new byte[125]), perChunk), "pings", perChunk);
  }

  /**
   * {@code ws-invalid-burst}: per write, one 64 KiB burst of 32,767 items that are not messages ({@code [1,1,...]},
   * the largest that fits the default 64 KiB frame limit) and 50 malformed or invalid messages.
   */
  static NeverReadingFlood invalidMessages(AttackRun run) {
    int items = 32_767;
    Buffer chunk = WebSocketFrames.text("[" + "1,".repeat(items - 1) + "1]");
    String[] bad = {"{not json", "{\"id\":\"no-instance\"}", "{\"id\":\"bad\",\"instance\":{\"no_such_field\":1}}",
        "[]", "\"just a string\""};
    for (int i = 0; i < 50; i++) {
      chunk.appendBuffer(WebSocketFrames.text(bad[i % bad.length]));
    }
    return new NeverReadingFlood(run, true, chunk, AttackCounts.MESSAGES, items + 50);
  }

  @Override
  public void start() {
    NetClient client = run.netClient(RECEIVE_BUFFER_BYTES);
    for (int i = 0; i < run.options.connections(); i++) {
      RawLane lane = webSocket ? new WebSocketLane(run, client, "") {
        @Override
        void upgraded(NetSocket s, HeadReader head) {
          s.pause();
          pump(this, s);
        }
      } : new RawLane(run, client) {
        @Override
        void opened(NetSocket s) {
          s.pause();
          pump(this, s);
        }
      };
      lanes.add(lane);
      lane.start();
    }
  }

  /** Writes while the socket takes it, then waits for it to drain; stops with the run or the connection. */
  private void pump(RawLane lane, NetSocket s) {
    while (run.running() && lane.socket == s && !s.writeQueueFull()) {
      lane.send(s, chunk);
      run.counts.add(unit, unitsPerChunk);
    }
    if (run.running() && lane.socket == s) {
      s.drainHandler(v -> pump(lane, s));
    }
  }
}
