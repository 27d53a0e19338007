package io.churnserving.http;

import io.churnserving.repository.ModelSettings;
import io.churnserving.repository.VersionLoader;
import io.churnserving.repository.VersionPolicy;
import io.churnserving.scoring.ScoringBus;
import io.churnserving.serving.ServedModel;
import io.churnserving.serving.ServedModels;
import io.churnserving.serving.ServedVersion;
import io.churnserving.serving.VersionState;
import io.churnserving.serving.VersionStatus;
import java.util.Map;
import java.util.TreeMap;
import io.churnserving.support.Models;
import io.churnserving.apidocs.ApiDocs;
import io.churnserving.config.Origins;
import io.churnserving.config.ServerConfig;
import io.churnserving.events.PredictionEvents;
import io.churnserving.health.ServerHealth;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.model.ModelEdge;
import io.churnserving.model.ModelLoader;
import io.churnserving.observability.Readiness;
import io.churnserving.observability.ScoringSpans;
import io.churnserving.ratelimit.RateLimiter;
import io.churnserving.scoring.BatchingScorer;
import io.churnserving.scoring.ModelCircuit;
import io.churnserving.scoring.ScorerFactory;
import io.churnserving.security.ApiKeys;
import io.churnserving.security.KeyRing;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;

/**
 * The HTTP verticle's real collaborators, with the bundled model loaded but no scoring workers, for tests of HTTP alone
 * (probes, the route table).
 */
final class TestDependencies {
  private TestDependencies() {
  }

  static HttpServerVerticle.Dependencies of(Vertx vertx, Readiness readiness) {
    ServerConfig.Http http = new ServerConfig.Http("127.0.0.1", 0, 1, 65536, 1 << 20, 8192, 60, 10_000, 1000, 0, -1,
        new ServerConfig.Limits(1024, 64 << 20, 4 << 20, 10_000, 100), Origins.NONE);
    ServingMetrics metrics = new ServingMetrics(ServingMetrics.noRegistry(), "churn", "1");
    ModelCircuit circuit = new ModelCircuit(vertx, 5, 1000, metrics);
    String address = ScoringBus.address("churn", "1");
    ServedVersion version = new ServedVersion(VersionLoader.load(Models.CHURN_V1, 10, 1), address, circuit,
        new ScorerFactory(ModelEdge.of(ModelLoader.readMetadata(Models.CHURN_V1)), new BatchingScorer.Settings(8, 0, 1, 1000, 100, address), circuit, metrics,
            ScoringSpans.off()), metrics);
    ServedModels models = new ServedModels("churn", Map.of("churn", new ServedModel("churn",
        new ModelSettings(new VersionPolicy.Latest(1), Map.of(), true, 1), new TreeMap<>(Map.of(1L, version)))),
        List.of(new VersionStatus("churn", "1", VersionState.READY, "")));
    return new HttpServerVerticle.Dependencies(
        http,
        KeyRing.of(ApiKeys.of(List.of("k"))), new RateLimiter(null, System::nanoTime), readiness, models,
        null, ServerConfig.ControlMode.NONE,
        new ServerConfig.Stream(16, 65536, 60_000, Origins.NONE), new PredictionEvents(vertx, 0),
        new HttpServerVerticle.Observability(metrics, new ServerHealth(vertx, readiness, metrics, circuit), null, 0),
        ApiDocs.load(Models.schema()), new ServerBudget(http.limits(), 1), null);
  }
}
