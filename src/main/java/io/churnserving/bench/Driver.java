package io.churnserving.bench;

import io.vertx.core.Future;

/**
 * Puts load on the target through one transport, from one event loop. {@link HttpDriver} POSTs over HTTP/1.1;
 * {@link WebSocketDriver} sends messages on the stream, several in flight per connection, matching answers to
 * messages by id. Everything else (pacing, recording, reports) is shared.
 *
 * <p>Both methods must be called on the event loop the driver belongs to, {@link #open()} first; a driver is used
 * for one run only.
 */
interface Driver {
  /**
   * Opens the connections. Completes when each has opened or failed once; one that failed keeps retrying during
   * the run, and never fails the future.
   */
  Future<Void> open();

  /**
   * Sends what {@code pacer} says, when it says, until {@code timeline} ends, then waits for the requests still in
   * flight and closes the connections. Failures are recorded, never propagated: a refused or reset connection is a
   * result, not a reason to stop.
   */
  Future<Void> run(Timeline timeline, Pacer pacer, Recorder recorder);
}
