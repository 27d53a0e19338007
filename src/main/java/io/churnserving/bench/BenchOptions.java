package io.churnserving.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one load test does, parsed once from the command line. Every check happens here, so a run never starts with
 * settings it cannot honour.
 *
 * @param url         the endpoint: POSTed to over HTTP, or the WebSocket stream to open
 * @param transport   HTTP requests, or messages on WebSocket connections
 * @param mode        closed loop (each connection waits for its answer) or open loop (a fixed rate)
 * @param connections connections to the target; in closed loop also the requests in flight
 * @param rate        open loop: requests per second over all connections; 0 in closed loop
 * @param duration    how long the measured part lasts
 * @param warmup      load before the measured part, not recorded
 * @param apiKey      sent as {@code X-API-Key}
 * @param body        one instance per request, or a batch of {@code batchSize} instances
 * @param batchSize   instances per request in batch mode; 1 for single bodies
 * @param schema      the model version's request schema the bodies are drawn from; read by {@link SchemaFile}
 * @param seed        seed of the random bodies, so two runs with the same schema send the same requests
 * @param out         path prefix of the JSON and HTML reports ({@code PREFIX.json}, {@code PREFIX.html}), or null
 * @param threads     client event loops; the client shares the machine's cores with the server it measures
 * @param timeout     connect timeout, and how long a request may go without an answer before it counts as timed out
 * @param allowRemote whether a target that is not loopback is accepted
 * @param inFlight    WebSocket: messages each connection keeps unanswered; 1 over HTTP (no pipelining)
 * @param burst       WebSocket: messages per frame (more than 1: a JSON array); 1 over HTTP
 */
record BenchOptions(URI url, Transport transport, Mode mode, int connections, int rate, Duration duration, Duration warmup, String apiKey,
                    Body body, int batchSize, Path schema, long seed, Path out, int threads, Duration timeout,
                    boolean allowRemote, int inFlight, int burst) {

  /** How requests reach the target. */
  enum Transport {
    /** HTTP/1.1 POSTs, one request in flight per connection. */
    HTTP,
    /** Messages on the WebSocket stream, several in flight per connection, answered by id. */
    WEBSOCKET
  }

  /** How requests are paced. */
  enum Mode {
    /** Every connection sends its next request as soon as the previous one is answered. */
    CLOSED,
    /** Requests fall due on a fixed schedule, whether or not the target keeps up. */
    OPEN
  }

  /** What each request carries. */
  enum Body {
    /** One instance drawn from {@code --schema}, for {@code /predict}. */
    SINGLE,
    /** {@code {"instances": [...]}} of {@code --batch-size} instances, for {@code /v1/models/churn:predict}. */
    BATCH
  }

  static final String DEFAULT_SINGLE_URL = "http://127.0.0.1:8080/predict";
  static final String DEFAULT_BATCH_URL = "http://127.0.0.1:8080/v1/models/churn:predict";
  static final String DEFAULT_STREAM_URL = "ws://127.0.0.1:8080/v1/models/churn/stream";
  static final int DEFAULT_IN_FLIGHT = 64;
  /**
   * The server's default {@code stream.max_in_flight}: past it the server stops reading the socket, so messages
   * beyond it would wait in TCP buffers and be measured as latency of the client's making. It also keeps a frame of
   * {@code --burst} messages (at most this many, about 170 bytes each) under the server's 64 KiB frame limit.
   */
  static final int SERVER_MAX_IN_FLIGHT = 256;
  static final int DEFAULT_CONNECTIONS = 64;
  static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
  static final Duration DEFAULT_WARMUP = Duration.ofSeconds(3);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final int DEFAULT_BATCH_SIZE = 1000;
  static final long DEFAULT_SEED = 42;
  static final String DEFAULT_API_KEY = "dev-key";
  /** The open-loop schedule keeps its arithmetic in 64-bit nanoseconds; this many requests keep it exact. */
  static final long MAX_SCHEDULED = 1_000_000_000L;

  static final String USAGE = """
      usage: java -jar churn-serving.jar bench [options]

      Puts load on a model endpoint with random valid requests, drawn from the model version's request schema,
      and reports throughput and latency.

        --url URL             target (default %s,
                              or %s with --body batch,
                              or %s with --transport websocket)
        --transport http|websocket
                              http: POST one request at a time per connection (default)
                              websocket: messages {"id", "instance"} on the stream endpoint, --in-flight of
                                them unanswered per connection, answers matched by id (default with a ws:// URL)
        --in-flight N         websocket: messages each connection keeps unanswered (default %d, at most %d,
                                the server's default cap); in closed loop the window is kept full
        --burst N             websocket: messages per frame, sent as one JSON array (default 1, at most
                                --in-flight); latency is still counted per message
        --mode closed|open    closed: every connection has one request in flight and sends the next when it is
                                answered (default)
                              open: requests fall due at --rate per second on a fixed schedule, spread over the
                                connections; latency counts from when each request was due, so a stalled target
                                cannot hide the requests it held up (coordinated omission is corrected)
        --connections N       connections to the target (default %d)
        --rate R              open loop: requests per second, or messages per second with websocket
                                (required with --mode open)
        --duration TIME       measured time (default 10s); TIME is 500ms, 10s, 2m or seconds
        --warmup TIME         load before the measured time, not recorded (default 3s; 0 for none)
        --api-key KEY         sent as X-API-Key (default $API_KEY, else %s); with websocket, a URL with
                                ?api_key=KEY sends the key there instead, as a browser must
        --body single|batch   one instance per request (default), or {"instances": [...]}
        --batch-size N        instances per batch request (default %d; given alone, implies --body batch);
                              predictions/s = 2xx answers/s x N
        --schema FILE         the request schema of the model version under load, which the random instances
                                are drawn from; FILE or its version folder, relative to the working directory
                                (default %s; models/churn/2 for version 2)
        --seed N              seed of the random bodies (default %d)
        --out PATH            also write PATH.json and PATH.html (e.g. bench-results/closed-64)
        --threads N           client event loops (default 1: the client shares the cores with the server)
        --timeout TIME        connect timeout, and the longest wait for an answer before it counts as a
                                timeout (default 30s)
        --allow-remote        accept a target that is not loopback (only point this at machines you run)
        --help                this text

      bench --attack NAME runs one of the hostile clients instead (bench --attack list describes them,
      bench --attack NAME --help their options); bench/soak.sh runs each beside this load.

      The reports give the target's GET /version and this machine's cores, JVM and OS, the warm-up, and
      throughput and p50/p99 per interval; errors come first.

      Exit status: 0 the run completed and at least one request succeeded (2xx); 1 no request succeeded (every
      answer an error, e.g. all 401 for a wrong key, or none came) or the run failed; 2 bad options.
      """.formatted(DEFAULT_SINGLE_URL, DEFAULT_BATCH_URL, DEFAULT_STREAM_URL, DEFAULT_IN_FLIGHT,
      SERVER_MAX_IN_FLIGHT, DEFAULT_CONNECTIONS, DEFAULT_API_KEY, DEFAULT_BATCH_SIZE, SchemaFile.DEFAULT,
      DEFAULT_SEED);

  private static final Set<String> VALUED = Set.of("url", "mode", "connections", "rate", "duration", "warmup",
      "api-key", "body", "batch-size", "schema", "seed", "out", "threads", "timeout", "transport", "in-flight", "burst");
  private static final Pattern API_KEY_PARAMETER = Pattern.compile("(^|&)api_key=[^&]*");

  /** True when the arguments ask for the usage text, wherever {@code --help} or {@code -h} appears. */
  static boolean wantsHelp(String[] args) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses {@code --name value} and {@code --name=value} arguments.
   *
   * @param env where {@code API_KEY} is looked up (the process environment, or a map in tests)
   * @throws IllegalArgumentException with a message fit for the user when an option is unknown or out of range
   */
  static BenchOptions parse(String[] args, Map<String, String> env) {
    Map<String, String> given = new LinkedHashMap<>();
    boolean allowRemote = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--allow-remote")) {
        allowRemote = true;
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq < 0 ? arg.length() : eq);
      if (!VALUED.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      if (eq < 0 && i + 1 >= args.length) {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      given.put(name, eq < 0 ? args[++i] : arg.substring(eq + 1));
    }

    Mode mode = choice(Mode.class, "mode", given.getOrDefault("mode", "closed"));
    // A ws:// URL on its own means the WebSocket transport, as --batch-size on its own means batches.
    Transport transport = choice(Transport.class, "transport", given.getOrDefault("transport",
        given.getOrDefault("url", "").regionMatches(true, 0, "ws://", 0, 5) ? "websocket" : "http"));
    // --batch-size on its own means batches: "--batch-size 1000" is what people type, and a batch size that is
    // silently ignored would measure the wrong endpoint.
    Body body = choice(Body.class, "body", given.getOrDefault("body", given.containsKey("batch-size") ? "batch"
        : "single"));
    int batchSize = body == Body.BATCH ? positiveInt(given, "batch-size", DEFAULT_BATCH_SIZE) : 1;
    if (body == Body.SINGLE && given.containsKey("batch-size")) {
      throw new IllegalArgumentException("--batch-size goes with --body batch");
    }
    int inFlight = 1;
    int burst = 1;
    if (transport == Transport.WEBSOCKET) {
      if (body == Body.BATCH) {
        throw new IllegalArgumentException("--body batch goes with --transport http; over WebSocket, --burst N "
            + "sends N instances per frame");
      }
      inFlight = positiveInt(given, "in-flight", DEFAULT_IN_FLIGHT);
      if (inFlight > SERVER_MAX_IN_FLIGHT) {
        throw new IllegalArgumentException("--in-flight " + inFlight + " is over " + SERVER_MAX_IN_FLIGHT
            + ", the server's cap per connection: past it the server stops reading, and the wait would be "
            + "measured as latency (use more --connections)");
      }
      burst = positiveInt(given, "burst", 1);
      if (burst > inFlight) {
        throw new IllegalArgumentException("--burst " + burst + " is more than --in-flight " + inFlight
            + ": a frame must fit in the connection's window");
      }
    } else {
      for (String name : List.of("in-flight", "burst")) {
        if (given.containsKey(name)) {
          throw new IllegalArgumentException("--" + name + " goes with --transport websocket");
        }
      }
    }
    int connections = positiveInt(given, "connections", DEFAULT_CONNECTIONS);
    int threads = positiveInt(given, "threads", 1);
    if (threads > connections) {
      throw new IllegalArgumentException("--threads " + threads + " is more than --connections " + connections
          + ": a thread without a connection would sit idle");
    }
    int rate = 0;
    if (mode == Mode.OPEN) {
      if (!given.containsKey("rate")) {
        throw new IllegalArgumentException("--mode open needs --rate (requests per second)");
      }
      rate = positiveInt(given, "rate", 0);
    } else if (given.containsKey("rate")) {
      throw new IllegalArgumentException("--rate goes with --mode open; a closed loop sends as fast as answers come");
    }
    Duration duration = OptionValues.duration("duration", given.getOrDefault("duration", "10s"));
    Duration warmup = OptionValues.duration("warmup", given.getOrDefault("warmup", "3s"));
    Duration timeout = OptionValues.duration("timeout", given.getOrDefault("timeout", "30s"));
    if (duration.isZero() || timeout.isZero()) {
      throw new IllegalArgumentException(duration.isZero() ? "--duration must be more than 0" : "--timeout must be "
          + "more than 0");
    }
    if (mode == Mode.OPEN && (double) rate * warmup.plus(duration).toNanos() / 1e9 > MAX_SCHEDULED) {
      throw new IllegalArgumentException("--rate x (--warmup + --duration) is over " + MAX_SCHEDULED + " requests");
    }
    URI url = url(given.getOrDefault("url", transport == Transport.WEBSOCKET ? DEFAULT_STREAM_URL
        : body == Body.BATCH ? DEFAULT_BATCH_URL : DEFAULT_SINGLE_URL), transport);
    if (!allowRemote && !OptionValues.isLoopback(url.getHost())) {
      throw new IllegalArgumentException("refusing non-loopback target " + url.getHost()
          + ": load tests here only aim at this machine (--allow-remote to aim at a machine you run)");
    }
    String apiKey = given.getOrDefault("api-key", env.getOrDefault("API_KEY", DEFAULT_API_KEY));
    Path schema = given.containsKey("schema") ? Path.of(given.get("schema")) : SchemaFile.DEFAULT;
    long seed = OptionValues.wholeNumber("seed", given.getOrDefault("seed", Long.toString(DEFAULT_SEED)));
    Path out = given.containsKey("out") ? Path.of(given.get("out")) : null;
    return new BenchOptions(url, transport, mode, connections, rate, duration, warmup, apiKey, body, batchSize,
        schema, seed, out, threads, timeout, allowRemote, inFlight, burst);
  }

  /** The port to connect to, the scheme's default when the URL has none. */
  int port() {
    return url.getPort() > 0 ? url.getPort() : 80;
  }

  boolean webSocket() {
    return transport == Transport.WEBSOCKET;
  }

  /** What the reports call one unit of load: an HTTP request, or one message on the stream. */
  String unit() {
    return webSocket() ? "message" : "request";
  }

  /** How the target is reached, as the reports show it: {@code POST http://...} or {@code WebSocket ws://...}. */
  String target() {
    return (webSocket() ? "WebSocket " : "POST ") + displayUrl();
  }

  /**
   * Whether the URL carries the key as the {@code api_key} query parameter, as a browser's WebSocket must: then no
   * {@code X-API-Key} header is sent, since the server reads the parameter only when the header is absent.
   */
  boolean keyInUrl() {
    return url.getRawQuery() != null && API_KEY_PARAMETER.matcher(url.getRawQuery()).find();
  }

  /** The URL as reports show it: a key in the query is masked, as the reports never carry the key. */
  String displayUrl() {
    return url.getRawQuery() == null ? url.toString()
        : url.toString().replace(url.getRawQuery(), API_KEY_PARAMETER.matcher(url.getRawQuery())
            .replaceAll("$1api_key=***"));
  }

  /** Path and query as sent on the request line. */
  String requestUri() {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  private static URI url(String text, Transport transport) {
    URI url;
    try {
      url = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url '" + text + "' is not a URL");
    }
    String scheme = transport == Transport.WEBSOCKET ? "ws" : "http";
    if (!scheme.equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("--url '" + text + "' must be " + scheme + "://HOST[:PORT]/PATH with "
          + "--transport " + transport.name().toLowerCase(Locale.ROOT) + " (no TLS here)");
    }
    return url;
  }

  private static <E extends Enum<E>> E choice(Class<E> type, String name, String text) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + name + " '" + text + "' is not one of "
          + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }
  }

  private static int positiveInt(Map<String, String> given, String name, int fallback) {
    String text = given.get(name);
    if (text == null) {
      return fallback;
    }
    long value = OptionValues.wholeNumber(name, text);
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--" + name + " must be a whole number from 1, not " + text);
    }
    return (int) value;
  }
}
