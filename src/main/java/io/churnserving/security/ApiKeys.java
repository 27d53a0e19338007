package io.churnserving.security;

import io.churnserving.config.ConfigException;
import io.churnserving.config.JsonText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The accepted API keys, held only as SHA-256 digests. A presented key is hashed and compared with every digest by
 * {@link MessageDigest#isEqual}, without stopping at the first match, so the time taken says nothing about which
 * key, or how much of one, matched. Thread-safe and immutable; a reload builds a new instance.
 */
public final class ApiKeys {
  private static final String SHA256_PREFIX = "sha256:";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final List<String> FILE_FIELD_LIST =
      List.of("name", "sha256", "scopes", "rate_limit_per_second", "rate_limit_burst");
  private static final Set<String> FILE_FIELDS = Set.copyOf(FILE_FIELD_LIST);

  private record Entry(ApiKey key, byte[] digest) {
  }

  private final List<Entry> entries;

  private ApiKeys(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Builds the key set from configured entries alone; see {@link #of(List, String)}. */
  public static ApiKeys of(List<String> configured) {
    return of(configured, null);
  }

  /**
   * Builds the key set from the configured entries, each a key or {@code sha256:<64 hex>}, named {@code key-1},
   * {@code key-2}... in order, with both scopes and the default limit; plus the named keys of a key file's text.
   * (Keys are often base64 and end in {@code =}, so configured entries carry no {@code name=} prefix.)
   *
   * @param keyFileJson the key file's content, or null
   * @throws ConfigException for a malformed entry or file, or a name used twice
   */
  public static ApiKeys of(List<String> configured, String keyFileJson) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < configured.size(); i++) {
      entries.add(new Entry(new ApiKey("key-" + (i + 1), EnumSet.allOf(Scope.class), null),
          digestOf(configured.get(i), i + 1)));
    }
    if (keyFileJson != null) {
      entries.addAll(parseFile(keyFileJson));
    }
    Set<String> names = new HashSet<>();
    for (Entry e : entries) {
      if (!names.add(e.key().name())) {
        throw new ConfigException("API key name '" + e.key().name() + "' is used twice");
      }
    }
    return new ApiKeys(entries);
  }

  private static List<Entry> parseFile(String text) {
    JsonObject root = JsonText.object(text, "key file");
    if (!root.fieldNames().equals(Set.of("keys")) || !(root.getValue("keys") instanceof JsonArray keys)) {
      throw new ConfigException("key file must be {\"keys\": [...]}");
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String where = "key file entry " + i;
      if (!(keys.getValue(i) instanceof JsonObject o)) {
        throw new ConfigException(where + " must be an object");
      }
      // Neither an unknown field's name nor a scope is echoed: a key pasted into the file by mistake could be either.
      if (!FILE_FIELDS.containsAll(o.fieldNames())) {
        throw new ConfigException(where + ": unknown field; the fields are " + FILE_FIELD_LIST);
      }
      String name = o.getValue("name") instanceof String s && NAME.matcher(s).matches() ? s : null;
      if (name == null) {
        throw new ConfigException(where + ": 'name' must be 1-64 of A-Z a-z 0-9 . _ -");
      }
      where = "key '" + name + "' in the key file";
      String hex = o.getValue("sha256") instanceof String s && HEX64.matcher(s).matches() ? s : null;
      if (hex == null) {
        throw new ConfigException(where + ": 'sha256' must be 64 hex digits (the key itself is never stored)");
      }
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      if (!(o.getValue("scopes") instanceof JsonArray list) || list.isEmpty()) {
        throw new ConfigException(where + ": 'scopes' must be a non-empty list of \"predict\", \"admin\"");
      }
      for (int j = 0; j < list.size(); j++) {
        Scope scope = list.getValue(j) instanceof String s ? Scope.parse(s) : null;
        if (scope == null) {
          throw new ConfigException(where + ": scope " + (j + 1) + " is unknown; use \"predict\" or \"admin\"");
        }
        scopes.add(scope);
      }
      int rate = positiveOrZero(o, "rate_limit_per_second", where);
      int burst = positiveOrZero(o, "rate_limit_burst", where);
      if (rate == 0 && burst != 0) {
        throw new ConfigException(where + ": 'rate_limit_burst' needs 'rate_limit_per_second'");
      }
      entries.add(new Entry(new ApiKey(name, scopes, RateLimit.ofSettings(rate, burst)),
          HexFormat.of().parseHex(hex)));
    }
    return entries;
  }

  private static int positiveOrZero(JsonObject o, String field, String where) {
    Object v = o.getValue(field);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Integer i) || i < 1) {
      throw new ConfigException(where + ": '" + field + "' must be a positive integer");
    }
    return i;
  }

  private static byte[] digestOf(String entry, int position) {
    if (!entry.startsWith(SHA256_PREFIX)) {
      return sha256(entry);
    }
    String hex = entry.substring(SHA256_PREFIX.length());
    if (!HEX64.matcher(hex).matches()) {
      throw new ConfigException("API key entry " + position + " starts with 'sha256:' but is not 64 hex digits "
          + "after it");
    }
    return HexFormat.of().parseHex(hex);
  }

  /** The key the presented value is, or null; {@code null} is never accepted. */
  public ApiKey find(String presented) {
    return presented == null ? null : findDigest(sha256(presented));
  }

  /**
   * The key whose SHA-256 digest this is, or null; compared as {@link #find} compares. For a connection that must
   * check its key again later: it keeps the digest ({@link #digest}), never the key.
   */
  public ApiKey findDigest(byte[] digest) {
    ApiKey found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(digest, e.digest()) && found == null) {
        found = e.key();
      }
    }
    return found;
  }

  /** The SHA-256 digest of a presented key, for {@link #findDigest}. */
  public static byte[] digest(String presented) {
    return sha256(presented);
  }

  /** Names of the keys, for the reload log line. */
  public List<String> names() {
    return entries.stream().map(e -> e.key().name()).toList();
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
