package io.churnserving.security;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the key file every few seconds, so keys can be added, revoked or re-scoped without a restart. The read
 * runs on a worker thread; a file that fails to parse is logged and the keys in force stay.
 */
public final class KeyFileWatcher extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(KeyFileWatcher.class);

  private final KeyRing ring;
  private final long periodMs;
  private boolean reading;

  public KeyFileWatcher(KeyRing ring, long periodMs) {
    this.ring = ring;
    this.periodMs = periodMs;
  }

  @Override
  public Future<?> start() {
    if (ring.file() != null) {
      vertx.setPeriodic(periodMs, id -> check());
    }
    return Future.succeededFuture();
  }

  private void check() {
    if (reading) {
      return;
    }
    reading = true;
    vertx.executeBlocking(ring::reload, false).onComplete(ar -> {
      reading = false;
      if (ar.failed()) {
        LOG.atError().addKeyValue("file", ring.file().toString())
            .log("Key file not reloaded, previous keys stay in force: " + ar.cause().getMessage());
      } else if (ar.result()) {
        LOG.atInfo().addKeyValue("file", ring.file().toString()).addKeyValue("keys", ring.current().names())
            .log("API keys reloaded");
      }
    });
  }
}
