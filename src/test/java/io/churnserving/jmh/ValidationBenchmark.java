package io.churnserving.jmh;

import io.churnserving.support.Models;
import io.churnserving.validation.Instance;
import io.churnserving.validation.JsonBodyParser;
import io.churnserving.validation.RequestValidator;
import java.util.List;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * From request bytes to a validated instance, as every transport does it; and, for comparison, the same schema
 * checked by vertx-json-schema on an already parsed object (the reason the schema is compiled).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ValidationBenchmark {
  private static final String BODY = "{\"tenure_months\":24,\"monthly_charges\":79.5,\"contract_type\":\"month-to-month\","
      + "\"num_products\":2,\"internet_service\":\"Fiber\"}";

  private RequestValidator validator;
  private Buffer batch;
  private Buffer body;
  private Validator schemaValidator;
  private JsonObject parsed;

  @Setup
  public void setUp() {
    validator = Models.validator(1000);
    body = Buffer.buffer(BODY);
    parsed = new JsonObject(BODY);
    // A 1,000-instance batch of distinct customers, as the load harness sends.
    StringBuilder items = new StringBuilder("{\"instances\":[");
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    String[] contracts = {"month-to-month", "one_year", "two_year"};
    String[] internet = {"DSL", "Fiber", "None"};
    for (int i = 0; i < 1000; i++) {
      items.append(i == 0 ? "" : ",").append("{\"tenure_months\":").append(1 + random.nextInt(120))
          .append(",\"monthly_charges\":").append(18 + random.nextInt(9000) / 100.0)
          .append(",\"contract_type\":\"").append(contracts[random.nextInt(3)])
          .append("\",\"num_products\":").append(1 + random.nextInt(8))
          .append(",\"internet_service\":\"").append(internet[random.nextInt(3)]).append("\"}");
    }
    batch = Buffer.buffer(items.append("]}").toString());
    schemaValidator = Validator.create(JsonSchema.of(validator.instanceSchema()), new JsonSchemaOptions()
        .setDraft(Draft.DRAFT202012).setBaseUri("app://").setOutputFormat(OutputFormat.Basic));
  }

  @Benchmark
  public Instance parseAndValidate() {
    return validator.instance(body);
  }

  /** The request path for a 1,000-instance batch: read straight from the tokens. */
  @Benchmark
  public List<Instance> batchOf1000() {
    return validator.batch(batch);
  }

  /** The same batch through the full path (maps, then validation), which bodies with faults take. */
  @Benchmark
  public List<Instance> batchOf1000FullPath() {
    return validator.validateBatch(JsonBodyParser.parse(batch), RequestValidator.BODY).orElseThrow();
  }

  @Benchmark
  public OutputUnit vertxJsonSchemaOnParsedObject() {
    return schemaValidator.validate(parsed);
  }
}
