package io.churnserving.http;

import io.churnserving.oip.OpenInference;
import io.churnserving.serving.PredictionService;
import io.churnserving.scoring.ScoringException;
import io.churnserving.serving.ServedVersion;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The Open Inference Protocol's read-only routes: {@code GET /v2} (server metadata),
 * {@code GET /v2/models/{model}[/versions/{version}]} (model metadata) and {@code .../ready}. An unknown model or
 * version fails with the typed failure, which the routes' handler answers in the protocol's error shape.
 */
final class OpenInferenceHandlers {
  private OpenInferenceHandlers() {
  }

  static Handler<RoutingContext> server(OpenInference oip) {
    JsonObject metadata = oip.serverMetadata();
    return ctx -> Responses.body(ctx, Responses.JSON, metadata.toBuffer());
  }

  static Handler<RoutingContext> model(OpenInference oip, PredictionService service) {
    return ctx -> {
      String model = ctx.pathParam("model");
      ServedVersion served = service.models().resolve(model, ctx.pathParam("version"));
      Responses.body(ctx, Responses.JSON, oip.modelMetadata(service.models().model(model), served).toBuffer());
    };
  }

  /** Ready when the version (the model's default without one) resolves: only ready versions are served. */
  static Handler<RoutingContext> ready(PredictionService service) {
    return ctx -> {
      ServedVersion served = service.models().resolve(ctx.pathParam("model"), ctx.pathParam("version"));
      if (!served.scorers().reachable()) {
        // An HTTP node of a cluster with no live scoring node for the version: 503, naming it.
        throw new ScoringException.ModelUnavailable("model " + served.name() + " version " + served.version()
            + " has no live scoring node");
      }
      Responses.body(ctx, Responses.JSON, new JsonObject().put("name", served.name()).put("ready", true).toBuffer());
    };
  }
}
