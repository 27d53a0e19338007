package io.churnserving.bench.attack;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * {@code ws-deflate-bomb}: opens a stream offering {@code permessage-deflate}, then sends one compressed text frame
 * (RSV1 set) of under 64 KiB that would inflate to {@link #INFLATED_BYTES} of zeros, and reads until the server
 * closes, at most {@link #WAIT_MS}. A server that does not negotiate compression must treat RSV1 as a protocol
 * error and close at once; one that inflates before checking the size spends seconds on it.
 *
 * <p>Counts {@code extension_negotiated} (the 101 carried {@code Sec-WebSocket-Extensions}), {@code bombs}, the
 * server's close codes, {@code not_closed_within_10s}, and the longest time from the bomb to the close
 * ({@code max close_ms}).
 */
final class DeflateBomb implements Attack {
  static final long INFLATED_BYTES = 60L << 20;
  static final long WAIT_MS = 10_000;
  private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";

  private final AttackRun run;
  private final Buffer bomb;

  DeflateBomb(AttackRun run) {
    this.run = run;
    this.bomb = WebSocketFrames.frame(WebSocketFrames.TEXT, true, deflatedZeros(INFLATED_BYTES));
  }

  /**
   * {@code bytes} zeros, raw-deflated as RFC 7692 wants a message: flushed with SYNC_FLUSH and without the final
   * {@code 00 00 ff ff}. Deflate packs zeros about 1,030 to 1, so 60 MiB fits a 64 KiB frame.
   */
  static byte[] deflatedZeros(long bytes) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] zeros = new byte[1 << 20];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    for (long fed = 0; fed < bytes; fed += zeros.length) {
      deflater.setInput(zeros, 0, (int) Math.min(zeros.length, bytes - fed));
      int n;
      while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH)) > 0) {
        out.write(buffer, 0, n);
      }
    }
    int n;
    while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(buffer, 0, n);
    }
    deflater.end();
    byte[] all = out.toByteArray();
    return Arrays.copyOf(all, all.length - 4);
  }

  @Override
  public void start() {
    run.startLanes(run.options.connections(), Lane::new);
  }

  private final class Lane extends WebSocketLane {
    private long sentAt;

    Lane(NetClient client) {
      super(DeflateBomb.this.run, client, OFFER);
    }

    @Override
    void upgraded(NetSocket s, HeadReader head) {
      if (head.hasHeader("Sec-WebSocket-Extensions")) {
        counts.add("extension_negotiated");
      }
      readFrames(s, head, (opcode, payload) -> {
        if (opcode == WebSocketFrames.CLOSE) {
          counts.add("close_" + ServerFrames.closeCode(payload));
        }
      });
      sentAt = System.nanoTime();
      counts.add("bombs");
      counts.add(AttackCounts.MESSAGES);
      send(s, bomb);
      run.later(WAIT_MS, () -> {
        if (socket == s) {
          counts.add("not_closed_within_10s");
          closeOurselves(s);
        }
      });
    }

    @Override
    void closed(NetSocket s, boolean byServer) {
      if (sentAt != 0) {
        counts.max("close_ms", (System.nanoTime() - sentAt) / 1_000_000);
        sentAt = 0;
      }
    }
  }
}
