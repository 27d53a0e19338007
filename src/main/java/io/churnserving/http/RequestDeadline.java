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
  private static final String CHOSEN_BY_CLIENT = "deadline.chosenByClient";

  private RequestDeadline() {
  }

  static long of(RoutingContext ctx, Scorer scorer) {
    return of(ctx, scorer, 0);
  }

  /**
   * The deadline of a request that also asks for a time of its own in its body (the Open Inference Protocol's
   * {@code timeout} parameter): the shortest of that, the header's and the server's.
   *
   * @param bodyMs the body's timeout in milliseconds, 0 when it asks for none
   */
  static long of(RoutingContext ctx, Scorer scorer, long bodyMs) {
    String asked = ctx.request().getHeader(HEADER);
    if (asked == null && bodyMs < 1) {
      return scorer.deadline(Long.MAX_VALUE);
    }
    long ms = Long.MAX_VALUE;
    if (asked != null) {
      try {
        ms = Long.parseLong(asked.trim());
      } catch (NumberFormatException e) {
        ms = 0;
      }
      if (ms < 1) {
        throw ClientProblem.of(400, "Header " + HEADER + " must be a positive whole number of milliseconds, got '"
            + asked + "'");
      }
    }
    if (bodyMs > 0) {
      ms = Math.min(ms, bodyMs);
    }
    // The server's deadline first: a later clock read can only make the client's the later one, so a header at or
    // over the default (capped to it) never counts as the client's choice.
    long servers = scorer.deadline(Long.MAX_VALUE);
    long deadline = scorer.deadline(ms);
    if (deadline < servers) {
      ctx.put(CHOSEN_BY_CLIENT, Boolean.TRUE);
    }
    return deadline;
  }

  /**
   * Whether the request's deadline is one the client chose, shorter than the server's: a 504 on it is the client's
   * choice, not the server failing its own deadline.
   */
  static boolean chosenByClient(RoutingContext ctx) {
    return ctx.get(CHOSEN_BY_CLIENT) != null;
  }
}
