package io.churnserving.http;

import io.churnserving.errors.ClientProblem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * The content types an Open Inference Protocol inference request may have, refused with 415 before the body is
 * read otherwise: JSON; {@code application/octet-stream}, a JSON head followed by binary tensor data (Triton's
 * binary tensor data extension); or none at all, since tritonclient, the extension's main client, sends its
 * requests without a {@code Content-Type}. What the body holds is told by {@code Inference-Header-Content-Length},
 * as the extension says, not by the type.
 */
final class InferContentTypeHandler implements PlatformHandler {
  static InferContentTypeHandler create() {
    return new InferContentTypeHandler();
  }

  @Override
  public void handle(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || JsonContentTypeHandler.isJson(type) || isOctetStream(type)) {
      ctx.next();
    } else {
      ctx.fail(ClientProblem.of(415, "Send the body as application/json, or as application/octet-stream with "
          + "Inference-Header-Content-Length for binary tensor data"));
    }
  }

  private static boolean isOctetStream(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
        .equalsIgnoreCase("application/octet-stream");
  }
}
