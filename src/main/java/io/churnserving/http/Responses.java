package io.churnserving.http;

import io.churnserving.errors.AnswerJson;
import io.churnserving.errors.Problem;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers and problems. */
final class Responses {
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  static final CharSequence PROBLEM_JSON = HttpHeaders.createOptimized("application/problem+json");

  private Responses() {
  }

  static Future<Void> json(RoutingContext ctx, int status, Object body) {
    HttpServerResponse response = ctx.response();
    if (status != 200) { // 200 is the default; setting it costs a status lookup on every answer
      response.setStatusCode(status);
    }
    return response.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(AnswerJson.encode(body));
  }

  static Future<Void> problem(RoutingContext ctx, Problem problem) {
    return ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
        .end(AnswerJson.encode(problem));
  }
}
