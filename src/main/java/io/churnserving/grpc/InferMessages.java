package io.churnserving.grpc;

import com.google.protobuf.ByteString;
import io.churnserving.grpc.proto.InferParameter;
import io.churnserving.grpc.proto.InferTensorContents;
import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.grpc.proto.ModelInferRequest.InferInputTensor;
import io.churnserving.grpc.proto.ModelInferResponse;
import io.churnserving.grpc.proto.ModelInferResponse.InferOutputTensor;
import io.churnserving.model.Prediction;
import io.churnserving.oip.InferenceRequest;
import io.churnserving.oip.OpenInference;
import io.churnserving.oip.TensorBytes;
import io.churnserving.serving.ServedVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ModelInfer's messages and the protocol's transport-neutral request ({@link InferenceRequest}), both ways: typed
 * {@code contents} or {@code raw_input_contents} in, the outputs asked for out, raw when the request was raw. What a
 * request means (which form, which rows, which outputs) is decided by {@link OpenInference}, as for REST.
 */
final class InferMessages {
  private InferMessages() {
  }

  /**
   * The request as the protocol reads it, each input's elements as the JSON values REST would have parsed.
   *
   * @throws io.churnserving.errors.ClientProblem 400 naming the input whose contents do not fit its head
   */
  static InferenceRequest read(ModelInferRequest q) {
    boolean raw = q.getRawInputContentsCount() > 0;
    if (raw && q.getRawInputContentsCount() != q.getInputsCount()) {
      throw InferenceRequest.bad(q.getInputsCount() + " inputs but " + q.getRawInputContentsCount()
          + " raw_input_contents; send one per input, in input order");
    }
    if (q.getInputsCount() == 0) {
      throw InferenceRequest.bad("no inputs: send one input per field of the model's schema, or its input tensor");
    }
    List<InferenceRequest.Tensor> inputs = new ArrayList<>(q.getInputsCount());
    for (int i = 0; i < q.getInputsCount(); i++) {
      InferInputTensor input = q.getInputs(i);
      long[] shape = shape(input);
      List<Object> data;
      if (raw) {
        if (input.hasContents()) {
          throw InferenceRequest.bad("input '" + input.getName() + "' has both contents and raw_input_contents");
        }
        data = TensorBytes.decode(input.getName(), input.getDatatype(), elements(input.getName(), shape),
            q.getRawInputContents(i).asReadOnlyByteBuffer());
      } else {
        data = typed(input);
      }
      inputs.add(InferenceRequest.Tensor.of(input.getName(), input.getDatatype(), shape, data));
    }
    List<String> outputs = null;
    if (q.getOutputsCount() > 0) {
      outputs = new ArrayList<>(q.getOutputsCount());
      for (var o : q.getOutputsList()) {
        outputs.add(o.getName());
      }
    }
    return new InferenceRequest(q.getId().isEmpty() ? null : q.getId(), parameters(q.getParametersMap()), inputs,
        outputs);
  }

  /**
   * The rows of a request in the raw-tensor form, its one input sent as {@code raw_input_contents}: straight from
   * the bytes into the model's input, no element boxed on the way; null for any other request.
   */
  static float[] rawFeatures(OpenInference oip, ServedVersion served, ModelInferRequest q) {
    if (q.getInputsCount() != 1 || q.getRawInputContentsCount() != 1
        || !q.getInputs(0).getName().equals(served.model().metadata().input().tensor())) {
      return null;
    }
    InferInputTensor input = q.getInputs(0);
    long[] shape = shape(input);
    int rows = oip.encodedRows(served, input.getName(), input.getDatatype(), shape);
    int width = (int) shape[1];
    return TensorBytes.fp32(input.getName(), (long) rows * width, width,
        q.getRawInputContents(0).asReadOnlyByteBuffer());
  }

  /**
   * The answer: the outputs asked for, in the order the model's metadata lists them, as typed {@code contents} or,
   * when the request sent raw inputs, as {@code raw_output_contents}.
   *
   * @param outputs the model's output matrix when the request was in the raw-tensor form, else null
   */
  static ModelInferResponse answer(ModelInferRequest q, ServedVersion served, InferenceRequest request,
                                   List<Prediction> predictions, float[] outputs) {
    Set<String> wanted = OpenInference.outputs(served, request);
    boolean raw = q.getRawInputContentsCount() > 0;
    int n = predictions.size();
    var answer = ModelInferResponse.newBuilder().setModelName(served.name()).setModelVersion(served.version())
        .setId(q.getId());
    if (wanted.contains(OpenInference.PROBABILITIES)) {
      float[] p = OpenInference.probabilities(served, predictions, outputs);
      var tensor = head(OpenInference.PROBABILITIES, "FP32", n, p.length / Math.max(n, 1));
      if (raw) {
        answer.addRawOutputContents(ByteString.copyFrom(TensorBytes.of(p)));
      } else {
        var contents = InferTensorContents.newBuilder();
        for (float v : p) {
          contents.addFp32Contents(v);
        }
        tensor.setContents(contents);
      }
      answer.addOutputs(tensor);
    }
    for (Map.Entry<String, String> output : OpenInference.domainOutputs().entrySet()) {
      if (wanted.contains(output.getKey())) {
        var tensor = head(output.getKey(), output.getValue(), n);
        if (raw) {
          answer.addRawOutputContents(ByteString.copyFrom(rawColumn(output.getKey(), predictions)));
        } else {
          tensor.setContents(column(output.getKey(), predictions));
        }
        answer.addOutputs(tensor);
      }
    }
    return answer.build();
  }

  private static InferOutputTensor.Builder head(String name, String datatype, long... shape) {
    var tensor = InferOutputTensor.newBuilder().setName(name).setDatatype(datatype);
    for (long d : shape) {
      tensor.addShape(d);
    }
    return tensor;
  }

  private static InferTensorContents column(String output, List<Prediction> predictions) {
    var c = InferTensorContents.newBuilder();
    for (Prediction p : predictions) {
      switch (output) {
        case "churn_probability" -> c.addFp32Contents(p.churnProbability());
        case "churn_prediction" -> c.addBoolContents(p.churnPrediction());
        case "risk_tier" -> c.addBytesContents(ByteString.copyFrom(p.riskTier(), StandardCharsets.UTF_8));
        default -> throw new IllegalStateException("no output " + output);
      }
    }
    return c.build();
  }

  private static byte[] rawColumn(String output, List<Prediction> predictions) {
    int n = predictions.size();
    return switch (output) {
      case "churn_probability" -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = predictions.get(i).churnProbability();
        }
        yield TensorBytes.of(v);
      }
      case "churn_prediction" -> {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = predictions.get(i).churnPrediction();
        }
        yield TensorBytes.of(v);
      }
      case "risk_tier" -> TensorBytes.of(predictions.stream().map(Prediction::riskTier).toList());
      default -> throw new IllegalStateException("no output " + output);
    };
  }

  private static long[] shape(InferInputTensor input) {
    long[] shape = new long[input.getShapeCount()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = input.getShape(d);
      if (shape[d] < 0) {
        throw InferenceRequest.bad("input '" + input.getName() + "': shape must hold whole numbers of at least 0");
      }
    }
    if (shape.length == 0) {
      throw InferenceRequest.bad("input '" + input.getName() + "' has no shape");
    }
    return shape;
  }

  private static long elements(String name, long[] shape) {
    return new InferenceRequest.Tensor(name, "", shape, List.of()).elements();
  }

  /** Typed contents, in the field the datatype names. */
  private static List<Object> typed(InferInputTensor input) {
    InferTensorContents c = input.getContents();
    return switch (input.getDatatype()) {
      case "INT64" -> new ArrayList<>(c.getInt64ContentsList());
      case "INT32", "INT16", "INT8" -> c.getIntContentsList().stream().map(v -> (Object) v.longValue()).toList();
      // A float widened as it is: 79.5f stays 79.5; 79.99f becomes 79.98999786..., rounded to cents by the schema.
      case "FP32" -> c.getFp32ContentsList().stream().map(v -> (Object) v.doubleValue()).toList();
      case "FP64" -> new ArrayList<>(c.getFp64ContentsList());
      case "BOOL" -> new ArrayList<>(c.getBoolContentsList());
      case "BYTES" -> c.getBytesContentsList().stream().map(b -> (Object) b.toString(StandardCharsets.UTF_8))
          .toList();
      default -> throw InferenceRequest.bad("input '" + input.getName() + "': datatype '" + input.getDatatype()
          + "' is not one this server reads; it takes INT64, INT32, FP64, FP32, BOOL and BYTES");
    };
  }

  /** The request's parameters as the JSON values REST would have parsed. */
  private static Map<String, Object> parameters(Map<String, InferParameter> given) {
    if (given.isEmpty()) {
      return null;
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    given.forEach((name, p) -> parameters.put(name, switch (p.getParameterChoiceCase()) {
      case BOOL_PARAM -> p.getBoolParam();
      case INT64_PARAM -> p.getInt64Param();
      case STRING_PARAM -> p.getStringParam();
      case DOUBLE_PARAM -> p.getDoubleParam();
      case UINT64_PARAM -> p.getUint64Param();
      default -> null; // PARAMETER_CHOICE_NOT_SET
    }));
    return parameters;
  }
}
