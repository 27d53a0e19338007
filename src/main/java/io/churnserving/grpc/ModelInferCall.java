package io.churnserving.grpc;

import io.churnserving.grpc.proto.InferTensorContents;
import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.grpc.proto.ModelInferRequest.InferInputTensor;
import io.churnserving.grpc.proto.ModelInferResponse;
import io.churnserving.grpc.proto.ModelInferResponse.InferOutputTensor;
import io.churnserving.model.Prediction;
import io.churnserving.serving.PredictionService;
import io.churnserving.validation.FieldError;
import io.churnserving.validation.Instance;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * ModelInfer in the named-columns form: one input per field of the version's schema, each a column of N rows
 * ({@code [N]} or {@code [N, 1]}) with typed {@code contents}. Each row becomes one instance, checked by the
 * version's own validator as {@code /predict} checks it, and the rows are scored together. Answers
 * {@code churn_probability} FP32, {@code churn_prediction} BOOL and {@code risk_tier} BYTES, each {@code [N]}, or
 * those the request's {@code outputs} name.
 */
final class ModelInferCall {
  static final String TRANSPORT = "grpc";
  static final List<String> OUTPUTS = List.of("churn_probability", "churn_prediction", "risk_tier");

  private ModelInferCall() {
  }

  /**
   * @param timeoutMs the call's {@code grpc-timeout}, or {@link Long#MAX_VALUE}; capped to the server's
   * @throws GrpcFailure INVALID_ARGUMENT naming each input and row at fault
   */
  static Future<ModelInferResponse> infer(PredictionService service, ModelInferRequest q, long timeoutMs) {
    long started = System.nanoTime();
    PredictionService.Target target = service.target(q.getModelName(),
        q.getModelVersion().isEmpty() ? null : q.getModelVersion());
    if (q.getRawInputContentsCount() > 0) {
      throw invalid("raw_input_contents is not served over gRPC yet: send each input's typed contents");
    }
    Set<String> outputs = outputs(q);
    List<Instance> instances = instances(target.validator(), q);
    long deadline = target.deadline(timeoutMs);
    return service.predictAll(target, TRANSPORT, q.getId(), instances, deadline, started, p -> { })
        .map(predictions -> answer(q, target, outputs, predictions));
  }

  private static Set<String> outputs(ModelInferRequest q) {
    Set<String> asked = new LinkedHashSet<>();
    q.getOutputsList().forEach(o -> asked.add(o.getName()));
    if (asked.isEmpty()) {
      return new LinkedHashSet<>(OUTPUTS);
    }
    List<String> unknown = asked.stream().filter(n -> !OUTPUTS.contains(n)).toList();
    if (!unknown.isEmpty()) {
      throw invalid("unknown outputs " + unknown + "; this model answers " + OUTPUTS);
    }
    return asked;
  }

  /** The rows as instances, or INVALID_ARGUMENT with every input and row at fault. */
  private static List<Instance> instances(RequestValidator validator, ModelInferRequest q) {
    if (q.getInputsCount() == 0) {
      throw invalid("no inputs: send one input per field of the model's schema");
    }
    int rows = -1;
    List<String> problems = new ArrayList<>();
    List<List<Object>> columns = new ArrayList<>();
    for (InferInputTensor input : q.getInputsList()) {
      List<Long> shape = input.getShapeList();
      if (shape.isEmpty() || shape.size() > 2 || (shape.size() == 2 && shape.get(1) != 1) || shape.get(0) < 1) {
        problems.add("input '" + input.getName() + "': shape must be [N] or [N, 1], got " + shape);
        columns.add(null);
        continue;
      }
      int n = (int) Math.min(shape.get(0), Integer.MAX_VALUE);
      if (rows < 0) {
        rows = n;
      } else if (n != rows) {
        problems.add("input '" + input.getName() + "': " + n + " rows where the first input has " + rows);
      }
      List<Object> values = values(input);
      if (values == null) {
        problems.add("input '" + input.getName() + "': datatype '" + input.getDatatype()
            + "' is not one of INT64, INT32, FP32, FP64, BOOL, BYTES");
      } else if (values.size() != n) {
        problems.add("input '" + input.getName() + "': shape " + shape + " holds " + n + " elements but its "
            + "contents hold " + values.size());
      }
      columns.add(values);
    }
    if (rows > validator.maxInstances()) {
      problems.add(rows + " rows is more than the " + validator.maxInstances() + " a request may hold");
    }
    if (!problems.isEmpty()) {
      throw invalid(String.join("; ", problems));
    }
    List<Instance> instances = new ArrayList<>(rows);
    List<FieldError> errors = new ArrayList<>();
    for (int row = 0; row < rows && errors.size() < RequestValidator.MAX_ERRORS; row++) {
      Map<String, Object> instance = new LinkedHashMap<>();
      for (int i = 0; i < q.getInputsCount(); i++) {
        instance.put(q.getInputs(i).getName(), columns.get(i).get(row));
      }
      instances.add(validator.instance(instance, List.of("row", row), errors));
    }
    if (!errors.isEmpty()) {
      throw invalid(errors.stream().map(ModelInferCall::describe).collect(Collectors.joining("; ")));
    }
    return instances;
  }

  /** {@code input 'tenure_months', row 3: Input should be greater than or equal to 1}. */
  private static String describe(FieldError e) {
    List<Object> loc = e.loc();
    String field = loc.size() > 2 ? String.valueOf(loc.get(2)) : "?";
    return "input '" + field + "', row " + loc.get(1) + ": " + e.msg();
  }

  /** The input's elements as the JSON values {@code /predict} would have parsed; null for a datatype not taken. */
  private static List<Object> values(InferInputTensor input) {
    InferTensorContents c = input.getContents();
    return switch (input.getDatatype()) {
      case "INT64" -> new ArrayList<>(c.getInt64ContentsList());
      case "INT32", "INT16", "INT8" -> c.getIntContentsList().stream().map(v -> (Object) v.longValue()).toList();
      // A float widened as it is: 79.5f stays 79.5; 79.99f becomes 79.98999786..., rounded to cents by the schema.
      case "FP32" -> c.getFp32ContentsList().stream().map(v -> (Object) v.doubleValue()).toList();
      case "FP64" -> new ArrayList<>(c.getFp64ContentsList());
      case "BOOL" -> new ArrayList<>(c.getBoolContentsList());
      case "BYTES" -> c.getBytesContentsList().stream()
          .map(b -> (Object) b.toString(StandardCharsets.UTF_8)).toList();
      default -> null;
    };
  }

  private static ModelInferResponse answer(ModelInferRequest q, PredictionService.Target target, Set<String> outputs,
                                           List<Prediction> predictions) {
    var answer = ModelInferResponse.newBuilder().setModelName(target.served().name())
        .setModelVersion(target.served().version()).setId(q.getId());
    for (String name : outputs) {
      answer.addOutputs(switch (name) {
        case "churn_probability" -> column(name, "FP32", predictions.size(), InferTensorContents.newBuilder()
            .addAllFp32Contents(each(predictions, Prediction::churnProbability)));
        case "churn_prediction" -> column(name, "BOOL", predictions.size(), InferTensorContents.newBuilder()
            .addAllBoolContents(each(predictions, Prediction::churnPrediction)));
        default -> column(name, "BYTES", predictions.size(), InferTensorContents.newBuilder()
            .addAllBytesContents(each(predictions,
                p -> com.google.protobuf.ByteString.copyFromUtf8(p.riskTier()))));
      });
    }
    return answer.build();
  }

  private static <T> List<T> each(List<Prediction> predictions, Function<Prediction, T> f) {
    return predictions.stream().map(f).toList();
  }

  private static InferOutputTensor column(String name, String datatype, int rows, InferTensorContents.Builder c) {
    return InferOutputTensor.newBuilder().setName(name).setDatatype(datatype).addShape(rows).setContents(c).build();
  }

  private static GrpcFailure invalid(String message) {
    return new GrpcFailure(GrpcStatus.INVALID_ARGUMENT, message);
  }
}
