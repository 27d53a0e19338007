package io.churnserving.http;

import io.churnserving.errors.AnswerJson;
import io.churnserving.errors.Problem;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes every answer of the route table: JSON answers, problems, documents. Each goes out through
 * {@link ConnectionGuard#end}, so an answer its client does not read stays charged to that client's connection until
 * it is written or the connection is closed.
 */
final class Responses {
  static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  static final CharSequence PROBLEM_JSON = HttpHeaders.createOptimized("application/problem+json");

  private Responses() {
  }

  static Future<Void> json(RoutingContext ctx, int status, Object body) {
    HttpServerResponse response = ctx.response();
    if (status != 200) { // 200 is the default; setting it costs a status lookup on every answer
      response.setStatusCode(status);
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
    return ConnectionGuard.end(ctx, AnswerJson.encode(body));
  }

  static Future<Void> problem(RoutingContext ctx, Problem problem) {
    ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON);
    return ConnectionGuard.end(ctx, AnswerJson.encode(problem));
  }

  /** Any other answer: a status (200 unless set before), a content type and a body made elsewhere. */
  static Future<Void> body(RoutingContext ctx, CharSequence contentType, Buffer body) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    return ConnectionGuard.end(ctx, body);
  }
}
