package io.churnserving.jmh;

import io.churnserving.validation.CustomerInstance;
import io.churnserving.validation.RequestValidator;
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
  private Buffer body;
  private Validator schemaValidator;
  private JsonObject parsed;

  @Setup
  public void setUp() {
    validator = RequestValidator.create(1000);
    body = Buffer.buffer(BODY);
    parsed = new JsonObject(BODY);
    schemaValidator = Validator.create(JsonSchema.of(validator.instanceSchema()), new JsonSchemaOptions()
        .setDraft(Draft.DRAFT202012).setBaseUri("app://").setOutputFormat(OutputFormat.Basic));
  }

  @Benchmark
  public CustomerInstance parseAndValidate() {
    return validator.instance(body);
  }

  @Benchmark
  public OutputUnit vertxJsonSchemaOnParsedObject() {
    return schemaValidator.validate(parsed);
  }
}
