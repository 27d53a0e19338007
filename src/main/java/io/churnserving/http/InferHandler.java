package io.churnserving.http;

import io.churnserving.observability.CorrelationId;
import io.churnserving.oip.Inference;
import io.churnserving.oip.InferenceBody;
import io.churnserving.oip.InferenceRequest;
import io.churnserving.oip.OpenInference;
import io.churnserving.serving.PredictionService;
import io.churnserving.serving.ServedVersion;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v2/models/{model}[/versions/{version}]/infer}: an Open Inference Protocol request in the
 * named-columns form, one input per field of the version's schema, validated as {@code /predict} validates, or in
 * the raw-tensor form, the model's own input already encoded, which goes to the model as it is. Either may carry
 * its tensors as Triton's binary tensor data ({@code Inference-Header-Content-Length}), and ask for its outputs so;
 * its {@code timeout} parameter shortens its deadline as {@code X-Request-Timeout-Ms} does.
 */
final class InferHandler implements Handler<RoutingContext> {
  static final String TRANSPORT = "oip-rest";
  private static final CharSequence OCTET_STREAM = HttpHeaders.createOptimized("application/octet-stream");

  private final PredictionService service;
  private final Inference inference;

  private InferHandler(OpenInference oip, PredictionService service) {
    this.service = service;
    this.inference = new Inference(oip, service);
  }

  static InferHandler create(OpenInference oip, PredictionService service) {
    return new InferHandler(oip, service);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    PredictionService.Target target = service.target(ctx.pathParam("model"), ctx.pathParam("version"));
    Buffer buffer = ctx.body().buffer();
    InferenceBody body = InferenceBody.read(buffer == null ? new byte[0] : buffer.getBytes(),
        ctx.request().getHeader(InferenceBody.HEADER));
    long deadline = RequestDeadline.of(ctx, target.scorer(), body.policy().timeoutMillis());
    InferenceRequest request = body.request();
    ServedVersion served = target.served();
    inference.score(target, request, TRANSPORT, CorrelationId.current(), deadline, started, scores -> answer(ctx,
        inference.protocol().answer(served, request, scores.predictions(), scores.outputs(), body.binary())))
        .onFailure(ctx::fail);
  }

  /** JSON, or, when an output goes as binary data, the JSON head's length in its header and octet-stream. */
  private static void answer(RoutingContext ctx, OpenInference.Answer answer) {
    if (answer.headLength() < 0) {
      Responses.body(ctx, Responses.JSON, answer.body());
    } else {
      ctx.response().putHeader(InferenceBody.HEADER, Integer.toString(answer.headLength()));
      Responses.body(ctx, OCTET_STREAM, answer.body());
    }
  }
}
