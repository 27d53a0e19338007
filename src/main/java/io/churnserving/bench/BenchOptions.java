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
 * @param model       the model the Open Inference Protocol bodies name (gRPC) or whose route they go to (REST)
 * @param modelVersion that model's version, or null for its default version
 * @param metricsUrl  the target's Prometheus {@code /metrics}, scraped before and after the run for the server's
 *                    share of the time; null for none
 */
record BenchOptions(URI url, Transport transport, Mode mode, int connections, int rate, Duration duration, Duration warmup, String apiKey,
                    Body body, int batchSize, Path schema, long seed, Path out, int threads, Duration timeout,
                    boolean allowRemote, int inFlight, int burst, String model, String modelVersion,
                    URI metricsUrl) {

  /** How requests reach the target. */
  enum Transport {
    /** HTTP/1.1 POSTs, one request in flight per connection. */
    HTTP,
    /** Messages on the WebSocket stream, several in flight per connection, answered by id. */
    WEBSOCKET,
    /** Unary {@code ModelInfer} calls, one in flight per HTTP/2 connection. */
    GRPC,
    /** {@code ModelStreamInfer}: one stream per HTTP/2 connection, several messages in flight each, answered by id. */
    GRPC_STREAM
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
    BATCH,
    /** Open Inference Protocol, named columns: one input per schema field, shape {@code [1]}, one row. */
    NAMED,
    /** Open Inference Protocol, the model's own input: FP32 {@code [N, F]}, N = {@code --batch-size}. */
    RAW
  }

  static final String DEFAULT_SINGLE_URL = "http://127.0.0.1:8080/predict";
  static final String DEFAULT_BATCH_URL = "http://127.0.0.1:8080/v1/models/churn:predict";
  static final String DEFAULT_STREAM_URL = "ws://127.0.0.1:8080/v1/models/churn/stream";
  static final String DEFAULT_GRPC_URL = "http://127.0.0.1:8080";
  static final String DEFAULT_MODEL = "churn";
  /** gRPC streams by default: the streaming figure is taken over 16. */
  static final int DEFAULT_STREAMS = 16;
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
                              or http://127.0.0.1:8080/v2/models/MODEL/infer with --body named|raw,
                              or %s with --transport websocket,
                              or %s, the server's HTTP/2 port, with --transport grpc|grpc-stream)
        --transport http|websocket|grpc|grpc-stream
                              http: POST one request at a time per connection (default)
                              websocket: messages {"id", "instance"} on the stream endpoint, --in-flight of
                                them unanswered per connection, answers matched by id (default with a ws:// URL)
                              grpc: unary inference.GRPCInferenceService/ModelInfer calls, one in flight per
                                HTTP/2 connection (h2c, Vert.x's gRPC client)
                              grpc-stream: ModelStreamInfer, one stream per connection (default 16), --in-flight
                                messages unanswered on each, ids interleaved and answers matched by id
        --in-flight N         websocket, grpc-stream: messages each connection keeps unanswered (default %d, at
                                most %d, the server's default cap); in closed loop the window is kept full
        --burst N             websocket: messages per frame, sent as one JSON array (default 1, at most
                                --in-flight); latency is still counted per message
        --mode closed|open    closed: every connection has one request in flight and sends the next when it is
                                answered (default)
                              open: requests fall due at --rate per second on a fixed schedule, spread over the
                                connections; latency counts from when each request was due, so a stalled target
                                cannot hide the requests it held up (coordinated omission is corrected)
        --connections N       connections to the target (default %d; 16, one stream each, with grpc-stream)
        --rate R              open loop: requests per second, or messages per second with websocket and
                                grpc-stream (required with --mode open)
        --duration TIME       measured time (default 10s); TIME is 500ms, 10s, 2m or seconds
        --warmup TIME         load before the measured time, not recorded (default 3s; 0 for none)
        --api-key KEY         sent as X-API-Key (default $API_KEY, else %s); with websocket, a URL with
                                ?api_key=KEY sends the key there instead, as a browser must
        --body single|batch|named|raw
                              single: one instance per request (default over http and websocket)
                              batch: {"instances": [...]} of --batch-size instances
                              named: the Open Inference Protocol's named columns, one input per schema field,
                                shape [1], one row per request or message (default over grpc and grpc-stream)
                              raw: the model's own input tensor, FP32 [N, F], N = --batch-size rows of random
                                values in [0, 1); gRPC sends them as raw_input_contents (little-endian); the
                                tensor's name and F come from the target's GET /v2/models/MODEL
        --batch-size N        instances per batch or raw request (default %d; given alone, implies --body batch,
                                or raw over gRPC); predictions/s = 2xx answers/s x N
        --model NAME          the model of the named and raw bodies (default churn): gRPC requests name it, the
                                default REST URL routes to it
        --model-version V     that model's version (default: the model's default version)
        --metrics-url URL|none
                              the target's Prometheus text, scraped before and after the run to split the time
                                as perf_analyzer does: server queue and compute from the server's queue_wait and
                                inference_duration meters, the rest client send/receive and wire (default
                                http://HOST:PORT/metrics of the target; none: no split)
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
      """.formatted(DEFAULT_SINGLE_URL, DEFAULT_BATCH_URL, DEFAULT_STREAM_URL, DEFAULT_GRPC_URL, DEFAULT_IN_FLIGHT,
      SERVER_MAX_IN_FLIGHT, DEFAULT_CONNECTIONS, DEFAULT_API_KEY, DEFAULT_BATCH_SIZE, SchemaFile.DEFAULT,
      DEFAULT_SEED);

  private static final Set<String> VALUED = Set.of("url", "mode", "connections", "rate", "duration", "warmup",
      "api-key", "body", "batch-size", "schema", "seed", "out", "threads", "timeout", "transport", "in-flight", "burst", "model", "model-version", "metrics-url");
  /** Model names and versions as the server's routes take them; anything else could not be a path segment. */
  private static final Pattern OIP_NAME = Pattern.compile("[A-Za-z0-9._-]+");
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
    boolean grpc = transport == Transport.GRPC || transport == Transport.GRPC_STREAM;
    // --batch-size on its own means batches (raw tensors over gRPC, which takes no {"instances"}): "--batch-size
    // 1000" is what people type, and a batch size that is silently ignored would measure the wrong endpoint.
    Body body = choice(Body.class, "body", given.getOrDefault("body", given.containsKey("batch-size")
        ? (grpc ? "raw" : "batch") : grpc ? "named" : "single"));
    boolean rows = body == Body.BATCH || body == Body.RAW;
    int batchSize = rows ? positiveInt(given, "batch-size", DEFAULT_BATCH_SIZE) : 1;
    if (!rows && given.containsKey("batch-size")) {
      throw new IllegalArgumentException("--batch-size goes with --body batch or raw");
    }
    if (grpc && !(body == Body.NAMED || body == Body.RAW)) {
      throw new IllegalArgumentException("--body " + name(body) + " goes with --transport http or websocket; gRPC "
          + "sends the Open Inference Protocol's --body named or raw");
    }
    if (transport == Transport.WEBSOCKET && body != Body.SINGLE) {
      throw new IllegalArgumentException("--body " + name(body) + " goes with --transport http; over WebSocket, "
          + "--burst N sends N instances per frame");
    }
    int inFlight = 1;
    int burst = 1;
    if (transport == Transport.WEBSOCKET || transport == Transport.GRPC_STREAM) {
      inFlight = positiveInt(given, "in-flight", DEFAULT_IN_FLIGHT);
      if (inFlight > SERVER_MAX_IN_FLIGHT) {
        throw new IllegalArgumentException("--in-flight " + inFlight + " is over " + SERVER_MAX_IN_FLIGHT
            + ", the server's cap per connection: past it the server stops reading, and the wait would be "
            + "measured as latency (use more --connections)");
      }
    } else if (given.containsKey("in-flight")) {
      throw new IllegalArgumentException("--in-flight goes with --transport websocket or grpc-stream");
    }
    if (transport == Transport.WEBSOCKET) {
      burst = positiveInt(given, "burst", 1);
      if (burst > inFlight) {
        throw new IllegalArgumentException("--burst " + burst + " is more than --in-flight " + inFlight
            + ": a frame must fit in the connection's window");
      }
    } else if (given.containsKey("burst")) {
      throw new IllegalArgumentException("--burst goes with --transport websocket");
    }
    String model = given.getOrDefault("model", DEFAULT_MODEL);
    String modelVersion = given.get("model-version");
    for (String name : List.of("model", "model-version")) {
      String value = given.get(name);
      if (value != null && !OIP_NAME.matcher(value).matches()) {
        throw new IllegalArgumentException("--" + name + " '" + value + "' must be letters, digits, '.', '_' or '-'");
      }
    }
    int connections = positiveInt(given, "connections", transport == Transport.GRPC_STREAM ? DEFAULT_STREAMS
        : DEFAULT_CONNECTIONS);
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
    URI url = url(given.getOrDefault("url", switch (transport) {
      case WEBSOCKET -> DEFAULT_STREAM_URL;
      case GRPC, GRPC_STREAM -> DEFAULT_GRPC_URL;
      case HTTP -> switch (body) {
        case BATCH -> DEFAULT_BATCH_URL;
        case NAMED, RAW -> "http://127.0.0.1:8080" + oipModelPath(model, modelVersion) + "/infer";
        case SINGLE -> DEFAULT_SINGLE_URL;
      };
    }), transport);
    if (!allowRemote && !OptionValues.isLoopback(url.getHost())) {
      throw new IllegalArgumentException("refusing non-loopback target " + url.getHost()
          + ": load tests here only aim at this machine (--allow-remote to aim at a machine you run)");
    }
    String apiKey = given.getOrDefault("api-key", env.getOrDefault("API_KEY", DEFAULT_API_KEY));
    Path schema = given.containsKey("schema") ? Path.of(given.get("schema")) : SchemaFile.DEFAULT;
    long seed = OptionValues.wholeNumber("seed", given.getOrDefault("seed", Long.toString(DEFAULT_SEED)));
    Path out = given.containsKey("out") ? Path.of(given.get("out")) : null;
    String metricsText = given.getOrDefault("metrics-url", "http://" + url.getHost() + ":"
        + (url.getPort() > 0 ? url.getPort() : 80) + "/metrics");
    URI metricsUrl = metricsText.equals("none") ? null : url("metrics-url", metricsText, "http", "");
    if (metricsUrl != null && !allowRemote && !OptionValues.isLoopback(metricsUrl.getHost())) {
      throw new IllegalArgumentException("refusing non-loopback --metrics-url " + metricsUrl.getHost());
    }
    return new BenchOptions(url, transport, mode, connections, rate, duration, warmup, apiKey, body, batchSize,
        schema, seed, out, threads, timeout, allowRemote, inFlight, burst, model, modelVersion, metricsUrl);
  }

  /** The port to connect to, the scheme's default when the URL has none. */
  int port() {
    return url.getPort() > 0 ? url.getPort() : 80;
  }

  boolean webSocket() {
    return transport == Transport.WEBSOCKET;
  }

  boolean grpc() {
    return transport == Transport.GRPC || transport == Transport.GRPC_STREAM;
  }

  /** Whether each connection keeps a window of messages in flight, answered by id: WebSocket and gRPC streams. */
  boolean streamed() {
    return transport == Transport.WEBSOCKET || transport == Transport.GRPC_STREAM;
  }

  /** What the reports call one unit of load: an HTTP request or gRPC call, or one message on a stream. */
  String unit() {
    return streamed() ? "message" : "request";
  }

  /** How the target is reached, as the reports show it: {@code POST http://...}, {@code WebSocket ws://...}, ... */
  String target() {
    return switch (transport) {
      case HTTP -> "POST ";
      case WEBSOCKET -> "WebSocket ";
      case GRPC -> "gRPC ModelInfer ";
      case GRPC_STREAM -> "gRPC ModelStreamInfer ";
    } + displayUrl() + (grpc() ? " model " + model + (modelVersion == null ? "" : " version " + modelVersion) : "");
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
    return url("url", text, transport == Transport.WEBSOCKET ? "ws" : "http", " with --transport " + name(transport));
  }

  private static URI url(String option, String text, String scheme, String context) {
    URI url;
    try {
      url = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + option + " '" + text + "' is not a URL");
    }
    if (!scheme.equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("--" + option + " '" + text + "' must be " + scheme + "://HOST[:PORT]/PATH"
          + context + " (no TLS here)");
    }
    return url;
  }

  /** {@code /v2/models/churn} or {@code /v2/models/churn/versions/2}: the Open Inference Protocol's model route. */
  static String oipModelPath(String model, String version) {
    return "/v2/models/" + model + (version == null ? "" : "/versions/" + version);
  }

  /** The option value that names {@code constant}: {@code grpc-stream} for {@code GRPC_STREAM}. */
  static String name(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static <E extends Enum<E>> E choice(Class<E> type, String name, String text) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + name + " '" + text + "' is not one of "
          + Arrays.stream(type.getEnumConstants()).map(BenchOptions::name).toList());
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
