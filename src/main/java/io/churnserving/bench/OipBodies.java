package io.churnserving.bench;

import com.google.protobuf.ByteString;
import io.churnserving.grpc.proto.InferTensorContents;
import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.grpc.proto.ModelInferRequest.InferInputTensor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Request bodies of the Open Inference Protocol (KServe v2), made before the run like every other pool: as the JSON
 * of {@code POST /v2/models/M/infer}, or as encoded {@code ModelInferRequest} messages for gRPC, which the drivers
 * send as they are (the client shares the cores with the server, so nothing is encoded during the run).
 *
 * <p>Named columns: each instance drawn from the schema becomes one input per field it has, shape {@code [1]}, its
 * datatype taken from the JSON value: INT64 for whole numbers, FP64 for the others, BYTES for text, BOOL. Raw: the
 * model's own input, FP32 {@code [N, F]}, of random values in [0, 1) with four decimals; a linear model scores any
 * values, and this path measures the wire and the model call, not the encoding of fields.
 */
final class OipBodies {
  /** Where the bodies go: JSON over HTTP, or protobuf over gRPC naming the model and version. */
  record Form(boolean grpc, String model, String version) {
    static Form of(BenchOptions options) {
      return new Form(options.grpc(), options.model(), options.modelVersion());
    }

    ModelInferRequest.Builder request() {
      ModelInferRequest.Builder q = ModelInferRequest.newBuilder().setModelName(model);
      return version == null ? q : q.setModelVersion(version);
    }
  }

  private OipBodies() {
  }

  /** One body per instance (JSON text from {@link RequestBodies#distinct}), one row each. */
  static RequestBodies named(String[] instances, Form form) {
    Buffer[] bodies = new Buffer[instances.length];
    for (int i = 0; i < instances.length; i++) {
      JsonObject instance = new JsonObject(instances[i]);
      bodies[i] = form.grpc() ? Buffer.buffer(namedMessage(instance, form).toByteArray())
          : Buffer.buffer(namedJson(instance).encode());
    }
    return RequestBodies.of(bodies);
  }

  /**
   * Bodies of {@code rows} rows of the raw tensor, until there are {@code maxSize} of them or they hold
   * {@code maxBytes}, but at least {@link RequestBodies#MIN_BATCH_POOL}.
   */
  static RequestBodies raw(RawInput input, int rows, long seed, Form form, int maxSize, long maxBytes) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Buffer> bodies = new ArrayList<>();
    long bytes = 0;
    float[] values = new float[rows * input.columns()];
    while (bodies.size() < maxSize && (bytes < maxBytes || bodies.size() < RequestBodies.MIN_BATCH_POOL)) {
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextInt(10_000) / 10_000f;
      }
      Buffer body = form.grpc() ? Buffer.buffer(rawMessage(input, rows, values, form).toByteArray())
          : Buffer.buffer(rawJson(input, rows, values));
      bytes += body.length();
      bodies.add(body);
    }
    return RequestBodies.of(bodies.toArray(Buffer[]::new));
  }

  static JsonObject namedJson(JsonObject instance) {
    JsonArray inputs = new JsonArray();
    for (Map.Entry<String, Object> field : instance) {
      inputs.add(new JsonObject().put("name", field.getKey()).put("datatype", datatype(field.getValue()))
          .put("shape", new JsonArray().add(1)).put("data", new JsonArray().add(field.getValue())));
    }
    return new JsonObject().put("inputs", inputs);
  }

  static ModelInferRequest namedMessage(JsonObject instance, Form form) {
    ModelInferRequest.Builder q = form.request();
    for (Map.Entry<String, Object> field : instance) {
      Object v = field.getValue();
      InferTensorContents.Builder contents = InferTensorContents.newBuilder();
      switch (datatype(v)) {
        case "INT64" -> contents.addInt64Contents(((Number) v).longValue());
        case "FP64" -> contents.addFp64Contents(((Number) v).doubleValue());
        case "BOOL" -> contents.addBoolContents((Boolean) v);
        default -> contents.addBytesContents(ByteString.copyFrom(String.valueOf(v), StandardCharsets.UTF_8));
      }
      q.addInputs(InferInputTensor.newBuilder().setName(field.getKey()).setDatatype(datatype(v)).addShape(1)
          .setContents(contents));
    }
    return q.build();
  }

  /** The protocol's datatype of one JSON value. */
  static String datatype(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return "INT64";
    }
    if (value instanceof Number) {
      return "FP64";
    }
    return value instanceof Boolean ? "BOOL" : "BYTES";
  }

  static String rawJson(RawInput input, int rows, float[] values) {
    StringBuilder sb = new StringBuilder(values.length * 7 + 128).append("{\"inputs\":[{\"name\":")
        .append(Json.encode(input.name()))
        .append(",\"datatype\":\"FP32\",\"shape\":[").append(rows).append(',').append(input.columns())
        .append("],\"data\":[");
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : ",").append(values[i]);
    }
    return sb.append("]}]}").toString();
  }

  /** Raw contents are little-endian, in input order (the protocol's rule); one input here. */
  static ModelInferRequest rawMessage(RawInput input, int rows, float[] values, Form form) {
    ByteBuffer le = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    le.asFloatBuffer().put(values);
    return form.request().addInputs(InferInputTensor.newBuilder().setName(input.name()).setDatatype("FP32")
        .addShape(rows).addShape(input.columns())).addRawInputContents(ByteString.copyFrom(le.array())).build();
  }
}
