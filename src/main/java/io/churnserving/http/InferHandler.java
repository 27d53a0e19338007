package io.churnserving.http;

import io.churnserving.observability.CorrelationId;
import io.churnserving.oip.InferenceBody;
import io.churnserving.oip.InferenceRequest;
import io.churnserving.oip.OpenInference;
import io.churnserving.serving.PredictionService;
import io.churnserving.serving.ServedVersion;
import io.churnserving.validation.Instance;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

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

  private final OpenInference oip;
  private final PredictionService service;

  private InferHandler(OpenInference oip, PredictionService service) {
    this.oip = oip;
    this.service = service;
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
    if (oip.encoded(served, request)) {
      float[] features = oip.features(served, request);
      int rows = (int) request.inputs().get(0).shape()[0];
      service.predictEncoded(target, TRANSPORT, features, rows, deadline, scores -> answer(ctx,
          oip.answer(served, request, scores.predictions(), scores.outputs(), body.binary())))
          .onFailure(ctx::fail);
      return;
    }
    List<Instance> instances = oip.instances(served, request);
    String id = CorrelationId.current();
    if (instances.size() == 1) {
      // One row goes by the micro-batcher with every other single prediction, as /predict's does.
      service.predict(target, TRANSPORT, id, instances.get(0), deadline, started, p -> answer(ctx,
          oip.answer(served, request, List.of(p), null, body.binary()))).onFailure(ctx::fail);
    } else {
      service.predictAll(target, TRANSPORT, id, instances, deadline, started, predictions -> answer(ctx,
          oip.answer(served, request, predictions, null, body.binary()))).onFailure(ctx::fail);
    }
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
