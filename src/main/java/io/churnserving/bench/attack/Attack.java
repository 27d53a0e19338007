package io.churnserving.bench.attack;

/**
 * One hostile client, of one {@link AttackKind}, with all its connections. It is made with its {@link AttackRun} and
 * started once on an event loop; from then on it keeps up its pressure, reopening what the server closes, until the
 * run stops. It records everything it does and sees in the run's {@link AttackCounts}; nothing it meets (a refused
 * connection, a reset, a garbled answer) stops it.
 */
interface Attack {
  /** Opens the connections and starts sending. Called once, on an event loop. */
  void start();
}
