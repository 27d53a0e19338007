package io.churnserving.security;

import io.churnserving.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The accepted API keys, held only as SHA-256 digests. A presented key is hashed and compared with every digest by
 * {@link MessageDigest#isEqual}, without stopping at the first match, so the time taken says nothing about which
 * key, or how much of one, matched. Thread-safe and immutable.
 */
public final class ApiKeys {
  private static final String SHA256_PREFIX = "sha256:";

  private final List<byte[]> digests;

  private ApiKeys(List<byte[]> digests) {
    this.digests = digests;
  }

  /**
   * Builds the key set from configured entries: a plain key, or {@code sha256:<64 hex digits>} of one.
   *
   * @throws ConfigException for a malformed digest
   */
  public static ApiKeys of(List<String> configured) {
    return new ApiKeys(configured.stream().map(ApiKeys::digestOf).toList());
  }

  private static byte[] digestOf(String entry) {
    if (!entry.startsWith(SHA256_PREFIX)) {
      return sha256(entry);
    }
    String hex = entry.substring(SHA256_PREFIX.length());
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new ConfigException("API key entry 'sha256:...' must hold 64 hex digits");
    }
    return HexFormat.of().parseHex(hex);
  }

  /** True when the presented key is one of the accepted keys; {@code null} is never accepted. */
  public boolean accepts(String presented) {
    if (presented == null) {
      return false;
    }
    byte[] digest = sha256(presented);
    boolean match = false;
    for (byte[] accepted : digests) {
      match |= MessageDigest.isEqual(digest, accepted);
    }
    return match;
  }

  /** The SHA-256 digest, as configured entries write it: {@code sha256:<hex>}. */
  public static String hashEntry(String key) {
    return SHA256_PREFIX + HexFormat.of().formatHex(sha256(key));
  }

  private static byte[] sha256(String value) {
    return DIGEST.get().digest(value.getBytes(StandardCharsets.UTF_8));
  }

  // Looking a provider up costs more than hashing a key; each event loop keeps its own digest.
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  });
}
