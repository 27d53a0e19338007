package io.churnserving.http;

import io.churnserving.config.Origins;
import io.churnserving.errors.ClientProblem;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * CORS for the HTTP API ({@code CORS_ALLOWED_ORIGINS}), when it is set: vertx-web's {@link CorsHandler} answers
 * preflights ({@code OPTIONS} with {@code Access-Control-Request-Method}) with 204 before any key is asked for, and
 * adds {@code Access-Control-Allow-Origin} and the exposed headers to the answers of allowed pages.
 *
 * <p>A request from an origin not on the list is refused here, with a 403 problem and no CORS header, before the
 * request reaches a key check or a model (vertx-web would refuse it too, but with a bare exception this server's
 * problem handler cannot tell from a server fault). A browser then keeps the answer from the page. A WebSocket
 * upgrade is left to the stream's own origin check ({@code STREAM_ALLOWED_ORIGINS}): CORS does not govern
 * WebSockets.
 */
final class CorsPolicyHandler implements Handler<RoutingContext> {
  /** Every request header the API reads. */
  static final Set<String> ALLOWED_HEADERS = Set.of("Content-Type", ApiKeyHandler.HEADER,
      CorrelationIdHandler.REQUEST_ID.toString(), RequestDeadline.HEADER, "traceparent");
  /** Every answer header a page may want to read beyond the CORS-safelisted ones. */
  static final Set<String> EXPOSED_HEADERS = Set.of(CorrelationIdHandler.REQUEST_ID.toString(), "Retry-After",
      "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "traceparent");
  /** Preflights are remembered by browsers for ten minutes (Chromium caps it at two hours). */
  private static final int MAX_AGE_SECONDS = 600;

  private final Origins allowed;
  private final CorsHandler cors;

  private CorsPolicyHandler(Origins allowed, CorsHandler cors) {
    this.allowed = allowed;
    this.cors = cors;
  }

  /** @param allowed {@code CORS_ALLOWED_ORIGINS}, set */
  static CorsPolicyHandler create(Origins allowed) {
    List<String> origins = allowed.any() ? List.of("*") : new ArrayList<>(allowed.listed());
    CorsHandler cors = CorsHandler.create().addOrigins(origins)
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.OPTIONS))
        .allowedHeaders(ALLOWED_HEADERS).exposedHeaders(EXPOSED_HEADERS).maxAgeSeconds(MAX_AGE_SECONDS);
    return new CorsPolicyHandler(allowed, cors);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin == null || request.canUpgradeToWebSocket()) {
      ctx.next();
    } else if (allowed.allows(origin)) {
      cors.handle(ctx);
    } else {
      ctx.fail(ClientProblem.of(403, "Origin '" + Origins.shown(origin) + "' is not in CORS_ALLOWED_ORIGINS"));
    }
  }
}
