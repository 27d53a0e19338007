package io.churnserving.http;

import io.churnserving.errors.AnswerJson;
import io.churnserving.errors.Problem;
import io.churnserving.errors.Problems;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.CorrelationId;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers a request the HTTP decoder could not read (a request line or head over the limits, a malformed
 * Content-Length, a line that is not HTTP) before it ever reaches the router. Vert.x's default handler answers with
 * a bare status; this one chooses the same status (414 for a request line too long, 431 for a head too large, 400
 * otherwise) and answers it as a problem, with the decoder's reason and an X-Request-ID, like every other refusal.
 * The connection is closed after it: what follows the bad request on the connection cannot be trusted.
 */
final class InvalidRequestHandler implements Handler<HttpServerRequest> {
  private final ServingMetrics metrics;

  private InvalidRequestHandler(ServingMetrics metrics) {
    this.metrics = metrics;
  }

  static InvalidRequestHandler create(ServingMetrics metrics) {
    return new InvalidRequestHandler(metrics);
  }

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414
        : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    Problem problem = cause == null || status != 400 ? Problems.forStatus(status)
        : Problems.forStatus(status, "The request could not be read as HTTP/1.1: " + cause.getMessage());
    String id = CorrelationId.acceptOrCreate(request.getHeader(CorrelationIdHandler.REQUEST_ID));
    metrics.refused(problem.kind(), problem.status());
    request.response().setStatusCode(status)
        .putHeader(CorrelationIdHandler.REQUEST_ID, id)
        .putHeader(HttpHeaders.CONTENT_TYPE, Responses.PROBLEM_JSON)
        .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
        .end(AnswerJson.encode(problem.withCorrelationId(id)))
        .onComplete(done -> request.connection().close());
  }
}
