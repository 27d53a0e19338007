package io.churnserving.stream;

import io.churnserving.errors.Problem;
import io.churnserving.errors.Problems;
import io.churnserving.security.ApiKey;
import io.churnserving.security.KeyRing;
import io.churnserving.security.Scope;

/**
 * The key a stream was opened with, held to the keys in force rather than to those of its upgrade: a reload of the
 * key file may revoke it or take its {@code predict} scope while the stream is open. The stream keeps the key's
 * SHA-256 digest, never the key. While the key ring's generation is the one last checked, a check is one volatile
 * read; after a reload the key is looked up again by its digest. Confined to the connection's event loop.
 */
final class StreamKey {
  private static final long UNCHECKED = -1;

  private final KeyRing ring;
  private final byte[] digest;
  private long checked = UNCHECKED;
  private ApiKey key;

  /**
   * @param digest the presented key's digest
   * @param key    the key as the upgrade found it; looked up again before the first message, since the ring may
   *               have changed between the upgrade's check and this stream's start
   */
  StreamKey(KeyRing ring, byte[] digest, ApiKey key) {
    this.ring = ring;
    this.digest = digest;
    this.key = key;
  }

  /** The key as last found in force, with its current scopes and limit. */
  ApiKey key() {
    return key;
  }

  /**
   * Null while the key is in force with the {@code predict} scope; otherwise the refusal: 401 when it was revoked,
   * 403 when it lost the scope.
   */
  Problem refusal() {
    long generation = ring.generation();
    if (generation == checked) {
      return null;
    }
    ApiKey found = ring.current().findDigest(digest);
    if (found == null) {
      return Problems.forStatus(401, "The API key was revoked");
    }
    if (!found.allows(Scope.PREDICT)) {
      return Problems.forStatus(403, "The key '" + found.name() + "' lacks the '" + Scope.PREDICT.label()
          + "' scope");
    }
    key = found;
    checked = generation;
    return null;
  }
}
