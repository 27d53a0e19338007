package io.churnserving.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Keeps HTTP/2 header lists within {@code HTTP_MAX_HEADER_BYTES}, answering a longer one with the same 431 problem
 * and {@code X-Request-ID} as HTTP/1.1's too-large head (where Netty's decoder refuses it and
 * {@link InvalidRequestHandler} answers). Netty itself refuses an HTTP/2 header list over the
 * SETTINGS_MAX_HEADER_LIST_SIZE the server announces, but with a bare 431 that no handler of ours sees; so the server
 * announces {@link #HARD_BOUND_FACTOR} times the limit (which bounds what Netty decodes and holds) and this handler
 * enforces the limit itself. Only a list beyond that larger bound still gets Netty's bare 431.
 *
 * <p>The size is HTTP/2's (RFC 9113, 6.5.2): each field's name and value octets plus 32, pseudo-header fields
 * included. Only the stream is refused; the connection serves on.
 */
final class HeaderListLimitHandler implements Handler<RoutingContext> {
  /** How many times the limit the server announces to HTTP/2 clients, and Netty enforces on its own. */
  static final int HARD_BOUND_FACTOR = 2;
  /** What RFC 9113 (6.5.2) and RFC 7541 (4.1) add to each field's octets. */
  private static final int FIELD_OVERHEAD = 32;

  private final int maxBytes;

  private HeaderListLimitHandler(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** @param maxBytes the largest header list served, {@code HTTP_MAX_HEADER_BYTES} */
  static HeaderListLimitHandler create(int maxBytes) {
    return new HeaderListLimitHandler(maxBytes);
  }

  /** What the server announces as SETTINGS_MAX_HEADER_LIST_SIZE for this limit. */
  static long announced(int maxBytes) {
    return (long) HARD_BOUND_FACTOR * maxBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().version() == HttpVersion.HTTP_2 && size(ctx.request()) > maxBytes) {
      ctx.fail(431);
      return;
    }
    ctx.next();
  }

  /** The header list's size as HTTP/2 counts it; Netty decodes each octet to one char, so chars are octets. */
  static long size(HttpServerRequest request) {
    MultiMap headers = request.headers();
    long size = 0;
    for (Map.Entry<String, String> field : headers) {
      size += field.getKey().length() + field.getValue().length() + FIELD_OVERHEAD;
    }
    // Vert.x keeps the pseudo-header fields apart from the headers; they were part of the list all the same.
    size += pseudo(":method", request.method().name()) + pseudo(":path", request.uri())
        + pseudo(":scheme", request.scheme());
    HostAndPort authority = request.authority();
    if (authority != null && !headers.contains(HttpHeaders.HOST)) {
      // Without a Host field, Vert.x's authority is the :authority field, written back as it came.
      size += pseudo(":authority", authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port());
    }
    return size;
  }

  private static long pseudo(String name, String value) {
    return value == null ? 0 : name.length() + value.length() + FIELD_OVERHEAD;
  }
}
