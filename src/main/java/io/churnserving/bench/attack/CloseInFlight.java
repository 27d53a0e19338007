package io.churnserving.bench.attack;

import io.churnserving.bench.RequestBodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * {@code ws-close-in-flight}: opens a stream with the key, sends 200 valid messages and, in the same write, closes:
 * with a close frame (then reads until the server closes, at most {@link #CLOSE_WAIT_MS}), or every other time by
 * closing the TCP connection at once. So the answers come back to a stream its client has already left, which
 * once leaked the server's admission for good. Each connection does it again after {@code --interval}.
 *
 * <p>Counts {@code streams}, {@code messages}, the {@code answers} that came back before the close, and the server's
 * close codes ({@code close_1000}, ...).
 */
final class CloseInFlight implements Attack {
  static final int MESSAGES = 200;
  static final long CLOSE_WAIT_MS = 2000;
  private static final int VARIANTS = 8;

  private final AttackRun run;
  /** Blocks of 200 messages and a close frame, each with other instances. */
  private final Buffer[] withCloseFrame = new Buffer[VARIANTS];
  private final Buffer[] withoutCloseFrame = new Buffer[VARIANTS];

  CloseInFlight(AttackRun run) {
    this.run = run;
    RequestBodies instances = RequestBodies.singles(run.schema(), run.options.seed(), VARIANTS * MESSAGES);
    for (int v = 0; v < VARIANTS; v++) {
      Buffer block = Buffer.buffer();
      for (int i = 0; i < MESSAGES; i++) {
        block.appendBuffer(WebSocketFrames.text("{\"id\":\"" + i + "\",\"instance\":"
            + instances.text((v * MESSAGES + i) % instances.size()) + "}"));
      }
      withoutCloseFrame[v] = block;
      withCloseFrame[v] = block.copy().appendBuffer(WebSocketFrames.close(1000));
    }
  }

  @Override
  public void start() {
    run.startLanes(run.options.connections(), Lane::new);
  }

  private final class Lane extends WebSocketLane {
    private long round;

    Lane(NetClient client) {
      super(CloseInFlight.this.run, client, "");
    }

    @Override
    void upgraded(NetSocket s, HeadReader head) {
      int variant = (int) (round % VARIANTS);
      boolean abort = round++ % 2 == 1;
      counts.add("streams");
      counts.add(AttackCounts.MESSAGES, MESSAGES);
      if (abort) {
        counts.add("tcp_closes");
        send(s, withoutCloseFrame[variant]);
        closeOurselves(s);
        return;
      }
      counts.add("close_frames");
      readFrames(s, head, (opcode, payload) -> {
        if (opcode == WebSocketFrames.TEXT) {
          counts.add("answers");
        } else if (opcode == WebSocketFrames.CLOSE) {
          counts.add("close_" + ServerFrames.closeCode(payload));
        }
      });
      send(s, withCloseFrame[variant]);
      run.later(CLOSE_WAIT_MS, () -> {
        if (socket == s) {
          counts.add("not_closed_by_server_within_2s");
          closeOurselves(s);
        }
      });
    }

    @Override
    long pauseAfterClose() {
      return run.options.interval().toMillis();
    }
  }
}
