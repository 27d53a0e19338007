package io.churnserving.bench.attack;

import io.churnserving.bench.OptionValues;
import io.churnserving.bench.SchemaFile;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one attack run does, parsed once from the command line. Attacks aim at this machine only: there is no
 * {@code --allow-remote} here, since these clients exist to hurt the server they point at.
 *
 * @param kind        which hostile client
 * @param host        the server's host, a loopback name or address
 * @param port        the server's port
 * @param duration    how long the attack goes on, unless SIGTERM or SIGINT ends it first
 * @param connections connections (or concurrent clients) the attack keeps open
 * @param streams     HTTP/2 streams per connection, for the attacks that open streams; 0 otherwise
 * @param interval    time between rounds, for the attacks that pace rounds; zero otherwise
 * @param apiKey      sent as {@code X-API-Key} by the attacks that use a key
 * @param schema      the request schema the valid bodies some attacks send are drawn from; read by
 *                    {@link SchemaFile}, only for those attacks
 * @param seed        seed of the random valid bodies some attacks send
 * @param out         where to write {@code PATH.json}, or null
 * @param progress    how often a line of counts goes to stderr; zero for never
 */
record AttackOptions(AttackKind kind, String host, int port, Duration duration, int connections, int streams,
                     Duration interval, String apiKey, Path schema, long seed, Path out,
                     Duration progress) {

  static final String DEFAULT_URL = "http://127.0.0.1:8080";
  static final Duration DEFAULT_DURATION = Duration.ofSeconds(300);
  static final Duration DEFAULT_PROGRESS = Duration.ofSeconds(10);
  static final String DEFAULT_API_KEY = "dev-key";
  static final long DEFAULT_SEED = 42;
  /** Far above any default: past it the client, not the server, is what a run would measure. */
  static final int MAX_CONNECTIONS = 20_000;
  static final int MAX_STREAMS = 10_000;

  private static final Set<String> VALUED = Set.of("attack", "url", "duration", "connections", "streams",
      "interval", "api-key", "schema", "seed", "out", "progress");

  static final String USAGE = """
      usage: java -jar churn-serving.jar bench --attack NAME [options]
             java -jar churn-serving.jar bench --attack list

      Runs one hostile client against a churn server on this machine until --duration ends (or SIGTERM/SIGINT),
      reopening whatever the server closes, and reports what it did: connections opened and closed by the server,
      requests or messages sent, answers by status, errors by kind. Meant to run beside normal load
      (bench/soak.sh does both and watches the server).

        --attack NAME         which client; --attack list describes each
        --url URL             the server, http://HOST:PORT (default %s); loopback only
        --duration TIME       how long (default %ds); TIME is 500ms, 10s, 2m or seconds
        --connections N       connections the attack keeps open (default: the attack's own, see the list)
        --streams N           HTTP/2 attacks: streams per connection (default: the attack's own)
        --interval TIME       ws-close-in-flight, batch-burst: time between rounds (default: the attack's own)
        --api-key KEY         for the attacks that send one (default $API_KEY, else %s)
        --schema FILE         ws-close-in-flight, batch-burst, h2-batch-zero-window: the model version's request
                                schema their valid instances are drawn from, FILE or its version folder,
                                relative to the working directory (default %s)
        --seed N              seed of the random valid bodies (default %d)
        --out PATH            also write PATH.json (folders are created)
        --progress TIME       a line of counts on stderr this often (default %ds; 0 for none)
        --help                this text

      Exit status: 0 the attack ran and opened at least one connection, 1 it could not, 2 bad options.
      """.formatted(DEFAULT_URL, DEFAULT_DURATION.toSeconds(), DEFAULT_API_KEY, SchemaFile.DEFAULT, DEFAULT_SEED,
      DEFAULT_PROGRESS.toSeconds());

  /** True when the arguments ask for an attack rather than a load test: {@code --attack} is among them. */
  static boolean wanted(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--attack") || a.startsWith("--attack="));
  }

  /** The list {@code --attack list} prints: each name, its default connections, and what it does. */
  static String list() {
    return Arrays.stream(AttackKind.values()).map(k -> String.format("%-22s %s%n%-22s default %d connections%s%s%n",
            k.label, k.description, "", k.defaultConnections,
            k.takesStreams() ? " x " + k.defaultStreams + " streams" : "",
            k.takesInterval() ? ", --interval " + k.defaultIntervalMillis + "ms" : ""))
        .collect(Collectors.joining());
  }

  /**
   * Parses {@code --name value} and {@code --name=value} arguments; {@code --attack list} is handled by the caller.
   *
   * @param env where {@code API_KEY} is looked up
   * @throws IllegalArgumentException with a message fit for the user when an option is unknown or out of range
   */
  static AttackOptions parse(String[] args, Map<String, String> env) {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq < 0 ? arg.length() : eq);
      if (!VALUED.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + (name.equals("allow-remote")
            ? ": attacks aim at this machine only" : " with --attack"));
      }
      if (eq < 0 && i + 1 >= args.length) {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      given.put(name, eq < 0 ? args[++i] : arg.substring(eq + 1));
    }
    if (!given.containsKey("attack")) {
      throw new IllegalArgumentException("--attack NAME is required (--attack list describes them)");
    }
    AttackKind kind = AttackKind.byLabel(given.get("attack"));
    URI url = url(given.getOrDefault("url", DEFAULT_URL));
    Duration duration = OptionValues.duration("duration", given.getOrDefault("duration",
        DEFAULT_DURATION.toSeconds() + "s"));
    if (duration.isZero()) {
      throw new IllegalArgumentException("--duration must be more than 0");
    }
    int connections = bounded(given, "connections", kind.defaultConnections, MAX_CONNECTIONS);
    if (kind == AttackKind.SLOW_BODY && connections < 2) {
      throw new IllegalArgumentException("--connections for slow-body is at least 2: half HTTP/1.1, half HTTP/2");
    }
    int streams = 0;
    if (kind.takesStreams()) {
      streams = bounded(given, "streams", kind.defaultStreams, MAX_STREAMS);
    } else if (given.containsKey("streams")) {
      throw new IllegalArgumentException("--streams goes with the HTTP/2 attacks, not " + kind.label);
    }
    Duration interval = Duration.ZERO;
    if (kind.takesInterval()) {
      interval = OptionValues.duration("interval", given.getOrDefault("interval",
          kind.defaultIntervalMillis + "ms"));
    } else if (given.containsKey("interval")) {
      throw new IllegalArgumentException("--interval goes with ws-close-in-flight and batch-burst, not "
          + kind.label);
    }
    String apiKey = given.getOrDefault("api-key", env.getOrDefault("API_KEY", DEFAULT_API_KEY));
    Path schema = given.containsKey("schema") ? Path.of(given.get("schema")) : SchemaFile.DEFAULT;
    long seed = OptionValues.wholeNumber("seed", given.getOrDefault("seed", Long.toString(DEFAULT_SEED)));
    Path out = given.containsKey("out") ? Path.of(given.get("out")) : null;
    Duration progress = OptionValues.duration("progress", given.getOrDefault("progress",
        DEFAULT_PROGRESS.toSeconds() + "s"));
    return new AttackOptions(kind, url.getHost(), url.getPort() > 0 ? url.getPort() : 80, duration, connections,
        streams, interval, apiKey, schema, seed, out, progress);
  }

  /** The target as reports show it. */
  String target() {
    return "http://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The shape of the attack as reports show it: {@code 360 connections x 100 streams}, ... */
  String shape() {
    return connections + " connections" + (streams > 0 ? " x " + streams + " streams" : "")
        + (interval.isZero() ? "" : ", every " + interval.toMillis() + " ms");
  }

  private static URI url(String text) {
    URI url;
    try {
      url = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url '" + text + "' is not a URL");
    }
    if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("--url '" + text + "' must be http://HOST:PORT (each attack picks its "
          + "own paths and protocols)");
    }
    if (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/")) {
      throw new IllegalArgumentException("--url '" + text + "' has a path; each attack picks its own paths, so "
          + "give http://HOST:PORT");
    }
    if (!OptionValues.isLoopback(url.getHost())) {
      throw new IllegalArgumentException("refusing non-loopback target " + url.getHost()
          + ": attacks aim at this machine only");
    }
    return url;
  }

  private static int bounded(Map<String, String> given, String name, int fallback, int max) {
    String text = given.get(name);
    if (text == null) {
      return fallback;
    }
    long value = OptionValues.wholeNumber(name, text);
    if (value < 1 || value > max) {
      throw new IllegalArgumentException("--" + name + " must be a whole number from 1 to " + max + ", not "
          + text);
    }
    return (int) value;
  }
}
