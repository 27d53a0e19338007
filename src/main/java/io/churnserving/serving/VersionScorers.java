package io.churnserving.serving;

import io.churnserving.scoring.Scorer;
import io.vertx.core.Vertx;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One transport verticle's scorers, one per version it has served, made on first use: each version batches on each
 * event loop by itself, and a batch never mixes versions. Belongs to its verticle's event loop; not thread-safe.
 */
public final class VersionScorers {
  private static final long PRUNE_MS = 1000;

  private final Vertx vertx;
  private final Map<ServedVersion, Scorer> scorers = new IdentityHashMap<>();

  /** Call from the start of the verticle these scorers belong to: the prune timer runs on its event loop. */
  public VersionScorers(Vertx vertx) {
    this.vertx = vertx;
    // A version that is unloaded leaves its scorer here until the next prune; it answers nothing new by then,
    // since no request resolves to that version any more.
    vertx.setPeriodic(PRUNE_MS, id -> scorers.entrySet().removeIf(e -> {
      if (e.getKey().scorers().isClosed()) {
        e.getValue().close();
        return true;
      }
      return false;
    }));
  }

  /** This event loop's scorer for the version. */
  public Scorer of(ServedVersion version) {
    Scorer s = scorers.get(version);
    if (s == null) {
      s = version.scorers().create(vertx);
      scorers.put(version, s);
    }
    return s;
  }
}
