package io.churnserving.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A list of web origins ({@code STREAM_ALLOWED_ORIGINS}, {@code CORS_ALLOWED_ORIGINS}): none, any ({@code *}), or
 * listed {@code scheme://host[:port]} entries with scheme http or https. Entries and the {@code Origin} headers they
 * are matched against are compared in one canonical form, RFC 6454's serialization (lower case, the scheme's default
 * port left out), so {@code https://Example.com} and {@code https://example.com:443} are the same origin.
 *
 * @param any    whether every origin is allowed ({@code *})
 * @param listed the allowed origins in canonical form; empty with {@code any} false means none is listed
 */
public record Origins(boolean any, Set<String> listed) {
  /** No origin listed: the setting is not set. */
  public static final Origins NONE = new Origins(false, Set.of());

  // What a browser sends (RFC 6454, section 7): scheme, host (a name, an IPv4 address or a bracketed IPv6 one) and
  // an optional port, with no path, no user and no trailing slash.
  private static final Pattern ORIGIN =
      Pattern.compile("((?i)https?)://([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?");

  public Origins {
    listed = Set.copyOf(listed);
  }

  /** Whether the setting is set, to {@code *} or to some origins. */
  public boolean isSet() {
    return any || !listed.isEmpty();
  }

  /**
   * Whether an {@code Origin} header is allowed by the list: with {@code *}, any http or https origin and the opaque
   * origin {@code null} (a sandboxed page, a file); else a listed one. Malformed headers are never allowed.
   */
  public boolean allows(String originHeader) {
    if (originHeader == null) {
      return false;
    }
    String canonical = canonical(originHeader);
    if (any) {
      return canonical != null || originHeader.equals("null");
    }
    return canonical != null && listed.contains(canonical);
  }

  /**
   * The canonical form of an origin, {@code scheme://host[:port]} in lower case with the scheme's default port left
   * out, or null when the text is not an http or https origin.
   */
  public static String canonical(String origin) {
    Matcher m = ORIGIN.matcher(origin.trim());
    if (!m.matches()) {
      return null;
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    int port = m.group(3) == null ? defaultPort(scheme) : Integer.parseInt(m.group(3));
    if (port < 1 || port > 65535) {
      return null;
    }
    return scheme + "://" + m.group(2).toLowerCase(Locale.ROOT) + (port == defaultPort(scheme) ? "" : ":" + port);
  }

  /** As the setting is written: {@code *}, the origins separated by commas, or nothing. */
  @Override
  public String toString() {
    return any ? "*" : String.join(",", listed.stream().sorted().toList());
  }

  /** An {@code Origin} header as a message may quote it: at most 100 characters, printable ASCII only. */
  public static String shown(String originHeader) {
    String cut = originHeader.length() > 100 ? originHeader.substring(0, 100) + "..." : originHeader;
    return cut.replaceAll("[^\\x20-\\x7e]", "?").replace('\'', '?');
  }

  /** The port a URL of this scheme means when it names none. */
  public static int defaultPort(String scheme) {
    return scheme.equalsIgnoreCase("https") ? 443 : 80;
  }

  /**
   * Reads a setting's entries.
   *
   * @param entries the entries, trimmed and non-empty
   * @param origin  where they came from, for messages
   * @throws ConfigException naming the first entry that is not an origin, or a {@code *} beside other entries
   */
  static Origins parse(List<String> entries, String origin) {
    if (entries.equals(List.of("*"))) {
      return new Origins(true, Set.of());
    }
    List<String> canonical = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      if (entry.equals("*")) {
        throw new ConfigException(origin + ": '*' allows every origin, so it must be the only entry");
      }
      String c = canonical(entry);
      if (c == null) {
        throw new ConfigException(origin + ": entry " + (i + 1) + " '" + entry + "' is not an origin: write "
            + "scheme://host[:port] with scheme http or https and no path, or * alone");
      }
      canonical.add(c);
    }
    return new Origins(false, Set.copyOf(canonical));
  }
}
