package io.churnserving.http;

import io.churnserving.errors.Problems;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses, with a 400 problem, a path that cannot be decoded (a percent sign not followed by two hex digits),
 * before any route tries to match it. vertx-web decodes the path while matching each route with a path; on such a
 * path that throws, for the failure handlers' routes too, so the request would end as a bare 400 text and an
 * "unhandled exception" logged as an error. The decoded path is kept by the routing context, so valid requests pay
 * nothing more: the routes read what this handler decoded.
 */
final class PathCheckHandler implements Handler<RoutingContext> {
  private final ProblemHandler problems;

  private PathCheckHandler(ProblemHandler problems) {
    this.problems = problems;
  }

  static PathCheckHandler create(ProblemHandler problems) {
    return new PathCheckHandler(problems);
  }

  @Override
  public void handle(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      problems.answer(ctx, Problems.forStatus(400, "The request path cannot be decoded: " + e.getMessage()), e);
      return;
    }
    ctx.next();
  }
}
