package io.churnserving.http;

import io.churnserving.errors.ClientProblem;
import io.churnserving.scoring.Scorer;
import io.vertx.ext.web.RoutingContext;

/**
 * A request's deadline: the server default, or less if the client asks with {@code X-Request-Timeout-Ms} (a
 * positive whole number of milliseconds; more than the default is capped to it). A client that will give up after
 * 300 ms says so, and its work is dropped rather than done for nobody.
 */
final class RequestDeadline {
  static final String HEADER = "X-Request-Timeout-Ms";

  private RequestDeadline() {
  }

  static long of(RoutingContext ctx, Scorer scorer) {
    String asked = ctx.request().getHeader(HEADER);
    if (asked == null) {
      return scorer.deadline(Long.MAX_VALUE);
    }
    long ms;
    try {
      ms = Long.parseLong(asked.trim());
    } catch (NumberFormatException e) {
      ms = 0;
    }
    if (ms < 1) {
      throw ClientProblem.of(400, "Header " + HEADER + " must be a positive whole number of milliseconds, got '"
          + asked + "'");
    }
    return scorer.deadline(ms);
  }
}
