package io.churnserving.app;

import io.churnserving.bus.PredictConsumerVerticle;
import io.churnserving.config.ConfigLoader;
import io.churnserving.config.ServerConfig;
import io.churnserving.events.DriftMonitorVerticle;
import io.churnserving.events.PredictionEvents;
import io.churnserving.http.HttpServerVerticle;
import io.churnserving.model.ChurnModel;
import io.churnserving.model.ModelLoader;
import io.churnserving.observability.LogLevels;
import io.churnserving.observability.Readiness;
import io.churnserving.scoring.BatchingScorer;
import io.churnserving.scoring.ScoringBus;
import io.churnserving.scoring.ScoringVerticle;
import io.churnserving.security.ApiKeys;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration, loads and warms the model, deploys the scoring workers, then the HTTP verticles. Its
 * start future fails, with a message naming the file or key at fault, if any step does; it succeeds only once the
 * port is bound and the server is ready.
 */
public final class MainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  private final Map<String, String> env;
  private final Readiness readiness = new Readiness();
  private final AtomicInteger httpPort = new AtomicInteger(-1);
  private ServerConfig config;
  private ChurnModel model;
  private RequestValidator validator;
  private PredictionEvents events;

  /** @param env the environment to read overrides from (the process environment, or a test's map) */
  public MainVerticle(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public Future<?> start() {
    long started = System.nanoTime();
    ScoringBus.registerCodecs(vertx);
    // Reading files and loading the model block, so both run on a worker thread, never on this event loop.
    return vertx.executeBlocking(() -> {
          config = ConfigLoader.load(env);
          validator = RequestValidator.create(config.scoring().maxInstances());
          return config;
        })
        .compose(loaded -> {
          LogLevels.applyRoot(config.logLevel());
          return vertx.executeBlocking(
              () -> ModelLoader.load(config.model().versionDir(), config.scoring().intraOpThreads()));
        })
        .compose(loaded -> {
          model = loaded;
          return vertx.deployVerticle(() -> new ScoringVerticle(model), new DeploymentOptions()
              .setThreadingModel(ThreadingModel.WORKER).setInstances(config.scoring().workers()));
        })
        .compose(id -> {
          events = new PredictionEvents(vertx, config.events().samplePercent());
          return vertx.deployVerticle(new DriftMonitorVerticle(config.events().monitorWindowS()));
        })
        .compose(id -> vertx.deployVerticle(new PredictConsumerVerticle(validator, scoringSettings(), events)))
        .compose(id -> deployHttp())
        .onSuccess(v -> {
          readiness.markReady();
          LOG.atInfo().addKeyValue("host", config.http().host()).addKeyValue("port", httpPort.get())
              .addKeyValue("model", model.name()).addKeyValue("model_version", model.version())
              .addKeyValue("model_load_ms", model.loadMillis())
              .addKeyValue("startup_ms", (System.nanoTime() - started) / 1_000_000)
              .log("Server ready");
        });
  }

  private Future<String> deployHttp() {
    var deps = new HttpServerVerticle.Dependencies(config.http(), ApiKeys.of(config.apiKeys()), readiness,
        model.name(), model.version(), validator, scoringSettings(), config.stream(), events);
    // Port 0 would give each instance a port of its own; Vert.x reads a negative port as "any free port, shared by
    // every instance of this deployment".
    int port = config.http().port() == 0 ? -1 : config.http().port();
    return vertx.deployVerticle(() -> new HttpServerVerticle(deps, port, httpPort::set),
        new DeploymentOptions().setInstances(config.http().instances()));
  }

  private BatchingScorer.Settings scoringSettings() {
    ServerConfig.Scoring s = config.scoring();
    return new BatchingScorer.Settings(s.maxBatchSize(), s.maxBatchDelayMicros(), s.workers(), s.timeoutMs());
  }

  @Override
  public Future<?> stop() {
    readiness.markNotReady();
    // Child deployments (transports, then workers) are undeployed before this runs; the model goes last.
    return model == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      model.close();
      return null;
    });
  }

  /** The port HTTP is bound to, once started; -1 before. */
  public int httpPort() {
    return httpPort.get();
  }
}
