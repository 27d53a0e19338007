package io.churnserving.scoring;

import io.churnserving.support.Models;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.churnserving.model.ChurnModel;
import io.churnserving.model.ModelLoader;
import io.churnserving.model.ModelScorer;
import io.churnserving.support.LogCapture;
import io.churnserving.support.Rows;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Under concurrency, requests share model calls, and every answer still reaches exactly its own caller. */
class ConcurrentPredictionsTest {
  static final int REQUESTS = 3000;
  static final String[] CONTRACTS = {"month-to-month", "one_year", "two_year"};
  static final String[] SERVICES = {"DSL", "Fiber", "None"};

  @Test
  void thousandsOfConcurrentDistinctRequestsEachGetTheirOwnSingleRowScore() throws Exception {
    Random random = new Random(7);
    List<JsonObject> instances = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      instances.add(new JsonObject().put("tenure_months", 1 + random.nextInt(120))
          .put("monthly_charges", Math.round((18 + random.nextDouble() * 130) * 100) / 100.0)
          .put("contract_type", CONTRACTS[random.nextInt(3)]).put("num_products", 1 + random.nextInt(8))
          .put("internet_service", SERVICES[random.nextInt(3)]));
    }
    float[] expected = new float[REQUESTS];
    try (ChurnModel model = Models.load(); ModelScorer scorer = model.newScorer()) {
      for (int i = 0; i < REQUESTS; i++) {
        float[] outputs = scorer.outputs(model.edge().encoder().encode(List.of(Rows.of(instances.get(i)))), 1);
        expected[i] = outputs[model.edge().positiveColumn()];
      }
    }

    Logger batching = (Logger) LoggerFactory.getLogger(BatchingScorer.class);
    batching.setLevel(Level.DEBUG);
    try (TestServer server = TestServer.start(); LogCapture logs = new LogCapture()) {
      WebClient client = WebClient.create(server.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(server.port()), new PoolOptions().setHttp1MaxSize(256));
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      for (JsonObject instance : instances) {
        sent.add(client.post("/predict").putHeader("X-API-Key", TestServer.KEY)
            .putHeader("Content-Type", "application/json").sendBuffer(instance.toBuffer()));
      }
      List<HttpResponse<Buffer>> answers = TestServer.await(Future.all(sent)).list();
      for (int i = 0; i < REQUESTS; i++) {
        HttpResponse<Buffer> answer = answers.get(i);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.bodyAsJsonObject().getDouble("churn_probability")).as("request %d", i)
            .isEqualTo(expected[i], offset(1e-6));
      }
      assertThat(new HashSet<>(answers.stream().map(a -> a.bodyAsJsonObject().getDouble("churn_probability"))
          .toList())).hasSizeGreaterThan(REQUESTS / 2);
      List<Integer> sizes = logs.json().stream().filter(l -> "batch.dispatched".equals(l.getString("message")))
          .map(l -> l.getInteger("batch_size")).toList();
      assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
      assertThat(sizes).as("requests arriving together share a model call").anyMatch(s -> s > 1);
      client.close();
    } finally {
      batching.setLevel(null);
    }
  }
}
