package io.churnserving.http;

import io.churnserving.apidocs.ServerVersion;
import io.churnserving.serving.ServedModel;
import io.churnserving.serving.ServedModels;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /version}: this build's name and version and the model versions it serves, as
 * {@code java -jar ... --version} prints them. No key, like the probes and the docs: it tells nothing the OpenAPI
 * document and the model status routes do not.
 */
final class VersionHandler {
  private VersionHandler() {
  }

  static Handler<RoutingContext> create(ServerVersion server, ServedModels models) {
    return ctx -> {
      JsonArray served = new JsonArray();
      for (ServedModel m : models.models()) {
        m.versions().keySet().forEach(v -> served.add(new JsonObject().put("name", m.name())
            .put("version", Long.toString(v))));
      }
      Responses.body(ctx, Responses.JSON, new JsonObject().put("name", server.name()).put("version", server.version())
          .put("models", served).toBuffer());
    };
  }
}
