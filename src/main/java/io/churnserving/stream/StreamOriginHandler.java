package io.churnserving.stream;

import io.churnserving.config.Origins;
import io.churnserving.errors.ClientProblem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Refuses a stream upgrade from a web page the server does not trust, with a 403 problem before the upgrade. A
 * browser lets any page open a WebSocket to any server and sends the page's {@code Origin}, so without this check
 * any site a user visits could use a local server with the public {@code dev-key}, or a key in the page. Clients
 * that are not browsers send no {@code Origin} (or one they chose, which proves nothing), so the check guards
 * browsers' users, not the server; keys still do that.
 *
 * <p>An upgrade without an {@code Origin} is always allowed: it is not from a browser. With
 * {@code STREAM_ALLOWED_ORIGINS} unset, a page of the server's own origin is allowed too: the {@code Origin}'s
 * scheme is https on a TLS listener and http otherwise, and its host and port are the request's {@code Host}. Set,
 * only pages of the listed origins are ({@code *}: of every origin, and {@code null}, the opaque origin).
 *
 * <p>A {@code PlatformHandler}, as the key check after it is: vertx-web runs no other kind before one.
 */
public final class StreamOriginHandler implements PlatformHandler {
  private final Origins allowed;

  private StreamOriginHandler(Origins allowed) {
    this.allowed = allowed;
  }

  /** @param allowed {@code STREAM_ALLOWED_ORIGINS}; none listed: same-origin and no-Origin upgrades only */
  public static StreamOriginHandler create(Origins allowed) {
    return new StreamOriginHandler(allowed);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin == null || (allowed.isSet() ? allowed.allows(origin) : sameOrigin(origin, request))) {
      ctx.next();
      return;
    }
    ctx.fail(ClientProblem.of(403, "Origin '" + Origins.shown(origin) + "' may not open this stream: "
        + (allowed.isSet() ? "it is not in STREAM_ALLOWED_ORIGINS"
        : "only pages of this server's own origin may (STREAM_ALLOWED_ORIGINS lists others)")));
  }

  /** Whether the page that sent the upgrade was served by this very server, by scheme, host and port. */
  private static boolean sameOrigin(String origin, HttpServerRequest request) {
    HostAndPort authority = request.authority();
    String page = Origins.canonical(origin);
    if (authority == null || page == null) {
      return false;
    }
    String scheme = request.isSSL() ? "https" : "http";
    int port = authority.port() < 0 ? Origins.defaultPort(scheme) : authority.port();
    String host = authority.host().contains(":") && !authority.host().startsWith("[")
        ? "[" + authority.host() + "]" : authority.host();
    return page.equals(Origins.canonical(scheme + "://" + host + ":" + port));
  }
}
