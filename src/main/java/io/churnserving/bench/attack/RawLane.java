package io.churnserving.bench.attack;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * One raw TCP connection that an attack keeps open for the whole run: opened at start, opened again as soon as the
 * server closes it (after {@link AttackRun#RETRY_MS} when a connect fails). Counts connections, closes by the
 * server and failed connects. Confined to one event loop.
 */
abstract class RawLane {
  final AttackRun run;
  final AttackCounts counts;
  private final NetClient client;
  /** The connection now, or null between connections. */
  NetSocket socket;
  /** The lane closed its socket itself, so the close is not the server's doing. */
  private boolean closingOurselves;

  RawLane(AttackRun run, NetClient client) {
    this.run = run;
    this.counts = run.counts;
    this.client = client;
  }

  /** Opens the first connection. */
  final void start() {
    connect();
  }

  private void connect() {
    if (!run.running()) {
      return;
    }
    client.connect(run.options.port(), run.options.host()).onComplete(ar -> {
      if (ar.failed()) {
        counts.add(AttackCounts.CONNECT_FAILED);
        counts.error(ar.cause());
        run.later(AttackRun.RETRY_MS, this::connect);
        return;
      }
      NetSocket s = ar.result();
      if (!run.running()) {
        s.close();
        return;
      }
      counts.add(AttackCounts.CONNECTIONS);
      socket = s;
      closingOurselves = false;
      s.exceptionHandler(counts::error);
      s.closeHandler(v -> {
        socket = null;
        if (!run.running()) {
          return;
        }
        if (!closingOurselves) {
          counts.add(AttackCounts.CLOSED_BY_SERVER);
        }
        closed(s, !closingOurselves);
        long pause = pauseBeforeReconnecting();
        if (pause > 0) {
          run.later(pause, this::connect);
        } else {
          connect();
        }
      });
      opened(s);
    });
  }

  /** Writes and counts the bytes. */
  final void send(NetSocket s, Buffer bytes) {
    s.write(bytes);
    counts.add(AttackCounts.BYTES_SENT, bytes.length());
  }

  /** Closes the connection from this side; the lane then opens the next one. */
  final void closeOurselves(NetSocket s) {
    if (socket == s) {
      closingOurselves = true;
      s.close();
    }
  }

  /** A new connection is open: start the attack on it. */
  abstract void opened(NetSocket s);

  /** Connection {@code s} has ended, closed by the server or by this lane; the next one follows. */
  void closed(NetSocket s, boolean byServer) {
  }

  /** How long to wait before the next connection once one has closed; 0 at once. */
  long pauseBeforeReconnecting() {
    return 0;
  }
}
