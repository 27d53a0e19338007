package io.churnserving.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How the harness's command lines read values: durations, whole numbers, and which targets count as this machine.
 * Shared by the load test and the attack clients, so both accept the same spellings and refuse the same targets.
 * Each parser throws {@link IllegalArgumentException} with a message fit for the user, naming the option.
 */
public final class OptionValues {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private OptionValues() {
  }

  /** Parses {@code 500ms}, {@code 1.5s}, {@code 2m}, or a number of seconds, for the option {@code --name}. */
  public static Duration duration(String name, String text) {
    var m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--" + name + " '" + text + "' is not a duration like 500ms, 10s or 2m");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis = amount * switch (unit) {
      case "ms" -> 1;
      case "m" -> 60_000;
      default -> 1000;
    };
    if (millis > Duration.ofDays(1).toMillis()) {
      throw new IllegalArgumentException("--" + name + " " + text + " is over a day");
    }
    return Duration.ofMillis(Math.round(millis));
  }

  /** Parses a whole number, {@code _} allowed between digits, for the option {@code --name}. */
  public static long wholeNumber(String name, String text) {
    try {
      return Long.parseLong(text.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " '" + text + "' is not a whole number");
    }
  }

  /**
   * Loopback by name ({@code localhost}) or by literal address; other names are not resolved, so a name that
   * happens to point here does not count.
   */
  public static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!IPV4.matcher(literal).matches() && !literal.contains(":")) {
      return false;
    }
    try {
      // A literal address is parsed, never looked up.
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
