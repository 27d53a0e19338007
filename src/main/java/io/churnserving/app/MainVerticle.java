package io.churnserving.app;

import io.churnserving.apidocs.ApiDocs;
import io.churnserving.bridge.BridgeVerticle;
import io.churnserving.bus.PredictConsumerVerticle;
import io.churnserving.cluster.HazelcastCluster;
import io.churnserving.cluster.NodeAnnouncer;
import io.churnserving.cluster.ScoringNodes;
import io.churnserving.cluster.ScoringPlacement;
import io.churnserving.serving.Placement;
import io.churnserving.config.ConfigException;
import io.churnserving.config.ConfigLoader;
import io.churnserving.config.ServerConfig;
import io.churnserving.events.DriftMonitorVerticle;
import io.churnserving.events.PredictionEvents;
import io.churnserving.http.HttpServerVerticle;
import io.churnserving.http.ManagementVerticle;
import io.churnserving.http.ServerBudget;
import io.churnserving.health.ServerHealth;
import io.churnserving.metrics.BridgeMeters;
import io.churnserving.metrics.PrometheusScrape;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.LogLevels;
import io.churnserving.observability.Readiness;
import io.churnserving.observability.ScoringSpans;
import io.churnserving.scoring.ScoringBus;
import io.churnserving.ratelimit.RateLimiter;
import io.churnserving.repository.ModelRepository;
import io.churnserving.serving.ModelControl;
import io.churnserving.serving.ServedModel;
import io.churnserving.serving.ServedModels;
import io.churnserving.serving.ServedVersion;
import io.churnserving.scoring.ModelCall;
import io.churnserving.security.KeyFileWatcher;
import io.churnserving.security.KeyRing;
import io.churnserving.security.RateLimit;
import io.churnserving.tls.CertificatePair;
import io.churnserving.tls.CertificateWatcher;
import io.churnserving.tls.ServerCertificates;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.net.BindException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration, has the model control load and warm every version the policies pick and deploy each one's
 * scoring workers, then deploys the HTTP verticles. Its
 * start future fails, with a message naming the file or key at fault, if any step does; it succeeds only once the
 * port is bound and the server is ready.
 */
public final class MainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);
  /** How long a leaving scoring node still answers after saying it leaves: batches already on their way. */
  private static final long LEAVE_SETTLE_MS = 1000;

  private final Map<String, String> env;
  private final UnaryOperator<ModelCall> faults;
  private final PrometheusMeterRegistry registry;
  private final ScoringSpans spans;
  private final HazelcastCluster cluster;
  private NodeAnnouncer announcer;
  private final Readiness readiness = new Readiness();
  private final AtomicInteger httpPort = new AtomicInteger(-1);
  private final AtomicInteger managementPort = new AtomicInteger(-1);
  private final AtomicInteger bridgePort = new AtomicInteger(-1);
  private ServerConfig config;
  private ModelControl control;
  private ServedModels models;
  private KeyRing keys;
  private PredictionEvents events;
  private ApiDocs apiDocs;
  private ServerCertificates certificates;
  private String httpDeployment;
  private String busDeployment;
  private String bridgeDeployment;
  private RateLimiter limiter;

  /** @param env the environment to read overrides from (the process environment, or a test's map) */
  public MainVerticle(Map<String, String> env) {
    this(env, UnaryOperator.identity(), null, ScoringSpans.off());
  }

  /** One process, not clustered: {@link #MainVerticle(Map, UnaryOperator, PrometheusMeterRegistry, ScoringSpans,
   * HazelcastCluster)} without a cluster. */
  public MainVerticle(Map<String, String> env, UnaryOperator<ModelCall> faults, PrometheusMeterRegistry registry,
                      ScoringSpans spans) {
    this(env, faults, registry, spans, null);
  }

  /**
   * @param env    the environment to read overrides from
   * @param faults   wraps each scoring worker's model call; tests inject faults with it, the server passes identity
   * @param registry the Prometheus registry the {@code Vertx} was built with ({@link VertxRuntime}), or null when
   *                 metrics are off
   * @param spans    the scoring spans of exported requests ({@link VertxRuntime} makes them when export is on)
   * @param cluster  the Hazelcast member the {@code Vertx} was built clustered with ({@link VertxRuntime}), or null
   */
  public MainVerticle(Map<String, String> env, UnaryOperator<ModelCall> faults, PrometheusMeterRegistry registry,
                      ScoringSpans spans, HazelcastCluster cluster) {
    this.env = Map.copyOf(env);
    this.faults = faults;
    this.registry = registry;
    this.spans = spans;
    this.cluster = cluster;
  }

  /** What this node serves. */
  private ServerConfig.Role role() {
    return config.cluster().role();
  }

  /**
   * Where the versions run, by role; an HTTP node's view of the scoring nodes is deployed first, so that it has
   * heard them by the time it serves.
   */
  private Future<Placement> placement() {
    if (role() != ServerConfig.Role.ALL && cluster == null) {
      return Future.failedFuture(new ConfigException("NODE_ROLE (cluster.node_role) " + role().name()
          .toLowerCase(java.util.Locale.ROOT) + " needs the event bus clustered (CLUSTER_ENABLED)"));
    }
    return switch (role()) {
      case ALL -> Future.succeededFuture(Placement.local());
      case SCORING -> Future.succeededFuture(new ScoringPlacement(cluster.nodeId()));
      case HTTP -> {
        ScoringNodes nodes = new ScoringNodes(cluster);
        yield vertx.deployVerticle(nodes).map(id -> nodes);
      }
    };
  }

  @Override
  public Future<?> start() {
    long started = System.nanoTime();
    ScoringBus.registerCodecs(vertx);
    // Reading files and loading the models block, so both run on a worker thread, never on this event loop.
    return vertx.executeBlocking(() -> {
          config = ConfigLoader.load(env);
          keys = KeyRing.load(config.apiKeys(), config.security().keysFile());
          ServerConfig.Tls tls = config.tls();
          certificates = tls.enabled()
              ? new ServerCertificates(CertificatePair.read(vertx, tls.certPath(), tls.keyPath())) : null;
          return config;
        })
        .compose(loaded -> {
          LogLevels.applyRoot(config.logLevel());
          warnIfKeysTravelInClear();
          return placement();
        })
        .compose(placement -> {
          control = new ModelControl(vertx, new ModelControl.Settings(new ModelRepository(config.model().dir()),
              config.model()::settingsFor, config.model().name(), config.scoring(), config.http().drainTimeoutMs(),
              registry != null ? registry : ServingMetrics.noRegistry(), spans, faults, placement));
          return vertx.executeBlocking(() -> config.model().requireModelDir()).compose(dir -> control.start());
        })
        .compose(served -> {
          models = served;
          readiness.requireModels(() -> models.missingRequired().isEmpty());
          readiness.nameMissing(models::missingRequired);
          return vertx.executeBlocking(() -> ApiDocs.load(models.defaultVersion().model().instanceSchema()));
        })
        .compose(docs -> {
          apiDocs = docs;
          ServedVersion def = models.defaultVersion();
          events = new PredictionEvents(vertx, config.events().samplePercent());
          return vertx.deployVerticle(new DriftMonitorVerticle(config.events().monitorWindowS(), def.metrics()));
        })
        .compose(id -> vertx.deployVerticle(
            new KeyFileWatcher(keys, config.security().keysReloadS() * 1000L)))
        .compose(id -> {
          if (role() == ServerConfig.Role.SCORING) {
            // A scoring node takes batches, not predictions: it only says what it serves.
            announcer = new NodeAnnouncer(cluster.nodeId(), models);
            return vertx.deployVerticle(announcer).map(x -> (String) null);
          }
          ServedVersion def = models.defaultVersion();
          return vertx.deployVerticle(new PredictConsumerVerticle(models, events, def.metrics(),
              config.http().drainTimeoutMs()));
        })
        .compose(id -> {
          busDeployment = id;
          return deployHttp();
        })
        .onSuccess(id -> httpDeployment = id)
        .compose(id -> deployBridge())
        .compose(id -> certificates == null ? Future.succeededFuture() : vertx.deployVerticle(
            new CertificateWatcher(certificates, config.tls().certPath(), config.tls().keyPath(),
                config.tls().reloadIntervalMs())))
        .onSuccess(v -> {
          if (config.model().control() == ServerConfig.ControlMode.POLL) {
            control.startPolling(config.model().pollMs());
          }
          readiness.markReady();
          var ready = LOG.atInfo().addKeyValue("host", config.http().host()).addKeyValue("port", httpPort.get())
              .addKeyValue("management_port", managementPort.get())
              .addKeyValue("bridge_port", bridgePort.get())
              .addKeyValue("tls", certificates != null);
          if (certificates != null) {
            ready = ready.addKeyValue("tls_certificate", certificates.current().subject())
                .addKeyValue("tls_not_after", certificates.current().notAfter().toString());
          }
          ServedVersion def = models.defaultVersion();
          ready.addKeyValue("model", def.name()).addKeyValue("model_version", def.version())
              .addKeyValue("model_load_ms", def.model().model().loadMillis())
              .addKeyValue("models", served())
              .addKeyValue("role", role().name().toLowerCase(java.util.Locale.ROOT))
              .addKeyValue("startup_ms", (System.nanoTime() - started) / 1_000_000)
              .log("Server ready");
        });
  }

  /** The served versions as {@code name:version} words, for the ready line. */
  private String served() {
    StringBuilder sb = new StringBuilder();
    for (ServedModel m : models.models()) {
      for (Long v : m.versions().keySet()) {
        sb.append(sb.isEmpty() ? "" : " ").append(m.name()).append(':').append(v);
      }
    }
    return sb.toString();
  }

  /**
   * Beyond loopback without TLS, every {@code X-API-Key} header and every stream's {@code ?api_key=} crosses the
   * network as plain text: said once, at start, so that it is in the log of any server exposed that way.
   */
  private void warnIfKeysTravelInClear() {
    if (!config.tls().enabled() && !config.http().loopback()) {
      LOG.atWarn().addKeyValue("host", config.http().host())
          .log("Binding a non-loopback address without TLS: API keys travel in clear over the network. Set "
              + "TLS_CERT_PATH and TLS_KEY_PATH, or put a TLS-terminating proxy in front");
    }
  }

  private Future<String> deployHttp() {
    var budget = new ServerBudget(config.http().limits(), config.http().instances());
    models.defaultVersion().metrics().http().watch(budget::connections, budget::bytes);
    limiter = new RateLimiter(RateLimit.ofSettings(config.security().ratePerSecond(),
        config.security().rateBurst()), System::nanoTime);
    var scrape = registry == null ? null
        : new PrometheusScrape(vertx, registry, config.observability().metricsCacheMs());
    ServedVersion def = models.defaultVersion();
    ServingMetrics metrics = def.metrics();
    var deps = new HttpServerVerticle.Dependencies(config.http(), keys, limiter, readiness, models, control,
        config.model().control(), config.stream(),
        events, new HttpServerVerticle.Observability(metrics, new ServerHealth(vertx, readiness, metrics,
            def.circuit()), scrape, config.observability().accessLogPercent()), apiDocs, budget, certificates);
    String host = config.http().host();
    if (role() == ServerConfig.Role.SCORING) {
      // Health and metrics only, on MANAGEMENT_PORT, or on HTTP_PORT when there is no management port.
      int port = config.http().managementPort() >= 0 ? config.http().managementPort() : config.http().port();
      var own = new HttpServerVerticle.Dependencies(config.http().withManagementPort(port), keys, limiter, readiness,
          models, control, config.model().control(), config.stream(), events, deps.observability(), apiDocs, budget,
          certificates);
      return vertx.deployVerticle(new ManagementVerticle(own, new ServerBudget(config.http().limits(), 1), p -> {
        managementPort.set(p);
        httpPort.set(p);
      })).recover(e -> bindFailure(e, host, port, "HTTP_HOST, MANAGEMENT_PORT"));
    }
    Future<?> management = config.http().managementPort() < 0 ? Future.succeededFuture()
        : vertx.deployVerticle(new ManagementVerticle(deps, new ServerBudget(config.http().limits(), 1),
            managementPort::set))
            .recover(e -> bindFailure(e, host, config.http().managementPort(), "HTTP_HOST, MANAGEMENT_PORT"));
    // Port 0 would give each instance a port of its own; Vert.x reads a negative port as "any free port, shared by
    // every instance of this deployment".
    int port = config.http().port() == 0 ? -1 : config.http().port();
    return management.compose(id -> vertx.deployVerticle(() -> new HttpServerVerticle(deps, port, httpPort::set),
        new DeploymentOptions().setInstances(config.http().instances())))
        .recover(e -> bindFailure(e, host, config.http().port(), "HTTP_HOST, HTTP_PORT"));
  }

  /** The TCP event-bus bridge, when BRIDGE_PORT is set: the same keys, rate limiter and certificate as HTTP. */
  private Future<String> deployBridge() {
    ServerConfig.Bridge bridge = config.bridge();
    if (!bridge.enabled()) {
      return Future.succeededFuture();
    }
    // A second more than the scoring deadline, so the consumer's own 504 reaches the client before the bus gives up.
    return vertx.deployVerticle(new BridgeVerticle(bridge, keys, limiter, config.scoring().timeoutMs() + 1000,
            config.http().drainTimeoutMs(), new BridgeMeters(registry != null ? registry : ServingMetrics.noRegistry()),
            certificates, bridgePort::set))
        .onSuccess(id -> bridgeDeployment = id)
        .recover(e -> bindFailure(e, bridge.host(), bridge.port(), "BRIDGE_HOST, BRIDGE_PORT"));
  }

  /**
   * A listener that could not bind says where: the JDK's own message is only "Address already in use", and with
   * the management port there are two listeners it could be.
   */
  private static <T> Future<T> bindFailure(Throwable e, String host, int port, String settings) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        String address = host.contains(":") && !host.startsWith("[") ? "[" + host + "]:" + port : host + ":" + port;
        return Future.failedFuture(new ConfigException("could not bind " + address + " (" + settings + "): "
            + t.getMessage()));
      }
    }
    return Future.failedFuture(e);
  }

  /**
   * The first half of a graceful stop: readiness turns 503 at once, while the server still accepts and serves for
   * {@code SHUTDOWN_GRACE_MS}; then the HTTP servers and the event-bus bridge stop accepting, answer every request
   * already accepted and drain every stream (closing it with 1001); then the event-bus consumer answers what it took.
   * The scoring workers stay up throughout, so nothing accepted loses its score. Completes within about the grace
   * plus the drain time; then {@code vertx.close()} undeploys the rest.
   */
  public Future<Void> drain() {
    readiness.markNotReady();
    if (announcer != null) {
      // A scoring node: HTTP nodes stop sending on hearing it leave; what they sent before that still arrives
      // and is answered during the settle. Closing Vert.x then leaves the cluster; a batch that still comes is
      // refused for want of a consumer, and its HTTP node sends it to another scoring node.
      announcer.leave();
      return vertx.timer(LEAVE_SETTLE_MS).onComplete(ar -> LOG.atInfo().log("Drained")).mapEmpty();
    }
    int grace = config == null ? 0 : config.http().shutdownGraceMs();
    LOG.atInfo().addKeyValue("grace_ms", grace)
        .log("Shutting down: readiness is 503; still serving for the grace period, then draining");
    // During the grace the listener still accepts and serves: load balancers see readiness fail and stop sending
    // before any connection is refused.
    Future<Void> graced = grace == 0 ? Future.succeededFuture() : vertx.timer(grace).mapEmpty();
    Future<Void> http = graced.compose(v -> {
      LOG.atInfo().log("Draining accepted requests and streams; new connections are refused");
      return Future.all(undeploy(httpDeployment), undeploy(bridgeDeployment)).<Void>mapEmpty();
    });
    return http.eventually(() -> busDeployment == null ? Future.succeededFuture() : vertx.undeploy(busDeployment))
        .onComplete(ar -> LOG.atInfo().log("Drained"))
        .mapEmpty();
  }

  private Future<Void> undeploy(String deployment) {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }

  @Override
  public Future<?> stop() {
    readiness.markNotReady();
    // Child deployments (transports, then workers) are undeployed before this runs; the models go last.
    return models == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      for (ServedModel m : models.models()) {
        for (ServedVersion v : m.versions().values()) {
          v.model().model().close();
        }
      }
      return null;
    });
  }

  /** The port HTTP is bound to, once started; -1 before. */
  public int httpPort() {
    return httpPort.get();
  }

  /** The management listener's port, once started; -1 before, or when there is none. */
  public int managementPort() {
    return managementPort.get();
  }

  /** The event-bus bridge's port, once started; -1 before, or when it is off. */
  public int bridgePort() {
    return bridgePort.get();
  }
}
