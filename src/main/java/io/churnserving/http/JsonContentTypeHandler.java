package io.churnserving.http;

import io.churnserving.errors.ClientProblem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/** Refuses, with 415 and before reading the body, a request whose content type is not JSON.
 *
 * <p>A {@code PlatformHandler} because vertx-web only lets those run before the body handler, and refusing
 * before a byte of the body is read is the point.
 */
final class JsonContentTypeHandler implements PlatformHandler {
  static JsonContentTypeHandler create() {
    return new JsonContentTypeHandler();
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
      ctx.next();
    } else {
      ctx.fail(ClientProblem.of(415, "Send the body as application/json"));
    }
  }

  /** application/json or any application/*+json, with or without parameters such as charset. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.equalsIgnoreCase("application/json")
        || (type.regionMatches(true, 0, "application/", 0, 12) && type.toLowerCase().endsWith("+json"));
  }
}
