package io.churnserving.http;

import io.churnserving.apidocs.ServerVersion;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /version}: this build's name and version and the models it serves, as {@code java -jar ... --version}
 * prints them. No key, like the probes and the docs: it tells nothing the OpenAPI document does not.
 */
final class VersionHandler {
  private VersionHandler() {
  }

  static Handler<RoutingContext> create(ServerVersion server, String modelName, String modelVersion) {
    Buffer body = new JsonObject().put("name", server.name()).put("version", server.version())
        .put("models", new JsonArray().add(new JsonObject().put("name", modelName).put("version", modelVersion)))
        .toBuffer();
    return ctx -> Responses.body(ctx, Responses.JSON, body);
  }
}
