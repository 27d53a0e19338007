package io.churnserving.grpc;

import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.grpc.proto.ModelInferResponse;
import io.churnserving.oip.Inference;
import io.churnserving.oip.InferenceRequest;
import io.churnserving.oip.OpenInference;
import io.churnserving.oip.SchedulePolicy;
import io.churnserving.serving.PredictionService;
import io.vertx.core.Future;

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
  private final PredictionService service;
  private final Inference inference;
  private final String transport;

  /**
   * @param transport the label the answers are counted under ({@code grpc}, {@code grpc-stream})
   */
  ModelInferCall(OpenInference oip, PredictionService service, String transport) {
    this.service = service;
    this.inference = new Inference(oip, service);
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
    float[] raw = InferMessages.rawFeatures(inference.protocol(), target.served(), q);
    InferenceRequest request = raw != null ? InferMessages.head(q) : InferMessages.read(q);
    if (raw != null) {
      // An unknown output is refused before anything is scored (the other forms' reading checks it itself).
      OpenInference.outputs(target.served(), request);
    }
    // Triton's timeout parameter (µs) shortens the call's own deadline, as it shortens REST's.
    long asked = SchedulePolicy.of(request.parameters()).timeoutMillis();
    long deadline = target.deadline(asked > 0 ? Math.min(asked, timeoutMs) : timeoutMs);
    Future<Inference.Scores> scored = raw != null
        ? inference.encoded(target, transport, raw, (int) q.getInputs(0).getShape(0), deadline, s -> { })
        : inference.score(target, request, transport, eventId, deadline, started, s -> { });
    return scored.map(s -> InferMessages.answer(q, target.served(), request, s.predictions(), s.outputs()));
  }
}
