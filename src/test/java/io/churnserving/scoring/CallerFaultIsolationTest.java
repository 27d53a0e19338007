package io.churnserving.scoring;

import io.churnserving.support.Models;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.metrics.ServingMetrics;
import io.churnserving.model.ChurnModel;
import io.churnserving.model.FeatureRow;
import io.churnserving.model.ModelLoader;
import io.churnserving.model.Prediction;
import io.churnserving.observability.ScoringSpans;
import io.churnserving.support.Faults;
import io.churnserving.support.Rows;
import io.churnserving.support.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The real scorer, worker, model and event bus; the fault is a caller whose own handler throws when it is
 * answered, as a stream's did when its client had already closed. Its rows share micro-batches with the others.
 */
class CallerFaultIsolationTest {
  static final int ROWS = 2000;

  @Test
  void callersWhoseHandlersThrowCostTheOthersNothingAndTheirRowsAreReleased() {
    Vertx vertx = Vertx.vertx(TestServer.strictOptions());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ChurnModel model = Models.load()) {
      ScoringBus.registerCodecs(vertx);
      ServingMetrics metrics = new ServingMetrics(registry, "churn", "1");
      TestServer.await(vertx.deployVerticle(() -> new ScoringVerticle(model, ScoringBus.address("churn", "1"), UnaryOperator.identity(), metrics),
          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
      ScorerFactory scorers = new ScorerFactory(model.edge(), new BatchingScorer.Settings(128, 500, 1, 60_000, 200_000,
          ScoringBus.address("churn", "1")),
          new ModelCircuit(vertx, 5, 1000, metrics), metrics, ScoringSpans.off());
      FeatureRow row = Rows.of(new JsonObject(TestServer.EXAMPLE));
      List<Future<Prediction>> wellBehaved = new ArrayList<>();
      // On one event loop, in one go: the first row goes out alone and the rest queue behind it, so every
      // micro-batch mixes callers that throw with callers that do not.
      TestServer.await(vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          Scorer scorer = scorers.create(vertx);
          for (int i = 0; i < ROWS; i++) {
            Future<Prediction> answer = scorer.score(row);
            if (i % 3 == 0) {
              answer.onComplete(ar -> {
                throw new IllegalStateException("WebSocket is closed");
              });
            } else {
              wellBehaved.add(answer);
            }
          }
          return Future.succeededFuture();
        }
      }));

      assertThat(TestServer.await(Future.all(wellBehaved)).<Prediction>list())
          .hasSize(wellBehaved.size()).allSatisfy(p -> assertThat(p).isNotNull());
      Faults.eventually(() -> registry.get("requests_in_flight").gauge().value() == 0);
    } finally {
      TestServer.await(vertx.close());
    }
  }
}
