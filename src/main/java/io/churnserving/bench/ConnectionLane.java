package io.churnserving.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * What every driver's lane does with its one connection: open it once before the run, and open it again when it is
 * lost, retrying every {@link #RECONNECT_DELAY_MS} ms while the target refuses, so that a refused port never turns
 * into a busy loop of attempts. Confined to the driver's event loop.
 *
 * @param <C> the connection: an HTTP connection or a WebSocket
 */
abstract class ConnectionLane<C> {
  static final long RECONNECT_DELAY_MS = 100;

  private final Vertx vertx;
  /** An attempt is under way, or waiting out its delay: the lane neither sends nor starts another. */
  boolean connecting;

  ConnectionLane(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Before the run: one attempt for every lane; the returned future completes when each has succeeded or failed. */
  static Future<Void> openAll(List<? extends ConnectionLane<?>> lanes) {
    return Future.join(lanes.stream().map(ConnectionLane::openOnce).toList()).mapEmpty();
  }

  /** At the start of the run: counts the lanes already open as connections opened. */
  static void recordOpen(List<? extends ConnectionLane<?>> lanes, Recorder recorder) {
    for (ConnectionLane<?> lane : lanes) {
      if (lane.isOpen()) {
        recorder.connected();
      }
    }
  }

  /** Whether the lane holds a connection now. */
  abstract boolean isOpen();

  /** Starts one attempt to connect. */
  abstract Future<C> connect();

  /** Takes a new connection into use. */
  abstract void adopt(C connection);

  /** Goes on after a reconnection: sends, or waits for what is due. */
  abstract void reconnected();

  /** Goes on after a refused attempt's delay: tries again if the run still wants the connection. */
  abstract void retry();

  /** The run's recorder, or null before the run. */
  abstract Recorder recorder();

  /** Before the run: one attempt, its failure left for the run to retry and record. */
  Future<Void> openOnce() {
    connecting = true;
    return connect().map(c -> {
      connecting = false;
      adopt(c);
      return (Void) null;
    }).otherwise(e -> {
      connecting = false;
      return null;
    });
  }

  /** During the run: an attempt whose failure is recorded and retried after the delay. */
  void reconnect() {
    connecting = true;
    connect().onComplete(ar -> {
      connecting = false;
      if (ar.succeeded()) {
        adopt(ar.result());
        reconnected();
      } else {
        recorder().connectFailed(ar.cause(), System.nanoTime());
        connecting = true;
        vertx.setTimer(RECONNECT_DELAY_MS, id -> {
          connecting = false;
          retry();
        });
      }
    });
  }
}
