package io.churnserving.oip;

import static io.churnserving.oip.OpenInferenceRestTest.error;
import static io.churnserving.oip.OpenInferenceRestTest.output;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Triton's binary tensor data extension and schedule policy parameters on {@code POST /v2/models/{m}/infer}, against
 * the real server: bodies framed as tritonclient frames them (a JSON head of {@code Inference-Header-Content-Length}
 * bytes, then each binary input's bytes), answers read as tritonclient reads them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenInferenceBinaryTest {
  static final String INFER = "/v2/models/churn/infer";
  TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start("MAX_BATCH_BODY_BYTES", "20000");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  // --- building bodies as tritonclient does -------------------------------------------------------------------

  /** A body: the JSON head, then the binary data given, in order. */
  record Framed(Buffer body, int headLength) {
  }

  static Framed frame(JsonObject head, byte[]... binary) {
    Buffer body = head.toBuffer();
    int headLength = body.length();
    for (byte[] b : binary) {
      body.appendBytes(b);
    }
    return new Framed(body, headLength);
  }

  static JsonObject binaryInput(String name, String datatype, long[] shape, byte[] data) {
    JsonArray dims = new JsonArray();
    for (long d : shape) {
      dims.add(d);
    }
    return new JsonObject().put("name", name).put("datatype", datatype).put("shape", dims)
        .put("parameters", new JsonObject().put("binary_data_size", data.length));
  }

  static ByteBuffer little(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  static byte[] int64(long... values) {
    ByteBuffer b = little(values.length * 8);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  static byte[] int32(int... values) {
    ByteBuffer b = little(values.length * 4);
    for (int v : values) {
      b.putInt(v);
    }
    return b.array();
  }

  static byte[] fp32(float... values) {
    ByteBuffer b = little(values.length * 4);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  static byte[] strings(String... values) {
    List<byte[]> encoded = new ArrayList<>();
    int size = 0;
    for (String v : values) {
      byte[] e = v.getBytes(StandardCharsets.UTF_8);
      encoded.add(e);
      size += 4 + e.length;
    }
    ByteBuffer b = little(size);
    encoded.forEach(e -> b.putInt(e.length).put(e));
    return b.array();
  }

  /** {@link OpenInferenceRestTest#twoRows()}'s inputs, each as binary data, and their bytes in order. */
  static Map.Entry<JsonArray, List<byte[]>> twoRowsBinary() {
    List<byte[]> data = List.of(int64(24, 3), fp32(79.5f, 105.2f), strings("month-to-month", "two_year"),
        int32(2, 1), strings("Fiber", "DSL"));
    JsonArray inputs = new JsonArray()
        .add(binaryInput("tenure_months", "INT64", new long[] {2}, data.get(0)))
        .add(binaryInput("monthly_charges", "FP32", new long[] {2}, data.get(1)))
        .add(binaryInput("contract_type", "BYTES", new long[] {2}, data.get(2)))
        .add(binaryInput("num_products", "INT32", new long[] {2, 1}, data.get(3)))
        .add(binaryInput("internet_service", "BYTES", new long[] {2}, data.get(4)));
    return Map.entry(inputs, data);
  }

  HttpResponse<Buffer> send(Framed framed, String contentType) {
    HttpRequest<Buffer> request = server.request(HttpMethod.POST, INFER)
        .putHeader("Inference-Header-Content-Length", Integer.toString(framed.headLength()));
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return TestServer.await(request.sendBuffer(framed.body()));
  }

  HttpResponse<Buffer> sendOctets(Framed framed) {
    return send(framed, "application/octet-stream");
  }

  // --- reading answers as tritonclient does ---------------------------------------------------------------------

  /** An answer's JSON head and the binary data of each output that has some, by name. */
  record Answer(JsonObject head, Map<String, ByteBuffer> binary) {
    float[] floats(String name) {
      ByteBuffer b = binary.get(name).order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[b.remaining() / 4];
      b.asFloatBuffer().get(out);
      return out;
    }

    List<String> strings(String name) {
      ByteBuffer b = binary.get(name).order(ByteOrder.LITTLE_ENDIAN);
      List<String> out = new ArrayList<>();
      while (b.hasRemaining()) {
        byte[] e = new byte[b.getInt()];
        b.get(e);
        out.add(new String(e, StandardCharsets.UTF_8));
      }
      return out;
    }
  }

  static Answer binaryAnswer(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/octet-stream");
    int headLength = Integer.parseInt(response.getHeader("Inference-Header-Content-Length"));
    byte[] body = response.body().getBytes();
    JsonObject head = new JsonObject(Buffer.buffer(java.util.Arrays.copyOf(body, headLength)));
    Map<String, ByteBuffer> binary = new HashMap<>();
    int at = headLength;
    for (Object o : head.getJsonArray("outputs")) {
      JsonObject output = (JsonObject) o;
      JsonObject parameters = output.getJsonObject("parameters");
      if (parameters != null && parameters.containsKey("binary_data_size")) {
        assertThat(output.containsKey("data")).as(output.encode()).isFalse();
        int size = parameters.getInteger("binary_data_size");
        binary.put(output.getString("name"), ByteBuffer.wrap(body, at, size).slice());
        at += size;
      }
    }
    assertThat(at).as("every byte after the head belongs to an output").isEqualTo(body.length);
    return new Answer(head, binary);
  }

  static float[] floats(JsonArray data) {
    float[] out = new float[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.getNumber(i).floatValue();
    }
    return out;
  }

  JsonObject jsonAnswer(JsonObject request) {
    HttpResponse<Buffer> response = server.postJson(INFER, request.encode());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  // --- the tests ------------------------------------------------------------------------------------------------

  @Test
  void serverMetadataListsTheExtension() {
    assertThat(server.get("/v2").bodyAsJsonObject().getJsonArray("extensions")).contains("binary_tensor_data");
  }

  @Test
  void namedColumnsInBinaryAreScoredAsTheirJsonAndEveryOutputComesBackBinary() {
    var inputs = twoRowsBinary();
    // What tritonclient sends when no output is named: binary_data_output for all of them.
    JsonObject head = new JsonObject().put("id", "bin-1").put("inputs", inputs.getKey())
        .put("parameters", new JsonObject().put("binary_data_output", true));
    Answer answer = binaryAnswer(sendOctets(frame(head, inputs.getValue().toArray(byte[][]::new))));
    assertThat(answer.head().fieldNames()).containsExactlyInAnyOrder("model_name", "model_version", "id", "outputs");
    assertThat(answer.head().getString("id")).isEqualTo("bin-1");
    assertThat(answer.binary().keySet()).containsExactlyInAnyOrder("probabilities", "churn_probability",
        "churn_prediction", "risk_tier");

    JsonObject json = OpenInferenceRestTest.twoRows();
    json.remove("outputs");
    JsonObject expected = jsonAnswer(json);
    assertThat(answer.floats("probabilities")).containsExactly(floats(output(expected, "probabilities")
        .getJsonArray("data")));
    assertThat(output(answer.head(), "probabilities").getJsonArray("shape")).isEqualTo(new JsonArray().add(2).add(2));
    assertThat(answer.floats("churn_probability")).containsExactly(floats(output(expected, "churn_probability")
        .getJsonArray("data")));
    ByteBuffer predictions = answer.binary().get("churn_prediction");
    assertThat(predictions.remaining()).isEqualTo(2);
    JsonArray expectedPredictions = output(expected, "churn_prediction").getJsonArray("data");
    for (int i = 0; i < 2; i++) {
      assertThat(predictions.get(i)).isEqualTo((byte) (expectedPredictions.getBoolean(i) ? 1 : 0));
    }
    assertThat(answer.strings("risk_tier")).containsExactlyElementsOf(
        output(expected, "risk_tier").getJsonArray("data").stream().map(String::valueOf).toList());
  }

  @Test
  void theRawTensorInBinaryGoesToTheModelAndItsProbabilitiesComeBackBinary() throws Exception {
    JsonObject example = new JsonObject(TestServer.EXAMPLE);
    JsonObject other = new JsonObject().put("tenure_months", 3).put("monthly_charges", 105.2)
        .put("contract_type", "two_year").put("num_products", 1).put("internet_service", "DSL");
    JsonArray rows = OpenInferenceRestTest.encoded(example, other);
    float[] flat = new float[18];
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 9; c++) {
        flat[r * 9 + c] = rows.getJsonArray(r).getNumber(c).floatValue();
      }
    }
    byte[] data = fp32(flat);
    JsonObject head = new JsonObject().put("id", "raw-bin")
        .put("inputs", new JsonArray().add(binaryInput("input", "FP32", new long[] {2, 9}, data)))
        .put("outputs", new JsonArray().add(new JsonObject().put("name", "probabilities")
            .put("parameters", new JsonObject().put("binary_data", true))));
    Answer answer = binaryAnswer(sendOctets(frame(head, data)));
    assertThat(answer.head().getJsonArray("outputs")).hasSize(1);
    JsonObject expected = jsonAnswer(OpenInferenceRestTest.raw(rows));
    assertThat(answer.floats("probabilities")).containsExactly(floats(output(expected, "probabilities")
        .getJsonArray("data")));

    // A value that is not a finite number is named by its row and column, as in JSON.
    flat[4] = Float.NaN;
    byte[] nan = fp32(flat);
    head.put("inputs", new JsonArray().add(binaryInput("input", "FP32", new long[] {2, 9}, nan)));
    assertThat(error(sendOctets(frame(head, nan)), 400)).contains("input 'input', row 0, column 4");
  }

  @Test
  void outputsAreBinaryOrJsonEachAsAskedEvenForAJsonRequest() {
    // No binary input and no header: the answer still carries binary outputs when asked for.
    JsonObject request = OpenInferenceRestTest.twoRows().put("outputs", new JsonArray()
        .add(new JsonObject().put("name", "churn_probability").put("parameters",
            new JsonObject().put("binary_data", true)))
        .add(new JsonObject().put("name", "risk_tier")));
    Answer answer = binaryAnswer(server.postJson(INFER, request.encode()));
    assertThat(answer.binary().keySet()).containsExactly("churn_probability");
    assertThat(output(answer.head(), "risk_tier").getJsonArray("data")).hasSize(2);

    // binary_data_output for all of them, one output taking it back with binary_data false.
    request.put("parameters", new JsonObject().put("binary_data_output", true)).put("outputs", new JsonArray()
        .add(new JsonObject().put("name", "probabilities"))
        .add(new JsonObject().put("name", "risk_tier").put("parameters", new JsonObject().put("binary_data", false))));
    Answer mixed = binaryAnswer(server.postJson(INFER, request.encode()));
    assertThat(mixed.binary().keySet()).containsExactly("probabilities");
    assertThat(output(mixed.head(), "risk_tier").getJsonArray("data")).hasSize(2);

    // Nothing asked as binary: a plain JSON answer, without the header.
    var plain = server.postJson(INFER, OpenInferenceRestTest.twoRows().encode());
    assertThat(plain.getHeader("Content-Type")).startsWith("application/json");
    assertThat(plain.getHeader("Inference-Header-Content-Length")).isNull();
  }

  @Test
  void binaryAndJsonInputsMixWhateverTheContentType() {
    JsonObject reference = output(jsonAnswer(OpenInferenceRestTest.twoRows()), "churn_probability");
    JsonObject request = OpenInferenceRestTest.twoRows();
    byte[] tenure = int64(24, 3);
    byte[] contract = strings("month-to-month", "two_year");
    request.getJsonArray("inputs").set(0, binaryInput("tenure_months", "INT64", new long[] {2}, tenure));
    request.getJsonArray("inputs").set(2, binaryInput("contract_type", "BYTES", new long[] {2}, contract));
    Framed framed = frame(request, tenure, contract);
    // application/json as the extension's example, octet-stream, and none at all, as tritonclient sends.
    for (String type : new String[] {"application/json", "application/octet-stream", null}) {
      var response = send(framed, type);
      assertThat(response.statusCode()).as(type + ": " + response.bodyAsString()).isEqualTo(200);
      assertThat(output(response.bodyAsJsonObject(), "churn_probability")).as(String.valueOf(type))
          .isEqualTo(reference);
    }
    var text = send(framed, "text/plain");
    error(text, 415);
  }

  @Test
  void framingThatDoesNotAddUpIs400NamingTheInput() {
    var inputs = twoRowsBinary();
    JsonObject head = new JsonObject().put("inputs", inputs.getKey());
    byte[][] data = inputs.getValue().toArray(byte[][]::new);

    // Bytes after the last input that no binary_data_size accounts for.
    byte[][] extra = java.util.Arrays.copyOf(data, data.length + 1);
    extra[data.length] = new byte[] {1, 2, 3};
    assertThat(error(sendOctets(frame(head, extra)), 400)).contains("3 bytes").contains("no input accounts for");

    // A size claiming more than the body holds (gigabytes): refused, never allocated.
    JsonObject huge = head.copy();
    huge.getJsonArray("inputs").getJsonObject(4).getJsonObject("parameters").put("binary_data_size", 4_000_000_000L);
    assertThat(error(sendOctets(frame(huge, data)), 400)).contains("input 'internet_service'")
        .contains("binary_data_size is 4000000000");
    huge.getJsonArray("inputs").getJsonObject(0).getJsonObject("parameters").put("binary_data_size", Long.MAX_VALUE);
    assertThat(error(sendOctets(frame(huge, data)), 400)).contains("input 'tenure_months'");

    // Sizes that add up to the body but split it wrongly: one input's bytes short, the next's long.
    JsonObject shifted = head.copy();
    shifted.getJsonArray("inputs").getJsonObject(0).getJsonObject("parameters").put("binary_data_size", 8);
    shifted.getJsonArray("inputs").getJsonObject(1).getJsonObject("parameters").put("binary_data_size", 16);
    assertThat(error(sendOctets(frame(shifted, data)), 400)).contains("input 'tenure_months'").contains("shape");

    // Elements that do not match the shape.
    JsonObject shape = head.copy();
    shape.getJsonArray("inputs").getJsonObject(0).put("shape", new JsonArray().add(3));
    assertThat(error(sendOctets(frame(shape, data)), 400)).contains("input 'tenure_months'").contains("3");

    // A BYTES element whose length prefix runs past its input's bytes.
    byte[] broken = strings("month-to-month", "two_year");
    ByteBuffer.wrap(broken).order(ByteOrder.LITTLE_ENDIAN).putInt(18, 1000);
    byte[][] brokenData = data.clone();
    brokenData[2] = broken;
    assertThat(error(sendOctets(frame(head, brokenData)), 400)).contains("input 'contract_type'");

    // A datatype this server does not take.
    JsonObject uint8 = head.copy();
    uint8.getJsonArray("inputs").getJsonObject(0).put("datatype", "UINT8").getJsonObject("parameters")
        .put("binary_data_size", 2);
    byte[][] uint8Data = data.clone();
    uint8Data[0] = new byte[] {24, 3};
    assertThat(error(sendOctets(frame(uint8, uint8Data)), 400)).contains("input 'tenure_months'").contains("UINT8");

    // binary_data_size that is not a whole number of bytes.
    for (Object size : new Object[] {-1, "16", 1.5}) {
      JsonObject bad = head.copy();
      bad.getJsonArray("inputs").getJsonObject(0).getJsonObject("parameters").put("binary_data_size", size);
      assertThat(error(sendOctets(frame(bad, data)), 400)).as(String.valueOf(size))
          .contains("input 'tenure_months'").contains("binary_data_size");
    }

    // Both data and binary_data_size.
    JsonObject both = head.copy();
    both.getJsonArray("inputs").getJsonObject(0).put("data", new JsonArray().add(24).add(3));
    assertThat(error(sendOctets(frame(both, data)), 400)).contains("input 'tenure_months'").contains("both");
  }

  @Test
  void aHeaderThatDoesNotFrameTheBodyIs400() {
    var inputs = twoRowsBinary();
    Framed framed = frame(new JsonObject().put("inputs", inputs.getKey()), inputs.getValue().toArray(byte[][]::new));
    for (String header : new String[] {Integer.toString(framed.body().length() + 1), "99999999999", "0", "-4",
        "twelve"}) {
      var response = TestServer.await(server.request(HttpMethod.POST, INFER)
          .putHeader("Content-Type", "application/octet-stream").putHeader("Inference-Header-Content-Length", header)
          .sendBuffer(framed.body()));
      assertThat(error(response, 400)).as(header).contains("Inference-Header-Content-Length");
    }
    // A head length that cuts the JSON short.
    var cut = TestServer.await(server.request(HttpMethod.POST, INFER)
        .putHeader("Content-Type", "application/octet-stream")
        .putHeader("Inference-Header-Content-Length", Integer.toString(framed.headLength() - 5))
        .sendBuffer(framed.body()));
    assertThat(error(cut, 400)).contains("JSON");
    // binary_data_size without the header: nothing says where the binary data starts.
    var unframed = TestServer.await(server.request(HttpMethod.POST, INFER)
        .putHeader("Content-Type", "application/json").sendBuffer(framed.body()));
    assertThat(error(unframed, 400)).contains("JSON");
    JsonObject onlyHead = new JsonObject().put("inputs", inputs.getKey());
    assertThat(error(server.postJson(INFER, onlyHead.encode()), 400)).contains("input 'tenure_months'")
        .contains("Inference-Header-Content-Length");
  }

  @Test
  void binaryBodiesKeepTheBodyLimitAndBadFlagsAre400() {
    byte[] big = new byte[25_000];
    JsonObject head = new JsonObject().put("inputs", new JsonArray()
        .add(binaryInput("input", "FP32", new long[] {big.length / 36, 9}, big)));
    error(sendOctets(frame(head, big)), 413);

    JsonObject flag = OpenInferenceRestTest.twoRows().put("parameters", new JsonObject()
        .put("binary_data_output", "yes"));
    assertThat(error(server.postJson(INFER, flag.encode()), 400)).contains("binary_data_output");
    JsonObject outputFlag = OpenInferenceRestTest.twoRows().put("outputs", new JsonArray()
        .add(new JsonObject().put("name", "risk_tier").put("parameters", new JsonObject().put("binary_data", 1))));
    assertThat(error(server.postJson(INFER, outputFlag.encode()), 400)).contains("output 'risk_tier'")
        .contains("binary_data");
  }

  @Test
  void priorityIsAWholeNumberOfAtLeastZero() {
    for (Object priority : new Object[] {0, 1, 7}) {
      JsonObject request = OpenInferenceRestTest.twoRows().put("parameters", new JsonObject().put("priority", priority));
      assertThat(server.postJson(INFER, request.encode()).statusCode()).as(String.valueOf(priority)).isEqualTo(200);
    }
    for (Object priority : new Object[] {-1, "high", 1.5, true}) {
      JsonObject request = OpenInferenceRestTest.twoRows().put("parameters", new JsonObject().put("priority", priority));
      assertThat(error(server.postJson(INFER, request.encode()), 400)).as(String.valueOf(priority))
          .contains("parameters.priority");
    }
    for (Object timeout : new Object[] {-5, "100", 2.5}) {
      JsonObject request = OpenInferenceRestTest.twoRows().put("parameters", new JsonObject().put("timeout", timeout));
      assertThat(error(server.postJson(INFER, request.encode()), 400)).as(String.valueOf(timeout))
          .contains("parameters.timeout");
    }
    // 0 is Triton's "no timeout of its own": the server's deadline applies.
    JsonObject zero = OpenInferenceRestTest.twoRows().put("parameters", new JsonObject().put("timeout", 0));
    assertThat(server.postJson(INFER, zero.encode()).statusCode()).isEqualTo(200);
  }

  @Test
  void theTimeoutParameterShortensTheDeadlineAndIsCappedToTheServers() {
    Faults faults = new Faults();
    try (TestServer faulty = TestServer.startWithFaults(faults, "HTTP_INSTANCES", "1", "SCORING_WORKERS", "1",
        "MAX_BATCH_SIZE", "1", "SCORING_TIMEOUT_MS", "1500")) {
      faults.stall();
      Future<HttpResponse<Buffer>> first = single(faulty, null);
      Faults.eventually(() -> faults.callsWaiting() == 1);
      // 200 ms in microseconds, waiting behind the stalled first: past its own deadline, a 504.
      error(TestServer.await(single(faulty, 200_000L)), 504);
      // An hour asked for is capped to the server's 1.5 s: a 504 as well, not an answer an hour later.
      error(TestServer.await(single(faulty, 3_600_000_000L)), 504);
      faults.release();
      TestServer.await(first);
    }
  }

  private static Future<HttpResponse<Buffer>> single(TestServer server, Long timeoutMicros) {
    JsonObject request = OpenInferenceRestTest.singleRow();
    if (timeoutMicros != null) {
      request.put("parameters", new JsonObject().put("timeout", timeoutMicros));
    }
    return server.request(HttpMethod.POST, INFER).putHeader("Content-Type", "application/json")
        .sendBuffer(request.toBuffer());
  }
}
