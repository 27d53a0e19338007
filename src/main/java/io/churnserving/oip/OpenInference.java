package io.churnserving.oip;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.churnserving.errors.ClientProblem;
import io.churnserving.model.ModelMetadata;
import io.churnserving.model.Prediction;
import io.churnserving.serving.ServedModel;
import io.churnserving.serving.ServedVersion;
import io.churnserving.validation.FieldError;
import io.churnserving.validation.Instance;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Open Inference Protocol's documents and its named-columns inference, for any transport: server metadata, a
 * version's model metadata (its inputs from the version's JSON Schema, its outputs from the answer the server
 * makes), and an inference request turned into the version's validated instances and its predictions into output
 * tensors. Immutable and stateless beyond the server's name, version and extensions.
 */
public final class OpenInference {
  /** The platform string of an ONNX model, as the protocol's model metadata names it. */
  public static final String PLATFORM = "onnx_onnxv1";
  /** The model's own output, one probability column per label, in the model's label order. */
  public static final String PROBABILITIES = "probabilities";
  /**
   * The domain outputs: the fields of every answer ({@link Prediction}'s JSON names) that hold one value per row,
   * each with its tensor type.
   */
  private static final Map<String, String> DOMAIN = orderedOf("churn_probability", "FP32", "churn_prediction", "BOOL",
      "risk_tier", "BYTES");
  /** Tensor types each JSON Schema type of an input field takes. */
  private static final Map<String, Set<String>> ACCEPTED = Map.of(
      "integer", Set.of("INT64", "INT32"),
      "number", Set.of("FP64", "FP32", "INT64", "INT32"),
      "string", Set.of("BYTES"));
  /** The tensor type metadata advertises for each JSON Schema type. */
  private static final Map<String, String> ADVERTISED = Map.of("integer", "INT64", "number", "FP64",
      "string", "BYTES");

  /** Immutable once built and thread-safe: shared configuration, not mutable state. */
  private static final JsonFactory JSON = new JsonFactory();

  private final String name;
  private final String version;
  private final List<String> extensions;

  /**
   * @param name       the server's name
   * @param version    its version
   * @param extensions the protocol extensions it really serves
   */
  public OpenInference(String name, String version, List<String> extensions) {
    this.name = name;
    this.version = version;
    this.extensions = List.copyOf(extensions);
  }

  /** {@code {"name", "version", "extensions"}}. */
  public JsonObject serverMetadata() {
    return new JsonObject().put("name", name).put("version", version).put("extensions", new JsonArray(
        new ArrayList<>(extensions)));
  }

  /**
   * The metadata of a version of a model: its served versions, its inputs (one per field of the version's schema)
   * and its outputs.
   */
  public JsonObject modelMetadata(ServedModel model, ServedVersion served) {
    JsonArray versions = new JsonArray();
    model.versions().keySet().forEach(v -> versions.add(Long.toString(v)));
    JsonArray inputs = new JsonArray();
    for (Map.Entry<String, String> field : served.validator().fieldTypes().entrySet()) {
      String type = field.getValue();
      inputs.add(tensor(field.getKey(), ADVERTISED.getOrDefault(type, "BYTES"), -1));
    }
    ModelMetadata.Input raw = served.model().metadata().input();
    inputs.add(tensor(raw.tensor(), "FP32", -1, raw.columns().size()));
    JsonArray outputs = new JsonArray();
    outputs.add(tensor(PROBABILITIES, "FP32", -1, labels(served).size()));
    DOMAIN.forEach((output, datatype) -> outputs.add(tensor(output, datatype, -1)));
    return new JsonObject().put("name", model.name()).put("versions", versions).put("platform", PLATFORM)
        .put("inputs", inputs).put("outputs", outputs);
  }

  /**
   * Whether a request is in the raw-tensor form: one input, named as the model's input tensor. Its rows are the
   * model's own input, already encoded; any other request is in the named-columns form.
   */
  public boolean encoded(ServedVersion served, InferenceRequest request) {
    return request.inputs().size() == 1
        && request.inputs().get(0).name().equals(served.model().metadata().input().tensor());
  }

  /**
   * The matrix of a raw-tensor request: FP32, shape {@code [N, F]} with {@code F} the model's input columns.
   *
   * @throws ClientProblem 400, naming the element at fault
   */
  public float[] features(ServedVersion served, InferenceRequest request) {
    outputs(served, request);
    InferenceRequest.Tensor input = request.inputs().get(0);
    int width = served.model().metadata().input().columns().size();
    encodedRows(served, input.name(), input.datatype(), input.shape());
    List<Object> data = input.data();
    float[] features = new float[data.size()];
    for (int i = 0; i < features.length; i++) {
      Object value = data.get(i);
      float f = value instanceof Number number ? number.floatValue() : Float.NaN;
      if (!Float.isFinite(f)) {
        throw InferenceRequest.bad("input '" + input.name() + "', row " + i / width + ", column " + i % width
            + ": not a finite FP32 number");
      }
      features[i] = f;
    }
    return features;
  }

  /**
   * Checks the head of a raw-tensor input: FP32, shape {@code [N, F]} with {@code F} the model's input columns and
   * {@code N} from 1 to the rows a request may hold.
   *
   * @return N
   * @throws ClientProblem 400, naming the input
   */
  public int encodedRows(ServedVersion served, String name, String datatype, long[] shape) {
    int width = served.model().metadata().input().columns().size();
    if (!datatype.equals("FP32")) {
      throw InferenceRequest.bad("input '" + name + "': datatype " + datatype + "; the model's tensor is FP32");
    }
    if (shape.length != 2 || shape[1] != width || shape[0] < 1) {
      throw InferenceRequest.bad("input '" + name + "': shape " + java.util.Arrays.toString(shape)
          + "; the model's tensor is [N, " + width + "] with N at least 1");
    }
    if (shape[0] > served.validator().maxInstances()) {
      throw InferenceRequest.bad("input '" + name + "' has " + shape[0] + " rows; at most "
          + served.validator().maxInstances() + " per request");
    }
    return (int) shape[0];
  }

  /**
   * The rows of a named-columns request, validated by the version's own rules (those of {@code /predict}).
   *
   * @throws ClientProblem 400, naming the input (and the row) at fault
   */
  public List<Instance> instances(ServedVersion served, InferenceRequest request) {
    outputs(served, request); // an output that does not exist is refused before anything is scored
    RequestValidator validator = served.validator();
    Map<String, String> types = validator.fieldTypes();
    int rows = -1;
    Map<String, InferenceRequest.Tensor> byName = new HashMap<>();
    for (InferenceRequest.Tensor input : request.inputs()) {
      String type = types.get(input.name());
      if (type == null) {
        throw InferenceRequest.bad("unknown input '" + input.name() + "'; this model takes "
            + String.join(", ", types.keySet()));
      }
      if (byName.put(input.name(), input) != null) {
        throw InferenceRequest.bad("input '" + input.name() + "' is given twice");
      }
      if (!ACCEPTED.getOrDefault(type, Set.of()).contains(input.datatype())) {
        throw InferenceRequest.bad("input '" + input.name() + "': datatype " + input.datatype() + " for a field of "
            + "type " + type + "; it takes " + String.join(" or ", ACCEPTED.getOrDefault(type, Set.of())));
      }
      long[] shape = input.shape();
      if (shape.length > 2 || shape.length == 2 && shape[1] != 1 || shape[0] < 1) {
        throw InferenceRequest.bad("input '" + input.name() + "': shape " + java.util.Arrays.toString(shape)
            + "; a column is [N] or [N, 1] with N at least 1");
      }
      if (rows >= 0 && shape[0] != rows) {
        throw InferenceRequest.bad("input '" + input.name() + "' has " + shape[0] + " rows, the inputs before it "
            + rows);
      }
      rows = (int) Math.min(Integer.MAX_VALUE, shape[0]);
    }
    List<String> missing = new ArrayList<>(0);
    for (String required : validator.requiredFields()) {
      if (!byName.containsKey(required)) {
        missing.add("input '" + required + "' is missing");
      }
    }
    if (!missing.isEmpty()) {
      throw InferenceRequest.bad(String.join("; ", missing));
    }
    if (rows > validator.maxInstances()) {
      throw InferenceRequest.bad("the inputs have " + rows + " rows; at most " + validator.maxInstances()
          + " per request");
    }
    List<Instance> instances = new ArrayList<>(rows);
    List<FieldError> errors = new ArrayList<>(0);
    List<String> messages = new ArrayList<>(0);
    for (int row = 0; row < rows && messages.size() < RequestValidator.MAX_ERRORS; row++) {
      Map<String, Object> instance = new HashMap<>(byName.size() * 2);
      for (InferenceRequest.Tensor input : byName.values()) {
        instance.put(input.name(), input.data().get(row));
      }
      Instance valid = validator.instance(instance, List.of(), errors);
      if (valid != null) {
        instances.add(valid);
      }
      for (FieldError e : errors) {
        Object field = e.loc().isEmpty() ? "?" : e.loc().get(e.loc().size() - 1);
        messages.add("input '" + field + "', row " + row + ": " + e.msg());
      }
      errors.clear();
    }
    if (!messages.isEmpty()) {
      throw InferenceRequest.bad(String.join("; ", messages));
    }
    return instances;
  }

  /**
   * The answer: {@code {"model_name", "model_version", "id", "outputs"}}, the outputs asked for (every one when the
   * request names none), in the order the metadata lists them. Written straight to bytes: building it as a tree and
   * encoding that cost a tenth of a single-row request's time.
   */
  public Buffer answer(ServedVersion served, InferenceRequest request, List<Prediction> predictions) {
    return answer(served, request, predictions, null, BinaryOutputs.NONE).body();
  }

  /**
   * The answer to a raw-tensor request: {@code probabilities} are the model's outputs as they came.
   *
   * @param outputs row-major, one column per label
   */
  public Buffer answer(ServedVersion served, InferenceRequest request, List<Prediction> predictions,
                       float[] outputs) {
    return answer(served, request, predictions, outputs, BinaryOutputs.NONE).body();
  }

  /**
   * An answer whose body may end in binary tensor data: the JSON head, then the data of each output the request
   * asked for as binary, in the order of the head's outputs, each with its {@code binary_data_size} in its
   * {@code parameters} (Triton's binary tensor data extension).
   *
   * @param body       the whole body
   * @param headLength the bytes of its JSON head, or -1 when no output is binary (the body is all JSON)
   */
  public record Answer(Buffer body, int headLength) {
  }

  /**
   * The answer, with the outputs {@code binary} names sent as binary tensor data after the JSON head.
   *
   * @param outputs the model's outputs as they came (a raw-tensor request), or null
   */
  public Answer answer(ServedVersion served, InferenceRequest request, List<Prediction> predictions,
                       float[] outputs, BinaryOutputs binary) {
    Set<String> wanted = outputs(served, request);
    int n = predictions.size();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 96 * n);
    ByteArrayOutputStream tail = null;
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("model_name", served.name());
      json.writeStringField("model_version", served.version());
      if (request.id() != null) {
        json.writeStringField("id", request.id());
      }
      json.writeArrayFieldStart("outputs");
      if (wanted.contains(PROBABILITIES)) {
        startOutput(json, PROBABILITIES, "FP32", n, labels(served).size());
        float[] probabilities = probabilities(served, predictions, outputs);
        if (binary.binary(PROBABILITIES)) {
          tail = binaryData(json, tail, TensorBytes.of(probabilities));
        } else {
          json.writeArrayFieldStart("data");
          for (float o : probabilities) {
            json.writeNumber(o);
          }
          json.writeEndArray();
        }
        json.writeEndObject();
      }
      for (Map.Entry<String, String> output : DOMAIN.entrySet()) {
        if (wanted.contains(output.getKey())) {
          startOutput(json, output.getKey(), output.getValue(), n);
          if (binary.binary(output.getKey())) {
            tail = binaryData(json, tail, domainBytes(output.getKey(), predictions));
          } else {
            json.writeArrayFieldStart("data");
            for (Prediction p : predictions) {
              switch (output.getKey()) {
                case "churn_probability" -> json.writeNumber(p.churnProbability());
                case "churn_prediction" -> json.writeBoolean(p.churnPrediction());
                case "risk_tier" -> json.writeString(p.riskTier());
                default -> throw new IllegalStateException("no output " + output.getKey());
              }
            }
            json.writeEndArray();
          }
          json.writeEndObject();
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    if (tail == null) {
      return new Answer(Buffer.buffer(bytes.toByteArray()), -1);
    }
    int headLength = bytes.size();
    bytes.writeBytes(tail.toByteArray());
    return new Answer(Buffer.buffer(bytes.toByteArray()), headLength);
  }

  /** An output's {@code parameters.binary_data_size}, its data appended to the tail (made on the first). */
  private static ByteArrayOutputStream binaryData(JsonGenerator json, ByteArrayOutputStream tail, byte[] data)
      throws IOException {
    json.writeObjectFieldStart("parameters");
    json.writeNumberField("binary_data_size", data.length);
    json.writeEndObject();
    ByteArrayOutputStream out = tail == null ? new ByteArrayOutputStream(data.length) : tail;
    out.writeBytes(data);
    return out;
  }

  /** A domain output's elements in the binary layout of its tensor type (Triton's binary data, gRPC's raw contents). */
  public static byte[] domainBytes(String output, List<Prediction> predictions) {
    int n = predictions.size();
    return switch (output) {
      case "churn_probability" -> {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
          values[i] = predictions.get(i).churnProbability();
        }
        yield TensorBytes.of(values);
      }
      case "churn_prediction" -> {
        boolean[] values = new boolean[n];
        for (int i = 0; i < n; i++) {
          values[i] = predictions.get(i).churnPrediction();
        }
        yield TensorBytes.of(values);
      }
      case "risk_tier" -> TensorBytes.of(predictions.stream().map(Prediction::riskTier).toList());
      default -> throw new IllegalStateException("no output " + output);
    };
  }

  /** An output tensor's head: its name, datatype and shape; its data or its parameters follow. */
  private static void startOutput(JsonGenerator json, String name, String datatype, long... shape)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("name", name);
    json.writeStringField("datatype", datatype);
    json.writeArrayFieldStart("shape");
    for (long d : shape) {
      json.writeNumber(d);
    }
    json.writeEndArray();
  }

  /**
   * The model's {@code probabilities}, row-major with one column per label: the model's outputs as they came when
   * it was given them (a raw-tensor request), else made from each prediction.
   *
   * @param outputs the model's output matrix, or null
   */
  public static float[] probabilities(ServedVersion served, List<Prediction> predictions, float[] outputs) {
    if (outputs != null) {
      return outputs;
    }
    List<String> labels = labels(served);
    int positive = labels.indexOf(served.model().metadata().output().positiveLabel());
    float[] p = new float[predictions.size() * labels.size()];
    for (int row = 0; row < predictions.size(); row++) {
      float churn = predictions.get(row).churnProbability();
      for (int c = 0; c < labels.size(); c++) {
        // Two labels, softmax: the other column is what the positive one leaves.
        p[row * labels.size() + c] = c == positive ? churn : 1f - churn;
      }
    }
    return p;
  }

  /** The domain outputs, name to tensor type, in the order the metadata lists them (after {@code probabilities}). */
  public static Map<String, String> domainOutputs() {
    return DOMAIN;
  }

  /**
   * The outputs a request asks for (every one when it names none), checked against those the model has.
   *
   * @throws ClientProblem 400, naming an output the model does not have
   */
  public static Set<String> outputs(ServedVersion served, InferenceRequest request) {
    if (request.outputs() == null || request.outputs().isEmpty()) {
      Set<String> all = new java.util.HashSet<>(DOMAIN.keySet());
      all.add(PROBABILITIES);
      return all;
    }
    Set<String> wanted = new java.util.HashSet<>();
    for (String output : request.outputs()) {
      if (!output.equals(PROBABILITIES) && !DOMAIN.containsKey(output)) {
        throw InferenceRequest.bad("unknown output '" + output + "'; this model has " + PROBABILITIES + ", "
            + String.join(", ", DOMAIN.keySet()));
      }
      wanted.add(output);
    }
    return wanted;
  }

  private static List<String> labels(ServedVersion served) {
    ModelMetadata.Output output = served.model().metadata().output();
    return output.labels();
  }

  private static JsonObject tensor(String name, String datatype, long... shape) {
    JsonArray dims = new JsonArray(new ArrayList<>(shape.length));
    for (long d : shape) {
      dims.add(d);
    }
    return new JsonObject().put("name", name).put("datatype", datatype).put("shape", dims);
  }

  private static Map<String, String> orderedOf(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
