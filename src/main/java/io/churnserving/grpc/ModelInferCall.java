package io.churnserving.grpc;

import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.grpc.proto.ModelInferResponse;
import io.churnserving.oip.InferenceRequest;
import io.churnserving.oip.OpenInference;
import io.churnserving.serving.PredictionService;
import io.churnserving.validation.Instance;
import io.vertx.core.Future;
import java.util.List;

/**
 * One ModelInfer request, unary or a message of ModelStreamInfer, in either of the protocol's forms:
 * <ul>
 *   <li>named columns, one input per field of the version's schema, each row checked by the version's own validator
 *   as {@code /predict} checks it; a single row goes by the micro-batcher with HTTP's single rows;</li>
 *   <li>the raw tensor, the model's own input already encoded, FP32 {@code [N, F]}, straight to the model (from
 *   {@code raw_input_contents} without a boxed element on the way).</li>
 * </ul>
 */
final class ModelInferCall {
  private final OpenInference oip;
  private final PredictionService service;
  private final String transport;

  /**
   * @param transport the label the answers are counted under ({@code grpc}, {@code grpc-stream})
   */
  ModelInferCall(OpenInference oip, PredictionService service, String transport) {
    this.oip = oip;
    this.service = service;
    this.transport = transport;
  }

  /**
   * @param timeoutMs the call's {@code grpc-timeout}, or {@link Long#MAX_VALUE}; capped to the server's
   * @param eventId   the correlation ID the prediction events carry
   * @return the answer; fails (or throws) with a 400 problem naming each input and row at fault, or as scoring fails
   */
  Future<ModelInferResponse> infer(ModelInferRequest q, long timeoutMs, String eventId) {
    long started = System.nanoTime();
    PredictionService.Target target = service.target(q.getModelName(),
        q.getModelVersion().isEmpty() ? null : q.getModelVersion());
    long deadline = target.deadline(timeoutMs);
    float[] raw = InferMessages.rawFeatures(oip, target.served(), q);
    if (raw != null) {
      InferenceRequest request = new InferenceRequest(q.getId(), null, List.of(), names(q));
      OpenInference.outputs(target.served(), request); // an unknown output is refused before anything is scored
      int rows = (int) q.getInputs(0).getShape(0);
      return service.predictEncoded(target, transport, raw, rows, deadline, s -> { })
          .map(s -> InferMessages.answer(q, target.served(), request, s.predictions(), s.outputs()));
    }
    InferenceRequest request = InferMessages.read(q);
    if (oip.encoded(target.served(), request)) {
      float[] features = oip.features(target.served(), request);
      int rows = (int) request.inputs().get(0).shape()[0];
      return service.predictEncoded(target, transport, features, rows, deadline, s -> { })
          .map(s -> InferMessages.answer(q, target.served(), request, s.predictions(), s.outputs()));
    }
    List<Instance> instances = oip.instances(target.served(), request);
    if (instances.size() == 1) {
      return service.predict(target, transport, eventId, instances.get(0), deadline, started, p -> { })
          .map(p -> InferMessages.answer(q, target.served(), request, List.of(p), null));
    }
    return service.predictAll(target, transport, eventId, instances, deadline, started, p -> { })
        .map(p -> InferMessages.answer(q, target.served(), request, p, null));
  }

  private static List<String> names(ModelInferRequest q) {
    return q.getOutputsCount() == 0 ? null : q.getOutputsList().stream().map(o -> o.getName()).toList();
  }
}
