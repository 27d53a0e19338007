package io.churnserving.http;

import io.churnserving.observability.CorrelationId;
import io.churnserving.oip.InferenceRequest;
import io.churnserving.oip.OpenInference;
import io.churnserving.serving.PredictionService;
import io.churnserving.validation.Instance;
import io.churnserving.validation.JsonBodyParser;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /v2/models/{model}[/versions/{version}]/infer}: an Open Inference Protocol request in the
 * named-columns form, one input per field of the version's schema, validated as {@code /predict} validates, or in
 * the raw-tensor form, the model's own input already encoded, which goes to the model as it is.
 */
final class InferHandler implements Handler<RoutingContext> {
  static final String TRANSPORT = "oip-rest";

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
    long deadline = RequestDeadline.of(ctx, target.scorer());
    Buffer body = ctx.body().buffer();
    InferenceRequest request = InferenceRequest.read(JsonBodyParser.parse(body == null ? new byte[0]
        : body.getBytes()));
    if (oip.encoded(target.served(), request)) {
      float[] features = oip.features(target.served(), request);
      int rows = (int) request.inputs().get(0).shape()[0];
      service.predictEncoded(target, TRANSPORT, features, rows, deadline, scores -> Responses.body(ctx,
          Responses.JSON, oip.answer(target.served(), request, scores.predictions(), scores.outputs())))
          .onFailure(ctx::fail);
      return;
    }
    List<Instance> instances = oip.instances(target.served(), request);
    String id = CorrelationId.current();
    if (instances.size() == 1) {
      // One row goes by the micro-batcher with every other single prediction, as /predict's does.
      service.predict(target, TRANSPORT, id, instances.get(0), deadline, started, p -> Responses.body(ctx,
          Responses.JSON, oip.answer(target.served(), request, List.of(p)))).onFailure(ctx::fail);
    } else {
      service.predictAll(target, TRANSPORT, id, instances, deadline, started, predictions -> Responses.body(ctx,
          Responses.JSON, oip.answer(target.served(), request, predictions))).onFailure(ctx::fail);
    }
  }
}
