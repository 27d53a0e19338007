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
  private final Vertx vertx;
  private final Map<ServedVersion, Scorer> scorers = new IdentityHashMap<>();

  public VersionScorers(Vertx vertx) {
    this.vertx = vertx;
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
