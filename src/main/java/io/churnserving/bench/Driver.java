package io.churnserving.bench;

import io.vertx.core.Future;

/** Puts load on the target through one transport; the HTTP driver now, a WebSocket driver to come. */
interface Driver {
  /** Runs until {@code endNanos}, recording into {@code recorder}; completes when every request has ended. */
  Future<Void> run(long endNanos, Recorder recorder);
}
