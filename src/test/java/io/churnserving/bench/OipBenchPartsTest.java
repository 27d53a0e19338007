package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parts of the harness's Open Inference Protocol modes that need no server: their options, the bodies they
 * send (read back with the generated messages, as the server reads them), the id a stream message gets, how answers
 * are counted, and the time split made from two scrapes. {@link OipLoadTest} drives them against the server.
 */
class OipBenchPartsTest {
  private static BenchOptions parse(String... args) {
    return BenchOptions.parse(args, Map.of());
  }

  @Test
  void grpcDefaultsToNamedRowsOnTheHttpPortAndAStreamTo16Streams() {
    BenchOptions unary = parse("--transport", "grpc");
    assertThat(unary.url()).hasToString("http://127.0.0.1:8080");
    assertThat(unary.body()).isEqualTo(BenchOptions.Body.NAMED);
    assertThat(unary.connections()).isEqualTo(64);
    assertThat(unary.model()).isEqualTo("churn");
    assertThat(unary.modelVersion()).isNull();
    assertThat(unary.metricsUrl()).hasToString("http://127.0.0.1:8080/metrics");
    assertThat(unary.unit()).isEqualTo("request");

    BenchOptions stream = parse("--transport", "grpc-stream", "--in-flight", "32");
    assertThat(stream.connections()).isEqualTo(16);
    assertThat(stream.inFlight()).isEqualTo(32);
    assertThat(stream.unit()).isEqualTo("message");

    BenchOptions raw = parse("--transport", "grpc", "--batch-size", "1000", "--model-version", "2");
    assertThat(raw.body()).isEqualTo(BenchOptions.Body.RAW);
    assertThat(raw.batchSize()).isEqualTo(1000);
    assertThat(raw.target()).isEqualTo("gRPC ModelInfer http://127.0.0.1:8080 model churn version 2");
  }

  @Test
  void restNamedAndRawBodiesGoToTheModelsInferRoute() {
    assertThat(parse("--body", "named").url()).hasToString("http://127.0.0.1:8080/v2/models/churn/infer");
    BenchOptions raw = parse("--body", "raw", "--model-version", "2", "--metrics-url", "none");
    assertThat(raw.url()).hasToString("http://127.0.0.1:8080/v2/models/churn/versions/2/infer");
    assertThat(raw.batchSize()).isEqualTo(1000);
    assertThat(raw.metricsUrl()).isNull();
  }

  @Test
  void wrongOipOptionsAreExplained() {
    assertThatThrownBy(() -> parse("--transport", "grpc", "--body", "single")).hasMessageContaining("named or raw");
    assertThatThrownBy(() -> parse("--transport", "grpc", "--body", "batch")).hasMessageContaining("named or raw");
    assertThatThrownBy(() -> parse("--transport", "websocket", "--body", "named")).hasMessageContaining("--burst");
    assertThatThrownBy(() -> parse("--body", "named", "--batch-size", "10")).hasMessageContaining("batch or raw");
    assertThatThrownBy(() -> parse("--transport", "grpc", "--in-flight", "4"))
        .hasMessageContaining("websocket or grpc-stream");
    assertThatThrownBy(() -> parse("--transport", "grpc-stream", "--burst", "2"))
        .hasMessageContaining("--transport websocket");
    assertThatThrownBy(() -> parse("--transport", "grpc-stream", "--in-flight", "257")).hasMessageContaining("256");
    assertThatThrownBy(() -> parse("--transport", "grpc", "--url", "grpc://127.0.0.1:8080"))
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> parse("--model", "../etc")).hasMessageContaining("--model '../etc'");
    assertThatThrownBy(() -> parse("--metrics-url", "http://10.0.0.1/metrics")).hasMessageContaining("non-loopback");
    assertThatThrownBy(() -> parse("--transport", "pigeon")).hasMessageContaining("grpc-stream");
  }

  @Test
  void namedBodiesHoldOneTypedColumnPerFieldOfOneRow() throws Exception {
    RequestValidator schema = SchemaFile.read(SchemaFile.DEFAULT);
    String[] instances = RequestBodies.distinct(schema, new java.util.SplittableRandom(1), 50);
    RequestBodies grpc = OipBodies.named(instances, new OipBodies.Form(true, "churn", "2"));
    RequestBodies rest = OipBodies.named(instances, new OipBodies.Form(false, "churn", null));
    assertThat(grpc.size()).isEqualTo(50);

    for (int i = 0; i < 50; i++) {
      JsonObject instance = new JsonObject(instances[i]);
      ModelInferRequest q = ModelInferRequest.parseFrom(grpc.get(i).getBytes());
      assertThat(q.getModelName()).isEqualTo("churn");
      assertThat(q.getModelVersion()).isEqualTo("2");
      assertThat(q.getId()).isEmpty();
      assertThat(q.getInputsList()).extracting(ModelInferRequest.InferInputTensor::getName)
          .containsExactlyElementsOf(instance.fieldNames());
      for (ModelInferRequest.InferInputTensor input : q.getInputsList()) {
        assertThat(input.getShapeList()).containsExactly(1L);
        Object value = instance.getValue(input.getName());
        Object sent = switch (input.getDatatype()) {
          case "INT64" -> input.getContents().getInt64Contents(0);
          case "FP64" -> input.getContents().getFp64Contents(0);
          case "BYTES" -> input.getContents().getBytesContents(0).toString(StandardCharsets.UTF_8);
          default -> throw new AssertionError(input.getDatatype());
        };
        assertThat(sent.toString()).isEqualTo(value instanceof Integer n ? Long.toString(n) : value.toString());
      }
      JsonObject json = rest.get(i).toJsonObject();
      assertThat(json.getJsonArray("inputs")).hasSize(instance.size());
      assertThat(json.getJsonArray("inputs").getJsonObject(0).getJsonArray("data").getValue(0))
          .isEqualTo(instance.getValue(json.getJsonArray("inputs").getJsonObject(0).getString("name")));
    }
  }

  @Test
  void rawBodiesAreLittleEndianFp32OfNRowsByFColumns() throws Exception {
    RawInput input = new RawInput("input", 9);
    RequestBodies grpc = OipBodies.raw(input, 100, 7, new OipBodies.Form(true, "churn", null), 20, Long.MAX_VALUE);
    RequestBodies rest = OipBodies.raw(input, 100, 7, new OipBodies.Form(false, "churn", null), 20, Long.MAX_VALUE);
    assertThat(grpc.size()).isEqualTo(20);

    ModelInferRequest q = ModelInferRequest.parseFrom(grpc.get(3).getBytes());
    assertThat(q.getInputs(0).getName()).isEqualTo("input");
    assertThat(q.getInputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(q.getInputs(0).getShapeList()).containsExactly(100L, 9L);
    assertThat(q.getRawInputContentsCount()).isEqualTo(1);
    ByteBuffer bytes = q.getRawInputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bytes.remaining()).isEqualTo(100 * 9 * 4);
    JsonObject json = rest.get(3).toJsonObject().getJsonArray("inputs").getJsonObject(0);
    assertThat(json.getJsonArray("shape").getList()).containsExactly(100, 9);
    // The same seed gives the same values over both protocols.
    for (int i = 0; i < 900; i++) {
      float value = bytes.getFloat();
      assertThat(value).isBetween(0f, 1f);
      assertThat(json.getJsonArray("data").getNumber(i).floatValue()).isEqualTo(value);
    }
    // The pool stops at its byte budget, but never below its minimum.
    assertThat(OipBodies.raw(input, 100, 7, new OipBodies.Form(true, "churn", null), 1000, 1).size())
        .isEqualTo(RequestBodies.MIN_BATCH_POOL);
  }

  @Test
  void aStreamMessageGetsItsIdByAnAppendedField() throws Exception {
    RequestValidator schema = SchemaFile.read(SchemaFile.DEFAULT);
    String[] instances = RequestBodies.distinct(schema, new java.util.SplittableRandom(1), 1);
    Buffer body = OipBodies.named(instances, new OipBodies.Form(true, "churn", null)).get(0);

    for (long id : new long[] {0, 7, 1234567890123L, Long.MAX_VALUE}) {
      ModelInferRequest q = ModelInferRequest.parseFrom(GrpcStreamDriver.withId(body, id).getBytes());
      assertThat(q.getId()).isEqualTo(Long.toString(id));
      assertThat(q.toBuilder().clearId().build()).isEqualTo(ModelInferRequest.parseFrom(body.getBytes()));
    }
  }

  @Test
  void answersAreCountedByTheHttpStatusOfTheirGrpcStatus() {
    assertThat(GrpcCalls.httpStatus(GrpcStatus.OK)).isEqualTo(200);
    assertThat(GrpcCalls.httpStatus(GrpcStatus.INVALID_ARGUMENT)).isEqualTo(400);
    assertThat(GrpcCalls.httpStatus(GrpcStatus.UNAUTHENTICATED)).isEqualTo(401);
    assertThat(GrpcCalls.httpStatus(GrpcStatus.RESOURCE_EXHAUSTED)).isEqualTo(429);
    assertThat(GrpcCalls.httpStatus(GrpcStatus.UNAVAILABLE)).isEqualTo(503);
    assertThat(GrpcCalls.httpStatus(GrpcStatus.DEADLINE_EXCEEDED)).isEqualTo(504);
    assertThat(GrpcCalls.httpStatus(GrpcStatus.DATA_LOSS)).isEqualTo(500);
    assertThat(GrpcCalls.streamStatus("")).isEqualTo(200);
    assertThat(GrpcCalls.streamStatus("NOT_FOUND: no model 'x'")).isEqualTo(404);
    assertThat(GrpcCalls.streamStatus("something broke")).isEqualTo(GrpcCalls.STREAM_ERROR);
    assertThat(GrpcCalls.streamStatus("Oops: not a status")).isEqualTo(GrpcCalls.STREAM_ERROR);
  }

  @Test
  void theSplitIsTheDifferenceOfTwoScrapesOfTheModelsMeters() {
    String before = """
        # HELP queue_wait_seconds Time a batch waited between send and scoring
        queue_wait_seconds_count{model="churn",version="1"} 10
        queue_wait_seconds_sum{model="churn",version="1"} 0.010
        inference_duration_seconds_count{model="churn",version="1"} 10
        inference_duration_seconds_sum{model="churn",version="1"} 0.002
        batch_size_count{model="churn",version="1"} 10
        batch_size_sum{model="churn",version="1"} 10
        inference_duration_seconds_count{model="other",version="1"} 99
        """;
    String after = """
        queue_wait_seconds_count{model="churn",version="1"} 60
        queue_wait_seconds_sum{model="churn",version="1"} 0.060
        queue_wait_seconds_count{model="churn",version="2"} 50
        queue_wait_seconds_sum{model="churn",version="2"} 0.050
        inference_duration_seconds_count{model="churn",version="1"} 60
        inference_duration_seconds_sum{model="churn",version="1"} 0.012
        inference_duration_seconds_count{model="churn",version="2"} 50
        inference_duration_seconds_sum{model="churn",version="2"} 0.010
        inference_duration_seconds_bucket{model="churn",version="2",le="0.001"} 50
        batch_size_count{model="churn",version="1"} 60
        batch_size_sum{model="churn",version="1"} 310
        batch_size_count{model="churn",version="2"} 50
        batch_size_sum{model="churn",version="2"} 250
        inference_duration_seconds_count{model="other",version="1"} 5000
        """;
    ServerSplit split = ServerSplit.between(ServerSplit.parse(before, "churn"), ServerSplit.parse(after, "churn"), 2.5);

    assertThat(split.known()).isTrue();
    assertThat(split.modelCalls()).isEqualTo(100);
    assertThat(split.queueMs()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(split.computeMs()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(split.rowsPerCall()).isCloseTo(5.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(split.restMs()).isCloseTo(1.3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(TextReport.split(split)).startsWith("mean 2.500 ms = server queue 1.000 + compute 0.200 + other 1.300");

    assertThat(ServerSplit.between(ServerSplit.parse(before, "churn"), ServerSplit.parse(before, "churn"), 1)
        .unavailable()).contains("no model call");
    assertThat(ServerSplit.between(ServerSplit.parse(before, "nosuch"), ServerSplit.parse(after, "nosuch"), 1)
        .unavailable()).contains("of model nosuch");
  }
}
