package io.churnserving.http;

import io.churnserving.apidocs.ApiDocs;
import io.churnserving.errors.ClientProblem;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /openapi.json}, {@code /docs} and its files, from memory; no key needed, never rate limited. */
final class ApiDocsHandlers {
  private ApiDocsHandlers() {
  }

  /** The document as the route table gives it: only the paths this listener serves. */
  static Handler<RoutingContext> document(JsonObject openApi) {
    Buffer body = openApi.toBuffer();
    return ctx -> Responses.body(ctx, Responses.JSON, body);
  }

  static Handler<RoutingContext> page(ApiDocs docs) {
    return ctx -> Responses.body(ctx, "text/html; charset=utf-8", docs.page());
  }

  static Handler<RoutingContext> asset(ApiDocs docs) {
    return ctx -> {
      String name = ctx.pathParam("asset");
      Buffer body = docs.assets().get(name);
      if (body == null) {
        ctx.fail(ClientProblem.of(404));
        return;
      }
      String type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "max-age=3600");
      Responses.body(ctx, type, body);
    };
  }
}
