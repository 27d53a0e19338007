package io.churnserving.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.Handler;

/**
 * Refuses a request whose head two parties could read two ways (RFC 9112, 6.1 and 6.3; RFC 9110, 5.3), before
 * its body is read or its key checked: a {@code Transfer-Encoding} other than exactly {@code chunked}, one together
 * with a {@code Content-Length}, two {@code Host} headers, or two {@code X-API-Key} headers. A proxy in front could
 * frame or route such a request otherwise than this server does (request smuggling), and of two keys neither is
 * more the client's than the other. The refusal is a 400 problem and, on HTTP/1.1, the connection is closed once it
 * is written: whatever follows on it cannot be trusted ({@link ProblemHandler}). A chunked request that passes is
 * served, and its connection closed after the answer.
 *
 * <p>Two {@code Content-Length} headers that disagree never get here: Netty's decoder refuses them and
 * {@link InvalidRequestHandler} answers with the same problem.
 */
final class FramingCheckHandler implements Handler<RoutingContext> {
  private FramingCheckHandler() {
  }

  static FramingCheckHandler create() {
    return new FramingCheckHandler();
  }

  @Override
  public void handle(RoutingContext ctx) {
    String fault = fault(ctx.request());
    if (fault != null) {
      ctx.fail(new UnsafeFraming(fault));
      return;
    }
    if (ctx.request().version() != HttpVersion.HTTP_2
        && ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      // A chunked HTTP/1.x request is served by its chunks, then its connection closed: RFC 9112 (6.1) requires that
      // after a request with both Transfer-Encoding and Content-Length, and Netty's decoder removes such a
      // Content-Length before any handler sees it, so every chunked request may have had one. What a proxy in front
      // may have framed otherwise is then never read as a request of its own.
      ConnectionGuard.closeAfterAnswer(ctx);
    }
    ctx.next();
  }

  private static String fault(HttpServerRequest request) {
    MultiMap headers = request.headers();
    // HTTP/2 frames its own bodies and forbids Transfer-Encoding; Netty refuses it there.
    if (request.version() != HttpVersion.HTTP_2 && headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
      var codings = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
      if (codings.size() != 1 || !"chunked".equalsIgnoreCase(codings.get(0).trim())) {
        return "Transfer-Encoding must be exactly chunked, not " + String.join(", ", codings);
      }
      if (headers.contains(HttpHeaders.CONTENT_LENGTH)) {
        return "Content-Length and Transfer-Encoding together";
      }
    }
    if (headers.getAll(HttpHeaders.HOST).size() > 1) {
      return "More than one Host header";
    }
    if (headers.getAll(ApiKeyHandler.HEADER_NAME).size() > 1) {
      return "More than one X-API-Key header";
    }
    return null;
  }

  /** A request head that can be read two ways: a 400, and the connection closed after it. */
  static final class UnsafeFraming extends RuntimeException {
    UnsafeFraming(String detail) {
      super(detail, null, false, false);
    }
  }
}
