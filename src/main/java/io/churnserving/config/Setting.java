package io.churnserving.config;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import io.churnserving.repository.ModelRepository;
import io.churnserving.repository.ModelSettings;
import io.churnserving.repository.VersionPolicy;
import io.vertx.core.json.JsonObject;

/**
 * Every setting the server reads: its key in the config file, its environment variable, its default and its rule.
 * This one table drives defaults, file and environment parsing, validation and the README's configuration table.
 */
public enum Setting {
  HTTP_HOST("http.host", "HTTP_HOST", Kind.STRING, "127.0.0.1", 0, 0, "Address to bind"),
  HTTP_PORT("http.port", "HTTP_PORT", Kind.INT, 8080, 0, 65535, "Port to bind; 0 picks a free port"),
  HTTP_INSTANCES("http.instances", "HTTP_INSTANCES", Kind.INT, 2, 1, 64, "HTTP verticle instances (event loops serving)"),
  MAX_BODY_BYTES("http.max_body_bytes", "MAX_BODY_BYTES", Kind.INT, 65536, 256, 16 << 20,
      "Largest body of POST /predict (413 above)"),
  MAX_BATCH_BODY_BYTES("http.max_batch_body_bytes", "MAX_BATCH_BODY_BYTES", Kind.INT, 1 << 20, 256, 64 << 20,
      "Largest body of the batch endpoint (413 above)"),
  HTTP_MAX_HEADER_BYTES("http.max_header_bytes", "HTTP_MAX_HEADER_BYTES", Kind.INT, 8192, 1024, 1 << 20,
      "Largest request head (request line and headers); a larger one is refused with 431"),
  HTTP_IDLE_TIMEOUT_S("http.idle_timeout_s", "HTTP_IDLE_TIMEOUT_S", Kind.INT, 60, 1, 86_400,
      "A connection that sends and receives nothing this long is closed"),
  HTTP_BODY_TIMEOUT_MS("http.body_timeout_ms", "HTTP_BODY_TIMEOUT_MS", Kind.INT, 10_000, 100, 600_000,
      "Longest a request body may take to arrive (408 after), so trickling clients cannot hold a connection"),
  DRAIN_TIMEOUT_MS("http.drain_timeout_ms", "DRAIN_TIMEOUT_MS", Kind.INT, 10_000, 0, 600_000,
      "On SIGTERM: how long accepted requests and streams get to finish before the process exits"),
  HTTP_MAX_CONNECTIONS("http.max_connections", "HTTP_MAX_CONNECTIONS", Kind.INT, 4096, 1, 1_000_000,
      "Most open client connections (HTTP/1.1, HTTP/2 and WebSocket); a connection past it is closed at once"),
  HTTP_BUFFER_BYTES("http.buffer_bytes", "HTTP_BUFFER_BYTES", Kind.INT, 0, 0, Integer.MAX_VALUE,
      "Most bytes the HTTP layer holds for all clients together: request bodies being read, answers not yet "
          + "written, and 8 KiB for each open request; 0 means a quarter of the maximum heap"),
  HTTP_CONNECTION_BUFFER_BYTES("http.connection_buffer_bytes", "HTTP_CONNECTION_BUFFER_BYTES", Kind.INT, 4 << 20,
      64 << 10, Integer.MAX_VALUE, "Most of those bytes one connection may hold; at least the batch body limit plus "
          + "64 KiB"),
  HTTP_WRITE_TIMEOUT_MS("http.write_timeout_ms", "HTTP_WRITE_TIMEOUT_MS", Kind.INT, 10_000, 100, 600_000,
      "A connection with an answer that the client has not taken for this long is closed"),
  HTTP2_MAX_CONCURRENT_STREAMS("http.h2_max_concurrent_streams", "HTTP2_MAX_CONCURRENT_STREAMS", Kind.INT, 100, 1,
      10_000, "HTTP/2: streams one connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS)"),
  SHUTDOWN_GRACE_MS("http.shutdown_grace_ms", "SHUTDOWN_GRACE_MS", Kind.INT, 5_000, 0, 600_000,
      "On SIGTERM: how long readiness answers 503 while the server still accepts and serves, so load balancers "
          + "stop sending before connections are refused"),
  MANAGEMENT_PORT("management.port", "MANAGEMENT_PORT", Kind.INT, -1, -1, 65535,
      "Port of a second listener for health probes and metrics only; -1 serves them on the main port, 0 picks a "
          + "free port. When set, /metrics is served only there"),
  TLS_CERT_PATH("tls.cert_path", "TLS_CERT_PATH", Kind.OPTIONAL_STRING, "", 0, 0,
      "PEM certificate (chain) file; with TLS_KEY_PATH, the API port and the management port serve HTTPS, WSS and "
          + "HTTP/2 over ALPN, and the event-bus bridge TLS (empty: plain HTTP)"),
  TLS_KEY_PATH("tls.key_path", "TLS_KEY_PATH", Kind.OPTIONAL_STRING, "", 0, 0,
      "PEM private key file of the certificate in TLS_CERT_PATH; both or neither must be set"),
  TLS_RELOAD_INTERVAL_MS("tls.reload_interval_ms", "TLS_RELOAD_INTERVAL_MS", Kind.INT, 5000, 100, 3_600_000,
      "How often the certificate and key files are read for changes; a changed pair is served to new connections "
          + "without a restart, a bad one is logged and the pair in force stays"),
  CORS_ALLOWED_ORIGINS("http.cors_allowed_origins", "CORS_ALLOWED_ORIGINS", Kind.ORIGINS, Origins.NONE, 0, 0,
      "Origins (scheme://host[:port], comma-separated, or *) whose web pages may call the HTTP API; empty: no CORS"),
  API_KEYS("security.api_keys", "API_KEYS", Kind.SECRET_LIST, List.of(), 0, 0,
      "Accepted X-API-Key values or sha256:<hex> digests, named key-1, key-2..., both scopes (env: comma-separated; "
          + "set but empty is refused). With neither these nor a key file, only the development key dev-key, "
          + "on loopback only"),
  API_KEYS_FILE("security.api_keys_file", "API_KEYS_FILE", Kind.OPTIONAL_STRING, "", 0, 0,
      "JSON file of named, hashed keys with scopes and limits; reloaded while running (empty: none)"),
  API_KEYS_RELOAD_S("security.api_keys_reload_s", "API_KEYS_RELOAD_S", Kind.INT, 5, 1, 3600,
      "How often the key file is checked for changes, in seconds"),
  RATE_LIMIT_PER_SECOND("security.rate_limit_per_second", "RATE_LIMIT_PER_SECOND", Kind.INT, 0, 0, 10_000_000,
      "Default token-bucket refill per key, requests per second; 0 means no limit"),
  RATE_LIMIT_BURST("security.rate_limit_burst", "RATE_LIMIT_BURST", Kind.INT, 0, 0, 10_000_000,
      "Default token-bucket capacity per key; 0 means equal to the per-second rate"),
  MODELS_DIR("model.dir", "MODELS_DIR", Kind.STRING, "models", 0, 0,
      "Model repository root: one folder per model, one numbered folder per version (model.onnx, metadata.json, "
          + "schema.json); every model in it is served"),
  MODEL_NAME("model.name", "MODEL_NAME", Kind.STRING, "churn", 0, 0,
      "The default model: the one POST /predict, the stream and the event-bus API serve when no model is named"),
  MODEL_VERSION("model.version", "MODEL_VERSION", Kind.OPTIONAL_STRING, "", 0, 0,
      "Serve only this version of the default model, as the policy specific:<version> would; empty: the version "
          + "policy decides"),
  MODEL_VERSION_POLICY("model.version_policy", "MODEL_VERSION_POLICY", Kind.VERSION_POLICY,
      new VersionPolicy.Latest(1), 0, 0, "Which versions of each model in the repository are served: latest:<n> "
          + "(the n highest), all, or specific:<v>[,<v>...]; a model's own entry in model.models overrides it"),
  MODEL_LABELS("model.labels", "MODEL_LABELS", Kind.LABELS, Map.of(), 0, 0,
      "Labels naming versions of the default model, label=version comma-separated (stable=1,canary=2); routes take "
          + "a label where they take a version, and stable, when set, is the version routes without one get"),
  MODEL_CONTROL_MODE("model.control_mode", "MODEL_CONTROL_MODE", Kind.STRING, "none", 0, 0,
      "none: load what the policies pick at start, nothing later; poll: watch the repository and load new, reload "
          + "changed and unload removed versions; explicit: load and unload only through the repository API"),
  MODEL_POLL_INTERVAL_MS("model.poll_interval_ms", "MODEL_POLL_INTERVAL_MS", Kind.INT, 5000, 100, 3_600_000,
      "In poll mode, how often the repository is scanned"),
  MODEL_SETTINGS("model.models", "MODEL_SETTINGS", Kind.MODELS, Map.of(), 0, 0,
      "Per-model settings, a JSON object by model name: {\"<name>\": {\"version_policy\": ..., \"labels\": "
          + "{\"stable\": 1}, \"required\": true, \"workers\": 2}}; required models must have a ready version for the server to "
          + "start and be ready (the default model always is)"),
  SCORING_WORKERS("scoring.workers", "SCORING_WORKERS", Kind.INT, 1, 1, 64,
      "Scoring worker verticles, one ONNX Runtime predictor each; one keeps up with two event loops on 2 cores "
          + "(a second made /predict about 10% slower there), so raise it only with more cores"),
  INTRA_OP_THREADS("scoring.intra_op_threads", "INTRA_OP_THREADS", Kind.INT, 1, 1, 64,
      "ONNX Runtime threads per inference call"),
  SCORING_TIMEOUT_MS("scoring.timeout_ms", "SCORING_TIMEOUT_MS", Kind.INT, 2000, 1, 600_000,
      "Default request deadline; a client may ask for less with X-Request-Timeout-Ms. 504 when it passes"),
  SCORING_QUEUE_ROWS("scoring.queue_rows", "SCORING_QUEUE_ROWS", Kind.INT, 200_000, 1, 10_000_000,
      "Memory guard: most rows admitted and not yet answered over the whole server; past it, 503 with Retry-After. "
          + "Within it, rows are admitted while the expected wait fits their deadline"),
  CIRCUIT_MAX_FAILURES("scoring.circuit_max_failures", "CIRCUIT_MAX_FAILURES", Kind.INT, 5, 1, 1000,
      "Failed or timed-out model calls in a row that open the circuit breaker"),
  CIRCUIT_RESET_MS("scoring.circuit_reset_ms", "CIRCUIT_RESET_MS", Kind.INT, 5000, 10, 600_000,
      "How long the breaker stays open before a probe call (half-open)"),
  MAX_BATCH_INSTANCES("scoring.max_instances", "MAX_BATCH_INSTANCES", Kind.INT, 1000, 1, 100_000,
      "Most instances in one batch request (422 above)"),
  MAX_BATCH_SIZE("scoring.max_batch_size", "MAX_BATCH_SIZE", Kind.INT, 128, 1, 4096,
      "Most rows in one model call (micro-batching)"),
  MAX_BATCH_DELAY_US("scoring.max_batch_delay_us", "MAX_BATCH_DELAY_US", Kind.INT, 500, 0, 1_000_000,
      "Longest a request waits for company, in microseconds; 0 takes only what is queued"),
  STREAM_MAX_IN_FLIGHT("stream.max_in_flight", "STREAM_MAX_IN_FLIGHT", Kind.INT, 256, 1, 100_000,
      "WebSocket: unanswered messages per connection before the server stops reading it"),
  STREAM_MAX_FRAME_BYTES("stream.max_frame_bytes", "STREAM_MAX_FRAME_BYTES", Kind.INT, 65536, 256, 16 << 20,
      "WebSocket: largest message; a larger one closes the connection with 1009"),
  STREAM_IDLE_TIMEOUT_MS("stream.idle_timeout_ms", "STREAM_IDLE_TIMEOUT_MS", Kind.INT, 60_000, 100, 86_400_000,
      "WebSocket: a connection silent this long is closed with 1001"),
  STREAM_ALLOWED_ORIGINS("stream.allowed_origins", "STREAM_ALLOWED_ORIGINS", Kind.ORIGINS, Origins.NONE, 0, 0,
      "WebSocket: origins (scheme://host[:port], comma-separated, or *) whose pages may open the stream; empty: "
          + "same-origin pages and clients that send no Origin"),
  BRIDGE_PORT("bridge.port", "BRIDGE_PORT", Kind.INT, -1, -1, 65535,
      "Port of the TCP event-bus bridge for non-JVM clients; -1 (the default) leaves it off, 0 picks a free port"),
  BRIDGE_HOST("bridge.host", "BRIDGE_HOST", Kind.OPTIONAL_STRING, "", 0, 0,
      "Address the bridge binds; empty: HTTP_HOST"),
  BRIDGE_ADDRESSES("bridge.addresses", "BRIDGE_ADDRESSES", Kind.OPTIONAL_STRING, "churn.predict,churn.predictions",
      0, 0, "Bridge: the addresses clients may use (comma-separated), among churn.predict, churn.predictions and "
          + "churn.monitor.snapshot"),
  BRIDGE_MAX_CONNECTIONS("bridge.max_connections", "BRIDGE_MAX_CONNECTIONS", Kind.INT, 256, 1, 100_000,
      "Bridge: most open connections; one past it gets an error frame and is closed"),
  BRIDGE_MAX_FRAME_BYTES("bridge.max_frame_bytes", "BRIDGE_MAX_FRAME_BYTES", Kind.INT, 65536, 256, 16 << 20,
      "Bridge: largest frame a client may send; a larger length gets an error frame and the connection is closed"),
  BRIDGE_MAX_IN_FLIGHT("bridge.max_in_flight", "BRIDGE_MAX_IN_FLIGHT", Kind.INT, 64, 1, 10_000,
      "Bridge: unanswered requests per connection before the server stops reading it"),
  BRIDGE_IDLE_TIMEOUT_S("bridge.idle_timeout_s", "BRIDGE_IDLE_TIMEOUT_S", Kind.INT, 60, 1, 86_400,
      "Bridge: a connection that sends no frame this long (a ping will do) gets an error frame and is closed"),
  EVENTS_SAMPLE_PERCENT("events.sample_percent", "EVENTS_SAMPLE_PERCENT", Kind.INT, 10, 0, 100,
      "Share of predictions published on churn.predictions, in percent; 0 switches publishing off"),
  MONITOR_WINDOW_S("events.monitor_window_s", "MONITOR_WINDOW_S", Kind.INT, 300, 1, 86_400,
      "Sliding window of the drift monitor, in seconds"),
  METRICS_ENABLED("metrics.enabled", "METRICS_ENABLED", Kind.BOOLEAN, true, 0, 0,
      "Serve Prometheus metrics at /metrics (true or false)"),
  METRICS_CACHE_MS("metrics.cache_ms", "METRICS_CACHE_MS", Kind.INT, 1000, 0, 60_000,
      "How long one Prometheus text is served again; it is made on a worker thread, never on an event loop"),
  ACCESS_LOG_PERCENT("logging.access_log_percent", "ACCESS_LOG_PERCENT", Kind.INT, 1, 0, 100,
      "Share of requests written as an access-log line, in percent; 0 switches the access log off"),
  OTEL_ENABLED("tracing.otel_enabled", "OTEL_ENABLED", Kind.BOOLEAN, false, 0, 0,
      "Export a span per HTTP request with OpenTelemetry (OTLP over HTTP); off by default"),
  OTEL_ENDPOINT("tracing.otel_endpoint", "OTEL_ENDPOINT", Kind.STRING, "http://127.0.0.1:4318/v1/traces", 0, 0,
      "Where spans go when OTEL_ENABLED: an OTLP/HTTP traces endpoint"),
  OTEL_SAMPLE_PERCENT("tracing.otel_sample_percent", "OTEL_SAMPLE_PERCENT", Kind.INT, 10, 0, 100,
      "Share of new traces exported when OTEL_ENABLED, in percent; a caller's traceparent decides for its own "
          + "trace (sampled flag set: exported). Exporting every request halved /predict's throughput here"),
  LOG_LEVEL("logging.level", "LOG_LEVEL", Kind.LEVEL, "INFO", 0, 0, "Root log level: TRACE, DEBUG, INFO, WARN or ERROR"),
  NODE_ROLE("cluster.node_role", "NODE_ROLE", Kind.STRING, "all", 0, 0,
      "all (one process: transports and models), http (transports only; scores over the clustered event bus) or "
          + "scoring (loads the models, serves their scoring addresses; only health and metrics over HTTP, on "
          + "MANAGEMENT_PORT, or on HTTP_PORT when that is -1); http and scoring need CLUSTER_ENABLED=true"),
  CLUSTER_ENABLED("cluster.enabled", "CLUSTER_ENABLED", Kind.BOOLEAN, false, 0, 0,
      "Join a Hazelcast cluster and put the event bus on it (true or false)"),
  CLUSTER_HOST("cluster.host", "CLUSTER_HOST", Kind.STRING, "127.0.0.1", 0, 0,
      "This node's address for the cluster (Hazelcast and the event bus): a literal IP address of this machine, "
          + "which other nodes reach it by"),
  CLUSTER_PORT("cluster.port", "CLUSTER_PORT", Kind.INT, 0, 0, 65535,
      "Port of the clustered event bus's TCP listener; 0 picks a free one (announced through Hazelcast)"),
  CLUSTER_HAZELCAST_PORT("cluster.hazelcast_port", "CLUSTER_HAZELCAST_PORT", Kind.INT, 5701, 1, 65535,
      "Port of this node's Hazelcast member (membership and the event bus's address table); other nodes list "
          + "it in CLUSTER_MEMBERS. Exactly this port: no auto-increment"),
  CLUSTER_MEMBERS("cluster.members", "CLUSTER_MEMBERS", Kind.OPTIONAL_STRING, "", 0, 0,
      "Hazelcast members to join over TCP/IP, host:port comma-separated (IP addresses; multicast and cloud "
          + "discovery are off). Empty: this node starts a cluster of its own"),
  CLUSTER_NAME("cluster.name", "CLUSTER_NAME", Kind.STRING, "churn-serving", 0, 0,
      "Hazelcast cluster name: nodes join only a cluster of the same name"),
  CLUSTER_TLS_CERT_PATH("cluster.tls_cert_path", "CLUSTER_TLS_CERT_PATH", Kind.OPTIONAL_STRING, "", 0, 0,
      "PEM certificate (chain) this node presents on the event bus's connections; with CLUSTER_TLS_KEY_PATH and "
          + "CLUSTER_TLS_CA_PATH, all three or none. Set: every event-bus connection is TLS, both ways"),
  CLUSTER_TLS_KEY_PATH("cluster.tls_key_path", "CLUSTER_TLS_KEY_PATH", Kind.OPTIONAL_STRING, "", 0, 0,
      "PEM private key of CLUSTER_TLS_CERT_PATH"),
  CLUSTER_TLS_CA_PATH("cluster.tls_ca_path", "CLUSTER_TLS_CA_PATH", Kind.OPTIONAL_STRING, "", 0, 0,
      "PEM certificates a peer's certificate must chain to: a node accepts event-bus connections only from nodes "
          + "it trusts, and connects only to them");

  /**
   * How a setting's value is written and checked. A {@link #SECRET_LIST}'s values are never written into a message:
   * an error names the entry at fault by its position only.
   */
  public enum Kind { STRING, OPTIONAL_STRING, INT, BOOLEAN, SECRET_LIST, LEVEL, ORIGINS, VERSION_POLICY, LABELS, MODELS }

  private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  private final String key;
  private final String env;
  private final Kind kind;
  private final Object defaultValue;
  private final int min;
  private final int max;
  private final String description;

  Setting(String key, String env, Kind kind, Object defaultValue, int min, int max, String description) {
    this.key = key;
    this.env = env;
    this.kind = kind;
    this.defaultValue = defaultValue;
    this.min = min;
    this.max = max;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String env() {
    return env;
  }

  public Object defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /**
   * Whether a variable that is set but blank is an error rather than "not set". Only for keys: every other setting
   * falls back to the file or the default, which is harmless; for keys that fallback would change who gets in.
   */
  boolean refusesBlank() {
    return kind == Kind.SECRET_LIST;
  }

  /**
   * Parses an environment variable's text into this setting's value. The text is shown as it came, between single
   * quotes, so quotes that are part of it stay visible: {@code HTTP_PORT="8080"} in an env file that keeps them
   * (docker's {@code --env-file} does) is reported as {@code got '"8080"'}, with a word on the quotes.
   */
  Object fromEnv(String text) {
    String origin = "environment variable " + env;
    return switch (kind) {
      case INT -> {
        try {
          yield check(Integer.parseInt(text.trim()), origin);
        } catch (NumberFormatException e) {
          throw new ConfigException(origin + " must be an integer from " + min + " to " + max + ", got '" + text + "'"
              + quotesHint(text));
        }
      }
      case BOOLEAN -> check(switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> throw new ConfigException(origin + " must be true or false, got '" + text + "'" + quotesHint(text));
      }, origin);
      // No address, path, level or endpoint starts and ends with a quote: such a value is a quoted one whose quotes
      // were kept, and would otherwise fail later and further from its cause (a host "127.0.0.1" is not loopback).
      case STRING, OPTIONAL_STRING, LEVEL -> {
        if (quoted(text)) {
          throw new ConfigException(origin + " is '" + text + "'" + quotesHint(text));
        }
        yield check(text.trim(), origin);
      }
      case SECRET_LIST -> {
        List<String> entries = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        // Set but empty is most often a template whose secret was missing (API_KEYS=${KEYS}); silently falling back
        // to the development key, or to no key at all, would hide that.
        if (entries.isEmpty()) {
          throw new ConfigException(origin + " is set but holds no key: unset it, or list your keys");
        }
        yield check(entries, origin);
      }
      case ORIGINS, VERSION_POLICY, LABELS -> check(text, origin);
      case MODELS -> {
        Object parsed;
        try {
          parsed = new JsonObject(text);
        } catch (RuntimeException e) {
          throw new ConfigException(origin + " must be a JSON object, got '" + text + "'");
        }
        yield check(parsed, origin);
      }
      default -> check(text.trim(), origin);
    };
  }

  private static boolean quoted(String text) {
    String t = text.trim();
    return t.length() >= 2 && (t.charAt(0) == '"' || t.charAt(0) == '\'') && t.charAt(t.length() - 1) == t.charAt(0);
  }

  private static String quotesHint(String text) {
    return quoted(text) ? ": the quotes are part of the value (an env file read by docker --env-file keeps them); "
        + "remove them" : "";
  }

  /** Checks a value read from the config file (already JSON-typed) or the environment. */
  Object check(Object value, String origin) {
    switch (kind) {
      case INT -> {
        if (!(value instanceof Integer i) || i < min || i > max) {
          throw new ConfigException(origin + " must be an integer from " + min + " to " + max + ", got "
              + describe(value) + (value instanceof String ? ", a string: write the number without quotes" : ""));
        }
        return i;
      }
      case STRING -> {
        if (!(value instanceof String s) || s.isBlank()) {
          throw new ConfigException(origin + " must be a non-empty string, got " + describe(value));
        }
        return s;
      }
      case BOOLEAN -> {
        if (!(value instanceof Boolean b)) {
          throw new ConfigException(origin + " must be true or false, got " + describe(value)
              + (value instanceof String ? ", a string: write true or false without quotes" : ""));
        }
        return b;
      }
      case OPTIONAL_STRING -> {
        if (!(value instanceof String s)) {
          throw new ConfigException(origin + " must be a string, got " + describe(value));
        }
        return s.trim();
      }
      case LEVEL -> {
        String level = value instanceof String s ? s.toUpperCase(Locale.ROOT) : null;
        if (!LEVELS.contains(level)) {
          throw new ConfigException(origin + " must be one of " + LEVELS + ", got " + describe(value));
        }
        return level;
      }
      case SECRET_LIST -> {
        if (!(value instanceof List<?> list)) {
          throw new ConfigException(origin + " must be a list of non-empty strings, got " + typeOf(value));
        }
        for (int i = 0; i < list.size(); i++) {
          if (!(list.get(i) instanceof String s) || s.isBlank()) {
            throw new ConfigException(origin + ": entry " + (i + 1) + " must be a non-empty string, got "
                + typeOf(list.get(i)));
          }
        }
        return List.copyOf(list);
      }
      case ORIGINS -> {
        // A string holds entries separated by commas, as the environment does (empty ones skipped, as API_KEYS
        // does); a list holds one per item.
        List<?> list = value instanceof String s
            ? Arrays.stream(s.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList()
            : value instanceof List<?> l ? l : null;
        if (list == null) {
          throw new ConfigException(origin + " must be a string of comma-separated origins or a list of them, got "
              + describe(value));
        }
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          if (!(list.get(i) instanceof String s) || s.isBlank()) {
            throw new ConfigException(origin + ": entry " + (i + 1) + " must be a non-empty origin, got "
                + describe(list.get(i)));
          }
          entries.add(s.trim());
        }
        return Origins.parse(entries, origin);
      }
      case VERSION_POLICY -> {
        return policy(value, origin);
      }
      case LABELS -> {
        return labels(value, origin);
      }
      case MODELS -> {
        Map<?, ?> models = value instanceof JsonObject o ? o.getMap() : value instanceof Map<?, ?> m ? m : null;
        if (models == null) {
          throw new ConfigException(origin + " must be an object of model settings by model name, got "
              + describe(value));
        }
        Map<String, ModelEntry> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : models.entrySet()) {
          String where = origin + ", model '" + e.getKey() + "'";
          Map<?, ?> entry = e.getValue() instanceof JsonObject o ? o.getMap()
              : e.getValue() instanceof Map<?, ?> m ? m : null;
          if (entry == null) {
            throw new ConfigException(where + " must be an object, got " + describe(e.getValue()));
          }
          for (Object key : entry.keySet()) {
            if (!List.of("version_policy", "labels", "required", "workers").contains(key)) {
              throw new ConfigException(where + ": unknown key '" + key
                  + "' (known: version_policy, labels, required, workers)");
            }
          }
          Object required = entry.get("required");
          if (required != null && !(required instanceof Boolean)) {
            throw new ConfigException(where + ": required must be true or false, got " + describe(required));
          }
          Object workers = entry.get("workers");
          if (workers != null && !(workers instanceof Integer w && w >= 1 && w <= 64)) {
            throw new ConfigException(where + ": workers must be an integer from 1 to 64, got " + describe(workers));
          }
          out.put(String.valueOf(e.getKey()), new ModelEntry(
              entry.containsKey("version_policy") ? policy(entry.get("version_policy"), where + ", version_policy")
                  : null,
              entry.containsKey("labels") ? labels(entry.get("labels"), where + ", labels") : null,
              (Boolean) required, (Integer) workers));
        }
        return Map.copyOf(out);
      }
      default -> throw new IllegalStateException(kind.name());
    }
  }

  /**
   * One model's entry in {@code model.models}; a null part falls back to the server-wide setting.
   *
   * @param policy   its version policy, or null
   * @param labels   its labels, or null
   * @param required whether it must have a ready version, or null
   * @param workers  its scoring workers per version, or null for SCORING_WORKERS
   */
  public record ModelEntry(VersionPolicy policy, Map<String, Long> labels, Boolean required, Integer workers) {
  }

  private static VersionPolicy policy(Object value, String origin) {
    if (!(value instanceof String s)) {
      throw new ConfigException(origin + " must be a string such as \"latest:1\", \"all\" or \"specific:1,2\", got "
          + describe(value));
    }
    try {
      return VersionPolicy.parse(s);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(origin + ": " + e.getMessage());
    }
  }

  /** Labels as {@code stable=1,canary=2} text or a {@code {"stable": 1}} object. */
  private static Map<String, Long> labels(Object value, String origin) {
    Map<String, Object> raw = new TreeMap<>();
    if (value instanceof String s) {
      for (String pair : s.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq < 1) {
          throw new ConfigException(origin + " must be label=version pairs separated by commas, got '" + s + "'");
        }
        raw.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    } else if (value instanceof JsonObject || value instanceof Map<?, ?>) {
      Map<?, ?> m = value instanceof JsonObject o ? o.getMap() : (Map<?, ?>) value;
      m.forEach((k, v) -> raw.put(String.valueOf(k), v));
    } else {
      throw new ConfigException(origin + " must be label=version pairs or an object of versions by label, got "
          + describe(value));
    }
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      String label;
      try {
        label = ModelSettings.label(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(origin + ": " + ex.getMessage());
      }
      try {
        out.put(label, ModelRepository.version(String.valueOf(e.getValue())));
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(origin + ": label '" + label + "': " + ex.getMessage());
      }
    }
    return Map.copyOf(out);
  }

  /**
   * A wrong value as a message shows it: numbers and booleans as they are, strings as JSON writes them, in double
   * quotes, so a port written as {@code "8080"} shows as the string it is; a list or an object by its type only,
   * since what sits inside may be a key put in the wrong place.
   */
  private static String describe(Object value) {
    return value instanceof String s ? Json.encode(s)
        : value instanceof Number || value instanceof Boolean ? String.valueOf(value) : typeOf(value);
  }

  /** The JSON type of a value, never the value. */
  private static String typeOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return value instanceof List<?> || value instanceof JsonArray ? "a list" : "an object";
  }
}
