package io.churnserving.scoring;

import io.churnserving.support.Models;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.metrics.ServingMetrics;
import io.churnserving.model.ChurnModel;
import io.churnserving.model.FeatureRow;
import io.churnserving.model.ModelLoader;
import io.churnserving.support.Rows;
import io.churnserving.support.TestServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The real worker and model over the real event bus; one poisoned row is the injected fault. */
class ScoringVerticleTest {
  @Test
  void aRowThatFailsFailsOnlyItself() {
    Vertx vertx = Vertx.vertx(TestServer.strictOptions());
    try (ChurnModel model = Models.load()) {
      ScoringBus.registerCodecs(vertx);
      TestServer.await(vertx.deployVerticle(() -> new ScoringVerticle(model, ScoringBus.address("churn", "1"), UnaryOperator.identity(),
          new ServingMetrics(ServingMetrics.noRegistry(), "churn", "1")),
          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
      FeatureRow good = Rows.of(new JsonObject().put("tenure_months", 24).put("monthly_charges", 79.5)
          .put("contract_type", "month-to-month").put("num_products", 2));
      FeatureRow poison = new FeatureRow() {
        @Override
        public double number(String field) {
          throw new IllegalStateException("injected fault");
        }

        @Override
        public String category(String field) {
          return "DSL";
        }
      };
      ScoreResult result = TestServer.await(vertx.eventBus().<ScoreResult>request(ScoringBus.address("churn", "1"),
          new ScoreBatch(List.of(good, poison, good), List.of("a", "b", "c"), deadlines(3), System.nanoTime()))).body();
      assertThat(result.outcome(0).prediction()).isNotNull();
      assertThat(result.outcome(1).failure()).isInstanceOf(ScoringException.Failed.class);
      assertThat(result.outcome(2).prediction()).isEqualTo(result.outcome(0).prediction());
    } finally {
      TestServer.await(vertx.close());
    }
  }

  private static long[] deadlines(int n) {
    long[] d = new long[n];
    java.util.Arrays.fill(d, System.nanoTime() + 60_000_000_000L);
    return d;
  }
}
