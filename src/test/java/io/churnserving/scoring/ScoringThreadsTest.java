package io.churnserving.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The scoring workers run on a pool of their own, one thread per worker, named for what they do. */
class ScoringThreadsTest {
  @Test
  void modelCallsRunOnlyOnTheScoringPoolsOwnThreads() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    // The wrapper only records where the real model call runs.
    try (TestServer server = TestServer.startWithFaults(call -> (rows, predictedAt) -> {
      threads.add(Thread.currentThread().getName());
      return call.score(rows, predictedAt);
    }, "SCORING_WORKERS", "2")) {
      for (int i = 0; i < 20; i++) {
        assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
      }
    }
    assertThat(threads).isNotEmpty().allMatch(name -> name.matches("churn-scoring-churn-[12]-[0-9]+-[01]"));
  }
}
