package io.churnserving.config;

import io.churnserving.repository.ModelRepository;
import io.churnserving.repository.VersionPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds the {@link ServerConfig}: built-in defaults, overridden by the config file, overridden by the environment.
 * Every key is checked here, at load time, so a bad value stops the start rather than the first request.
 * This reads a file: call it off the event loop.
 */
public final class ConfigLoader {

  /** Environment variable naming the config file. */
  public static final String CONFIG_PATH_ENV = "CONFIG_PATH";
  /** The config file read when {@link #CONFIG_PATH_ENV} is not set; optional, unlike one named explicitly. */
  public static final Path DEFAULT_CONFIG_PATH = Path.of("conf", "config.json");

  /** The development key as a {@code sha256:} entry writes it, so a hashed dev-key is refused as well. */
  private static final String DEV_KEY_DIGEST = "sha256:" + sha256Hex(ServerConfig.DEV_KEY);

  private static final Set<String> KNOWN_KEYS =
      Stream.of(Setting.values()).map(Setting::key).collect(Collectors.toUnmodifiableSet());

  private ConfigLoader() {
  }

  /**
   * Loads the configuration.
   *
   * @param env the process environment (a map, so tests can pass their own)
   * @throws ConfigException naming the file or key at fault
   */
  public static ServerConfig load(Map<String, String> env) {
    String named = env.get(CONFIG_PATH_ENV);
    Path path = named == null || named.isBlank() ? DEFAULT_CONFIG_PATH : Path.of(named);
    JsonObject file = readFile(path, named != null && !named.isBlank());

    Map<Setting, Object> values = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      values.put(s, s.defaultValue());
    }
    flatten("", file, path, values);
    for (Setting s : Setting.values()) {
      String text = env.get(s.env());
      if (text != null && (!text.isBlank() || s.refusesBlank())) {
        values.put(s, s.fromEnv(text));
      }
    }
    ServerConfig config = build(values, path);
    checkExposure(config);
    return config;
  }

  private static JsonObject readFile(Path path, boolean required) {
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      if (required) {
        throw new ConfigException("config file not found: " + path);
      }
      return new JsonObject();
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + path + ": " + e.getClass().getSimpleName());
    }
    return JsonText.object(text, "config file " + path);
  }

  /** Walks the file's nested objects, so {"http": {"port": 1}} sets http.port; an unknown key is an error. */
  private static void flatten(String prefix, JsonObject object, Path path, Map<Setting, Object> values) {
    for (Map.Entry<String, Object> entry : object) {
      String key = prefix + entry.getKey();
      Object value = entry.getValue();
      if (value instanceof JsonObject nested && !KNOWN_KEYS.contains(key)) {
        flatten(key + ".", nested, path, values);
        continue;
      }
      Setting setting = Stream.of(Setting.values()).filter(s -> s.key().equals(key)).findFirst()
          .orElseThrow(() -> new ConfigException("unknown key '" + key + "' in config file " + path));
      Object plain = value instanceof JsonArray array ? array.getList() : value;
      values.put(setting, setting.check(plain, "key '" + key + "' in config file " + path));
    }
  }

  private static ServerConfig.ControlMode controlMode(Map<Setting, Object> v) {
    String mode = ((String) v.get(Setting.MODEL_CONTROL_MODE)).trim();
    return switch (mode.toLowerCase(java.util.Locale.ROOT)) {
      case "none" -> ServerConfig.ControlMode.NONE;
      case "poll" -> ServerConfig.ControlMode.POLL;
      case "explicit" -> ServerConfig.ControlMode.EXPLICIT;
      default -> throw new ConfigException("MODEL_CONTROL_MODE (model.control_mode) must be none, poll or explicit, "
          + "got '" + mode + "'");
    };
  }

  @SuppressWarnings("unchecked")
  private static ServerConfig build(Map<Setting, Object> v, Path source) {
    var http = new ServerConfig.Http((String) v.get(Setting.HTTP_HOST), (Integer) v.get(Setting.HTTP_PORT),
        (Integer) v.get(Setting.HTTP_INSTANCES), (Integer) v.get(Setting.MAX_BODY_BYTES),
        (Integer) v.get(Setting.MAX_BATCH_BODY_BYTES), (Integer) v.get(Setting.HTTP_MAX_HEADER_BYTES),
        (Integer) v.get(Setting.HTTP_IDLE_TIMEOUT_S), (Integer) v.get(Setting.HTTP_BODY_TIMEOUT_MS),
        (Integer) v.get(Setting.DRAIN_TIMEOUT_MS), (Integer) v.get(Setting.SHUTDOWN_GRACE_MS),
        (Integer) v.get(Setting.MANAGEMENT_PORT), limits(v), (Origins) v.get(Setting.CORS_ALLOWED_ORIGINS));
    String keysFile = (String) v.get(Setting.API_KEYS_FILE);
    var security = new ServerConfig.Security(keysFile.isEmpty() ? null : Path.of(keysFile),
        (Integer) v.get(Setting.API_KEYS_RELOAD_S), (Integer) v.get(Setting.RATE_LIMIT_PER_SECOND),
        (Integer) v.get(Setting.RATE_LIMIT_BURST));
    String pinned = (String) v.get(Setting.MODEL_VERSION);
    if (!pinned.isEmpty()) {
      try {
        ModelRepository.version(pinned);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("MODEL_VERSION (model.version): " + e.getMessage());
      }
    }
    var model = new ServerConfig.Model(Path.of((String) v.get(Setting.MODELS_DIR)), (String) v.get(Setting.MODEL_NAME),
        pinned, (VersionPolicy) v.get(Setting.MODEL_VERSION_POLICY), (Map<String, Long>) v.get(Setting.MODEL_LABELS),
        (Map<String, Setting.ModelEntry>) v.get(Setting.MODEL_SETTINGS), controlMode(v),
        (Integer) v.get(Setting.MODEL_POLL_INTERVAL_MS), (Integer) v.get(Setting.SCORING_WORKERS));
    var scoring = new ServerConfig.Scoring((Integer) v.get(Setting.SCORING_WORKERS),
        (Integer) v.get(Setting.INTRA_OP_THREADS), (Integer) v.get(Setting.SCORING_TIMEOUT_MS),
        (Integer) v.get(Setting.MAX_BATCH_INSTANCES), (Integer) v.get(Setting.MAX_BATCH_SIZE),
        (Integer) v.get(Setting.MAX_BATCH_DELAY_US), (Integer) v.get(Setting.SCORING_QUEUE_ROWS),
        (Integer) v.get(Setting.CIRCUIT_MAX_FAILURES), (Integer) v.get(Setting.CIRCUIT_RESET_MS));
    var stream = new ServerConfig.Stream((Integer) v.get(Setting.STREAM_MAX_IN_FLIGHT),
        (Integer) v.get(Setting.STREAM_MAX_FRAME_BYTES), (Integer) v.get(Setting.STREAM_IDLE_TIMEOUT_MS),
        (Origins) v.get(Setting.STREAM_ALLOWED_ORIGINS));
    var events = new ServerConfig.Events((Integer) v.get(Setting.EVENTS_SAMPLE_PERCENT),
        (Integer) v.get(Setting.MONITOR_WINDOW_S));
    var observability = new ServerConfig.Observability((Boolean) v.get(Setting.METRICS_ENABLED),
        (Integer) v.get(Setting.ACCESS_LOG_PERCENT), (Boolean) v.get(Setting.OTEL_ENABLED),
        (String) v.get(Setting.OTEL_ENDPOINT), (Integer) v.get(Setting.OTEL_SAMPLE_PERCENT),
        (Integer) v.get(Setting.METRICS_CACHE_MS));
    List<String> keys = (List<String>) v.get(Setting.API_KEYS);
    // The development key stands in only when no key is configured at all, so configuring any key, in a list or in a
    // key file, turns it off; checkExposure keeps it on loopback.
    if (keys.isEmpty() && security.keysFile() == null) {
      keys = List.of(ServerConfig.DEV_KEY);
    }
    return new ServerConfig(http, keys, security, model, scoring, stream, events, observability,
        (String) v.get(Setting.LOG_LEVEL), source, tls(v), bridge(v, http.host()), cluster(v));
  }

  /** The bridge's settings; its host defaults to HTTP's, and its addresses are a comma-separated list. */
  private static ServerConfig.Bridge bridge(Map<Setting, Object> v, String httpHost) {
    String host = (String) v.get(Setting.BRIDGE_HOST);
    List<String> addresses = Arrays.stream(((String) v.get(Setting.BRIDGE_ADDRESSES)).split(","))
        .map(String::trim).filter(a -> !a.isEmpty()).toList();
    return new ServerConfig.Bridge(host.isEmpty() ? httpHost : host, (Integer) v.get(Setting.BRIDGE_PORT), addresses,
        (Integer) v.get(Setting.BRIDGE_MAX_CONNECTIONS), (Integer) v.get(Setting.BRIDGE_MAX_FRAME_BYTES),
        (Integer) v.get(Setting.BRIDGE_MAX_IN_FLIGHT), (Integer) v.get(Setting.BRIDGE_IDLE_TIMEOUT_S));
  }

  /**
   * The role and cluster settings, each checked here so that a node that could not use one stops at start naming
   * it. Only literal addresses are accepted, so reading them never queries DNS.
   */
  private static ServerConfig.Cluster cluster(Map<Setting, Object> v) {
    String roleText = ((String) v.get(Setting.NODE_ROLE)).trim().toLowerCase(java.util.Locale.ROOT);
    ServerConfig.Role role = switch (roleText) {
      case "all" -> ServerConfig.Role.ALL;
      case "http" -> ServerConfig.Role.HTTP;
      case "scoring" -> ServerConfig.Role.SCORING;
      default -> throw new ConfigException("NODE_ROLE (cluster.node_role) must be all, http or scoring, got '"
          + v.get(Setting.NODE_ROLE) + "'");
    };
    boolean enabled = (Boolean) v.get(Setting.CLUSTER_ENABLED);
    if (role != ServerConfig.Role.ALL && !enabled) {
      throw new ConfigException("NODE_ROLE (cluster.node_role) " + roleText + " needs CLUSTER_ENABLED "
          + "(cluster.enabled) true: an " + roleText + " node works only on a clustered event bus");
    }
    String host = ((String) v.get(Setting.CLUSTER_HOST)).trim();
    List<String> members = new ArrayList<>();
    for (String entry : ((String) v.get(Setting.CLUSTER_MEMBERS)).split(",")) {
      String member = entry.trim();
      if (member.isEmpty()) {
        continue;
      }
      int colon = member.lastIndexOf(':');
      int port = -1;
      if (colon > 0) {
        try {
          port = Integer.parseInt(member.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
      if (port < 1 || port > 65535 || literalAddress(member.substring(0, colon)) == null) {
        throw new ConfigException("CLUSTER_MEMBERS (cluster.members): '" + member + "' is not ip:port (a literal "
            + "IP address and a port from 1 to 65535)");
      }
      members.add(member);
    }
    if (enabled) {
      InetAddress address = literalAddress(host);
      if (address == null || address.isAnyLocalAddress()) {
        throw new ConfigException("CLUSTER_HOST (cluster.host) must be a literal IP address of this machine that "
            + "other nodes can reach, got '" + host + "'");
      }
      try {
        if (java.net.NetworkInterface.getByInetAddress(address) == null) {
          throw new ConfigException("CLUSTER_HOST (cluster.host) " + host + " is not an address of this machine");
        }
      } catch (java.net.SocketException e) {
        throw new ConfigException("CLUSTER_HOST (cluster.host) " + host + " cannot be checked: " + e.getMessage());
      }
    }
    return new ServerConfig.Cluster(role, enabled, host, (Integer) v.get(Setting.CLUSTER_PORT),
        (Integer) v.get(Setting.CLUSTER_HAZELCAST_PORT), members, ((String) v.get(Setting.CLUSTER_NAME)).trim(),
        busTls(v));
  }

  /** The event bus's TLS: all three files or none, each one readable, so a node that could not use them stops. */
  private static ServerConfig.BusTls busTls(Map<Setting, Object> v) {
    List<Setting> files = List.of(Setting.CLUSTER_TLS_CERT_PATH, Setting.CLUSTER_TLS_KEY_PATH,
        Setting.CLUSTER_TLS_CA_PATH);
    List<Setting> set = files.stream().filter(f -> !((String) v.get(f)).isEmpty()).toList();
    if (set.isEmpty()) {
      return new ServerConfig.BusTls(null, null, null);
    }
    for (Setting f : files) {
      if (!set.contains(f)) {
        throw new ConfigException(set.get(0).env() + " (" + set.get(0).key() + ") is set but " + f.env() + " ("
            + f.key() + ") is not: set all three of CLUSTER_TLS_CERT_PATH, CLUSTER_TLS_KEY_PATH and "
            + "CLUSTER_TLS_CA_PATH for TLS on the event bus, or none");
      }
      if (!java.nio.file.Files.isReadable(Path.of((String) v.get(f)))) {
        throw new ConfigException(f.env() + " (" + f.key() + ") " + v.get(f) + " is not a readable file");
      }
    }
    return new ServerConfig.BusTls(Path.of((String) v.get(Setting.CLUSTER_TLS_CERT_PATH)),
        Path.of((String) v.get(Setting.CLUSTER_TLS_KEY_PATH)), Path.of((String) v.get(Setting.CLUSTER_TLS_CA_PATH)));
  }

  /** The address a literal IP names, or null for anything else (a host name is never looked up). */
  private static InetAddress literalAddress(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+") || (bare.matches("[0-9.]+") && bare.split("\\.").length != 4)) {
      return null;
    }
    try {
      return InetAddress.getByName(bare);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * Both files or neither: a certificate without its key (or the other way round) is most often a deployment that
   * lost one of its secrets, and serving plain HTTP instead would send keys in clear where TLS was meant.
   */
  private static ServerConfig.Tls tls(Map<Setting, Object> v) {
    String cert = (String) v.get(Setting.TLS_CERT_PATH);
    String key = (String) v.get(Setting.TLS_KEY_PATH);
    int reload = (Integer) v.get(Setting.TLS_RELOAD_INTERVAL_MS);
    if (cert.isEmpty() != key.isEmpty()) {
      Setting set = cert.isEmpty() ? Setting.TLS_KEY_PATH : Setting.TLS_CERT_PATH;
      Setting missing = cert.isEmpty() ? Setting.TLS_CERT_PATH : Setting.TLS_KEY_PATH;
      throw new ConfigException(set.env() + " (" + set.key() + ") is set but " + missing.env() + " ("
          + missing.key() + ") is not: set both for TLS, or neither for plain HTTP");
    }
    return cert.isEmpty() ? new ServerConfig.Tls(null, null, reload)
        : new ServerConfig.Tls(Path.of(cert), Path.of(key), reload);
  }

  /**
   * The HTTP layer's limits. A buffer of 0 is a quarter of the heap the JVM may grow to, so a heap sized from a
   * container's memory limit sizes the buffers too. One connection must be able to hold the largest batch body with
   * its answer, or no batch could ever be read.
   */
  private static ServerConfig.Limits limits(Map<Setting, Object> v) {
    int configured = (Integer) v.get(Setting.HTTP_BUFFER_BYTES);
    long buffer = configured > 0 ? configured : Runtime.getRuntime().maxMemory() / 4;
    long perConnection = (Integer) v.get(Setting.HTTP_CONNECTION_BUFFER_BYTES);
    long batchBody = (Integer) v.get(Setting.MAX_BATCH_BODY_BYTES);
    if (perConnection < batchBody + (64 << 10)) {
      throw new ConfigException("http.connection_buffer_bytes (HTTP_CONNECTION_BUFFER_BYTES) must be at least "
          + "http.max_batch_body_bytes + 65536 = " + (batchBody + (64 << 10)) + ", got " + perConnection);
    }
    return new ServerConfig.Limits((Integer) v.get(Setting.HTTP_MAX_CONNECTIONS), Math.max(buffer, perConnection),
        perConnection, (Integer) v.get(Setting.HTTP_WRITE_TIMEOUT_MS),
        (Integer) v.get(Setting.HTTP2_MAX_CONCURRENT_STREAMS));
  }

  /**
   * The development key is public; refuse to expose it beyond this machine, alone or beside other keys, on the HTTP
   * listener or on the bridge, which takes the same keys.
   */
  private static void checkExposure(ServerConfig config) {
    checkExposure(config, config.http().host());
    if (config.bridge().enabled()) {
      checkExposure(config, config.bridge().host());
    }
  }

  private static void checkExposure(ServerConfig config, String host) {
    if (isLoopback(host)) {
      return;
    }
    if (config.apiKeys().equals(List.of(ServerConfig.DEV_KEY)) && config.security().keysFile() == null) {
      throw new ConfigException("refusing to bind " + host + " with no API key configured (only the development "
          + "key 'dev-key' would be accepted): set API_KEYS, security.api_keys or API_KEYS_FILE");
    }
    if (config.apiKeys().stream().anyMatch(ConfigLoader::isDevKey)) {
      throw new ConfigException("refusing to bind " + host + " with the public development key 'dev-key' among "
          + "the accepted keys: remove it from API_KEYS (or security.api_keys)");
    }
  }

  private static boolean isDevKey(String entry) {
    return entry.equals(ServerConfig.DEV_KEY) || entry.equalsIgnoreCase(DEV_KEY_DIGEST);
  }

  static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    // Only literal addresses are resolved here, so this never queries DNS.
    if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
      return false;
    }
    try {
      return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String sha256Hex(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
