package io.churnserving.http;

import io.churnserving.observability.CorrelationId;
import io.churnserving.observability.RequestIdentity;
import io.churnserving.observability.TraceContext;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * First handler of every route: takes the client's {@code X-Request-ID} if well-formed or makes one, binds it to the
 * request's context and echoes it on the answer, errors included. A valid W3C {@code traceparent} is continued:
 * its trace id goes on the log lines and the answer carries this server's span in the same trace.
 */
final class CorrelationIdHandler implements Handler<RoutingContext> {
  // Header names pre-encoded with their case-insensitive hash, which a plain String would have computed again on
  // every lookup of every request.
  static final CharSequence REQUEST_ID = HttpHeaders.createOptimized(CorrelationId.HEADER);
  private static final CharSequence TRACEPARENT = HttpHeaders.createOptimized(TraceContext.HEADER);

  static CorrelationIdHandler create() {
    return new CorrelationIdHandler();
  }

  @Override
  public void handle(RoutingContext ctx) {
    RequestIdentity.bind(ctx.request().getHeader(REQUEST_ID), ctx.request().getHeader(TRACEPARENT),
        (name, value) -> ctx.response().putHeader(name.equals(CorrelationId.HEADER) ? REQUEST_ID : TRACEPARENT,
            value));
    ctx.next();
  }
}
