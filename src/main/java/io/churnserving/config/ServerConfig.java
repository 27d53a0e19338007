package io.churnserving.config;

import io.churnserving.repository.ModelRepository;
import io.churnserving.repository.ModelSettings;
import io.churnserving.repository.VersionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole server configuration, immutable, read once by the composition root.
 *
 * @param http      where and how HTTP is served
 * @param apiKeys   accepted API keys: plain values, or {@code sha256:<hex>} digests of them
 * @param security  the key file and rate limits
 * @param model     which model to load
 * @param scoring   scoring workers and limits
 * @param stream    WebSocket stream settings
 * @param events    prediction events and the drift monitor
 * @param observability metrics and access log
 * @param logLevel  root log level (TRACE, DEBUG, INFO, WARN, ERROR)
 * @param source    where the file part came from, for messages
 * @param tls       the certificate the listeners serve, if any
 * @param bridge    the TCP event-bus bridge for non-JVM clients
 * @param cluster   this node's role and its cluster
 */
public record ServerConfig(Http http, List<String> apiKeys, Security security, Model model, Scoring scoring, Stream stream,
                           Events events, Observability observability, String logLevel, Path source, Tls tls,
                           Bridge bridge, Cluster cluster) {

  /**
   * The development key: accepted only when no key is configured at all (no API_KEYS, no security.api_keys entry and
   * no key file), and then only on a loopback address. It is public, so it is never accepted beside other keys on a
   * non-loopback address either.
   */
  public static final String DEV_KEY = "dev-key";

  public ServerConfig {
    apiKeys = List.copyOf(apiKeys);
  }

  /**
   * HTTP settings.
   *
   * @param host              address to bind
   * @param port              port to bind, 0 for any free port
   * @param instances         HTTP verticle instances (event loops serving requests)
   * @param maxBodyBytes      largest body accepted by {@code /predict}
   * @param maxBatchBodyBytes largest body accepted by the batch endpoint
   * @param maxHeaderBytes    largest request head
   * @param idleTimeoutS      a silent connection is closed after this long
   * @param bodyTimeoutMs     longest a request body may take to arrive
   * @param drainTimeoutMs    at shutdown, how long accepted work gets to finish
   * @param shutdownGraceMs   at shutdown, how long readiness says 503 before the listener stops accepting
   * @param managementPort    port of the health-and-metrics listener; -1 for none (served on the main port)
   * @param limits            what clients may make the HTTP layer hold
   * @param corsOrigins       origins whose pages may call the API (CORS); none listed: CORS is off
   */
  public record Http(String host, int port, int instances, int maxBodyBytes, int maxBatchBodyBytes,
                     int maxHeaderBytes, int idleTimeoutS, int bodyTimeoutMs, int drainTimeoutMs,
                     int shutdownGraceMs, int managementPort, Limits limits, Origins corsOrigins) {
    /** Whether the host is a loopback name or address, reachable from this machine only. */
    public boolean loopback() {
      return ConfigLoader.isLoopback(host);
    }

    /** The same settings with the management listener on {@code port}: a scoring node's only listener. */
    public Http withManagementPort(int port) {
      return new Http(host, this.port, instances, maxBodyBytes, maxBatchBodyBytes, maxHeaderBytes, idleTimeoutS,
          bodyTimeoutMs, drainTimeoutMs, shutdownGraceMs, port, limits, corsOrigins);
    }
  }

  /**
   * TLS: a certificate and its key, as PEM files, both set or neither.
   *
   * @param certPath         the certificate (chain), or null when TLS is off
   * @param keyPath          its private key, or null when TLS is off
   * @param reloadIntervalMs how often the files are read again for a new pair
   */
  public record Tls(Path certPath, Path keyPath, int reloadIntervalMs) {
    /** Whether the listeners serve TLS. */
    public boolean enabled() {
      return certPath != null;
    }
  }

  /**
   * What clients, together and one connection at a time, may make the HTTP layer hold.
   *
   * @param maxConnections        open connections, over every event loop
   * @param bufferBytes           bytes of request bodies, unwritten answers and open requests, over every connection
   * @param connectionBufferBytes the same, for one connection
   * @param writeTimeoutMs        how long an answer may wait for its client to take it before the connection closes
   * @param h2MaxConcurrentStreams HTTP/2 streams one connection may have open at once
   */
  public record Limits(int maxConnections, long bufferBytes, long connectionBufferBytes, int writeTimeoutMs,
                       int h2MaxConcurrentStreams) {
  }

  /**
   * The TCP event-bus bridge.
   *
   * @param host           address to bind (HTTP_HOST unless set)
   * @param port           port to bind; -1 when the bridge is off, 0 for any free port
   * @param addresses      the addresses clients may use, as configured; the bridge checks them against those it knows
   * @param maxConnections most open connections
   * @param maxFrameBytes  largest frame a client may send
   * @param maxInFlight    unanswered requests per connection before reading pauses
   * @param idleTimeoutS   a connection that sends nothing this long is closed
   */
  public record Bridge(String host, int port, List<String> addresses, int maxConnections, int maxFrameBytes,
                       int maxInFlight, int idleTimeoutS) {
    public Bridge {
      addresses = List.copyOf(addresses);
    }

    /** Whether the bridge listens at all. */
    public boolean enabled() {
      return port >= 0;
    }

    /** Whether the host is a loopback name or address. */
    public boolean loopback() {
      return ConfigLoader.isLoopback(host);
    }
  }

  /**
   * Key file and rate limits.
   *
   * @param keysFile      JSON file of named keys, or null for none
   * @param keysReloadS   how often the key file is checked for changes
   * @param ratePerSecond default refill of every key's token bucket; 0 for no limit
   * @param rateBurst     default capacity of every key's token bucket; 0 for the per-second rate
   */
  public record Security(Path keysFile, int keysReloadS, int ratePerSecond, int rateBurst) {
  }

  /** How model versions are loaded and unloaded while serving, as Triton's {@code --model-control-mode}. */
  public enum ControlMode {
    /** What the policies pick, at start; nothing later. */
    NONE,
    /** The repository is scanned every interval: new versions load, changed ones reload, removed ones unload. */
    POLL,
    /** Only through the repository API. */
    EXPLICIT
  }

  /**
   * Model repository settings.
   *
   * @param dir     the model repository root; each model lives in {@code dir/name/version/}
   * @param name    the default model's name
   * @param version the one version of the default model to serve, or empty for its policy
   * @param policy  the version policy of models without their own
   * @param labels  the default model's labels
   * @param models  per-model settings, by name
   * @param control how versions are loaded and unloaded while serving
   * @param pollMs  in poll mode, how often the repository is scanned
   * @param workers scoring workers per version, for models without their own count
   */
  public record Model(Path dir, String name, String version, VersionPolicy policy, Map<String, Long> labels,
                      Map<String, Setting.ModelEntry> models, ControlMode control, int pollMs, int workers) {
    public Model {
      labels = Map.copyOf(labels);
      models = Map.copyOf(models);
    }

    /**
     * How one model is served: its own entry's parts, else the server-wide ones. The default model is always
     * required, and {@code MODEL_VERSION} and {@code MODEL_LABELS} apply to it.
     */
    public ModelSettings settingsFor(String model) {
      Setting.ModelEntry own = models.get(model);
      boolean isDefault = model.equals(name);
      VersionPolicy p = isDefault && !version.isEmpty() ? new VersionPolicy.Specific(List.of(ModelRepository.version(version)))
          : own != null && own.policy() != null ? own.policy() : policy;
      Map<String, Long> l = own != null && own.labels() != null ? own.labels() : Map.of();
      if (isDefault && !labels.isEmpty()) {
        l = labels;
      }
      boolean required = isDefault || (own != null && Boolean.TRUE.equals(own.required()));
      int w = own != null && own.workers() != null ? own.workers() : workers;
      return new ModelSettings(p, l, required, w);
    }

    /**
     * The default model's folder, checked to exist. Reads the file system: call it off the event loop.
     *
     * @throws ConfigException naming the folder looked for, as an absolute path, and for a relative
     *                         {@code MODELS_DIR} (the default, {@code models}) the working directory it was read from
     */
    public Path requireModelDir() {
      Path wanted = dir.resolve(name);
      if (Files.isDirectory(wanted)) {
        return wanted;
      }
      String settings = "MODEL_NAME '" + name + "'";
      throw new ConfigException("model directory not found: " + wanted.toAbsolutePath().normalize() + (dir.isAbsolute()
          ? " (MODELS_DIR '" + dir + "', " + settings + ")"
          : " (MODELS_DIR '" + dir + "' is read relative to the working directory " + Path.of("").toAbsolutePath()
              + ", " + settings + "): start the server from the folder that holds " + dir
              + ", or set MODELS_DIR to an absolute path"));
    }
  }

  /**
   * Metrics and access log.
   *
   * @param metricsEnabled   whether /metrics is served (and meters recorded)
   * @param accessLogPercent share of requests logged as an access-log line
   * @param otelEnabled      whether spans are exported with OpenTelemetry
   * @param otelEndpoint     the OTLP/HTTP traces endpoint spans go to
   * @param otelSamplePercent share of new traces exported
   * @param metricsCacheMs   how long one scrape is served again
   */
  public record Observability(boolean metricsEnabled, int accessLogPercent, boolean otelEnabled,
                              String otelEndpoint, int otelSamplePercent, int metricsCacheMs) {
  }

  /**
   * Prediction events.
   *
   * @param samplePercent  share of predictions published on {@code churn.predictions}; 0 is off
   * @param monitorWindowS sliding window of the drift monitor
   */
  public record Events(int samplePercent, int monitorWindowS) {
  }

  /**
   * WebSocket stream settings.
   *
   * @param maxInFlight   unanswered messages per connection before reading pauses
   * @param maxFrameBytes largest message (1009 above)
   * @param idleTimeoutMs silence before the server closes with 1001
   * @param allowedOrigins origins whose pages may open a stream; none listed: same-origin pages and clients that
   *                      send no {@code Origin}
   */
  public record Stream(int maxInFlight, int maxFrameBytes, int idleTimeoutMs, Origins allowedOrigins) {
  }

  /**
   * Scoring settings.
   *
   * @param workers        scoring worker verticles, each with its own predictor
   * @param intraOpThreads ONNX Runtime threads per inference call
   * @param timeoutMs      default request deadline; past it the answer is 504
   * @param maxInstances   most instances in one batch request
   * @param maxBatchSize   most rows in one model call (micro-batching)
   * @param maxBatchDelayMicros longest a request waits for company before its batch is sent; 0 sends what is queued
   * @param queueRows      most rows admitted and not yet answered over the whole server (a memory guard); more are
   *                       refused with 503
   * @param circuitMaxFailures failed model calls in a row that open the breaker
   * @param circuitResetMs how long the breaker stays open before it lets a probe through
   */
  public record Scoring(int workers, int intraOpThreads, long timeoutMs, int maxInstances, int maxBatchSize,
                        long maxBatchDelayMicros, int queueRows, int circuitMaxFailures, long circuitResetMs) {
  }

  /** What a node does: everything in one process, the transports only, or the models only. */
  public enum Role { ALL, HTTP, SCORING }

  /**
   * The node's role and its cluster (issue 17).
   *
   * @param role          what this node serves
   * @param enabled       whether the event bus is clustered
   * @param host          this node's literal IP address for Hazelcast and the event bus
   * @param busPort       the event bus's TCP port, 0 for any free one
   * @param hazelcastPort this node's Hazelcast member port
   * @param members       Hazelcast members to join, {@code host:port}
   * @param name          the cluster's name
   */
  public record Cluster(Role role, boolean enabled, String host, int busPort, int hazelcastPort, List<String> members,
                        String name, BusTls tls) {
    public Cluster {
      members = List.copyOf(members);
    }
  }

  /**
   * TLS on the clustered event bus's connections, both ways: this node's certificate and key, and the certificates a
   * peer's must chain to; null fields when off.
   */
  public record BusTls(Path certPath, Path keyPath, Path caPath) {
    public boolean enabled() {
      return certPath != null;
    }
  }
}
