package io.churnserving.scoring;

import io.churnserving.support.Models;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.metrics.ServingMetrics;
import io.churnserving.model.ChurnModel;
import io.churnserving.model.ModelEdge;
import io.churnserving.model.ModelLoader;
import io.churnserving.support.Rows;
import io.churnserving.support.TestServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real worker and model over the real event bus, sent plain-data batches as the edge sends them. The injected
 * fault: a model call that throws whenever its input holds a poisoned (NaN) row.
 */
class ScoringVerticleTest {
  private static final long MINUTE = 60_000_000_000L;

  @Test
  void aRowThatFailsFailsOnlyItselfAndTheOthersGetTheModelsOutputs() {
    Vertx vertx = Vertx.vertx(TestServer.strictOptions());
    try (ChurnModel model = Models.load()) {
      deploy(vertx, model);
      ModelEdge edge = model.edge();
      int width = edge.encoder().width();
      float[] good = edge.encoder().encode(List.of(Rows.of(new JsonObject(TestServer.EXAMPLE))));
      float[] features = new float[3 * width];
      System.arraycopy(good, 0, features, 0, width);
      Arrays.fill(features, width, 2 * width, Float.NaN);
      System.arraycopy(good, 0, features, 2 * width, width);
      ScoreResult result = request(vertx, new ScoreBatch("churn", "1", features, width,
          new String[] {"a", "b", "c"}, new long[] {MINUTE, MINUTE, MINUTE}, System.nanoTime()));
      assertThat(result.code(0)).isEqualTo(RowCode.OK);
      assertThat(result.code(1)).isEqualTo(RowCode.FAILED);
      assertThat(result.code(2)).isEqualTo(RowCode.OK);
      assertThat(result.modelFailed()).isFalse();
      int labels = edge.outputColumns();
      assertThat(result.outputColumns()).isEqualTo(labels);
      float[] first = Arrays.copyOfRange(result.outputs(), 0, labels);
      assertThat(Arrays.copyOfRange(result.outputs(), 2 * labels, 3 * labels)).containsExactly(first);
      float sum = 0;
      for (float p : first) {
        assertThat(p).isBetween(0f, 1f);
        sum += p;
      }
      assertThat(sum).as("softmax over every label").isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
    } finally {
      TestServer.await(vertx.close());
    }
  }

  @Test
  void aRowWhoseTimeRanOutIsExpiredWithoutTheModelAndAnAllFailedBatchIsAModelFailure() {
    Vertx vertx = Vertx.vertx(TestServer.strictOptions());
    try (ChurnModel model = Models.load()) {
      deploy(vertx, model);
      int width = model.edge().encoder().width();
      float[] good = model.edge().encoder().encode(List.of(Rows.of(new JsonObject(TestServer.EXAMPLE))));
      float[] features = new float[2 * width];
      System.arraycopy(good, 0, features, 0, width);
      Arrays.fill(features, width, 2 * width, Float.NaN);
      ScoreResult result = request(vertx, new ScoreBatch("churn", "1", features, width,
          new String[] {"late", "poisoned"}, new long[] {0, MINUTE}, System.nanoTime()));
      assertThat(result.code(0)).isEqualTo(RowCode.EXPIRED);
      assertThat(result.code(1)).isEqualTo(RowCode.FAILED);
      assertThat(result.modelFailed()).as("every row the model was given failed").isTrue();
    } finally {
      TestServer.await(vertx.close());
    }
  }

  private static void deploy(Vertx vertx, ChurnModel model) {
    ScoringBus.registerCodecs(vertx);
    TestServer.await(vertx.deployVerticle(() -> new ScoringVerticle(model, ScoringBus.address("churn", "1"), real -> (features, rows) -> {
          for (float f : features) {
            if (Float.isNaN(f)) {
              throw new IllegalStateException("injected fault");
            }
          }
          return real.score(features, rows);
        }, new ServingMetrics(ServingMetrics.noRegistry(), "churn", "1")),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
  }

  private static ScoreResult request(Vertx vertx, ScoreBatch batch) {
    return TestServer.await(vertx.eventBus().<ScoreResult>request(ScoringBus.address("churn", "1"), batch)).body();
  }
}
