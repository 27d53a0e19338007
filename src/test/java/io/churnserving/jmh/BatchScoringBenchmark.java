package io.churnserving.jmh;

import io.churnserving.support.Models;
import io.churnserving.model.ChurnModel;
import io.churnserving.model.FeatureRow;
import io.churnserving.model.ModelLoader;
import io.churnserving.model.ModelScorer;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One model call over a batch of rows (feature encoding, ONNX Runtime through DJL, probabilities), by batch size.
 * Divide by the batch size for the cost per row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
public class BatchScoringBenchmark {
  @Param({"1", "8", "32", "128", "512"})
  int batchSize;

  private ChurnModel model;
  private ModelScorer scorer;
  private List<FeatureRow> rows;

  @Setup
  public void setUp() {
    model = Models.load();
    scorer = model.newScorer();
    Random random = new Random(1);
    String[] contracts = {"month-to-month", "one_year", "two_year"};
    String[] services = {"DSL", "Fiber", "None"};
    // The rows the server scores: instances made by its validator from request bodies.
    RequestValidator validator = Models.validator();
    rows = new ArrayList<>();
    for (int i = 0; i < batchSize; i++) {
      rows.add(validator.instance(Buffer.buffer(new JsonObject().put("tenure_months", 1 + random.nextInt(120))
          .put("monthly_charges", 18 + random.nextDouble() * 130).put("contract_type", contracts[random.nextInt(3)])
          .put("num_products", 1 + random.nextInt(8)).put("internet_service", services[random.nextInt(3)]).encode())));
    }
  }

  @TearDown
  public void tearDown() {
    scorer.close();
    model.close();
  }

  @Benchmark
  public float[] scoreBatch() throws Exception {
    // Encoding is the edge's now, but both are the cost of a batch of rows, as before.
    return scorer.outputs(model.edge().encoder().encode(rows), rows.size());
  }
}
