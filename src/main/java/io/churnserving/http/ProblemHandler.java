package io.churnserving.http;

import io.churnserving.errors.Problem;
import io.churnserving.errors.Problems;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.CorrelationId;
import io.churnserving.ratelimit.RateLimitExceeded;
import io.churnserving.scoring.ScoringException;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: every failed request, whether it failed with a typed exception or a bare status (the
 * router's 404 and 405, the body handler's 413), is answered here as an RFC 9457 problem.
 */
final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  private final ServingMetrics metrics;

  private ProblemHandler(ServingMetrics metrics) {
    this.metrics = metrics;
  }

  static ProblemHandler create(ServingMetrics metrics) {
    return new ProblemHandler(metrics);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    Throwable failure = ctx.failure();
    Problem problem;
    if (failure instanceof HttpException http) {
      problem = Problems.forStatus(http.getStatusCode());
    } else if (failure != null) {
      problem = Problems.from(failure);
      if (problem.status() >= 500 && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
        // The router refuses some requests itself (no Host header, an empty path) with a client status and a
        // plain exception whose message says what is wrong: that is the client's fault, so a 4xx that names it.
        problem = Problems.forStatus(ctx.statusCode(), failure.getMessage());
      }
    } else {
      problem = Problems.forStatus(ctx.statusCode());
    }
    answer(ctx, problem, failure);
  }

  /** Answers with this problem, logged and counted as every refusal is; for handlers that refuse without failing. */
  void answer(RoutingContext ctx, Problem problem, Throwable failure) {
    if (problem.status() >= 500) {
      LOG.atError().addKeyValue("status", problem.status()).setCause(failure).log("Request failed");
    } else if (LOG.isDebugEnabled()) {
      LOG.atDebug().addKeyValue("status", problem.status()).log("Request refused: " + problem.title());
    }
    Route route = ctx.currentRoute();
    String transport = route == null ? null : route.getMetadata(Routes.TRANSPORT);
    if (transport != null) {
      metrics.answered(transport, problem.kind(), problem.status(), null);
    } else {
      metrics.refused(problem.kind(), problem.status());
    }
    long retryAfter = retryAfterSeconds(failure);
    if (retryAfter > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
    }
    Responses.problem(ctx, problem.withCorrelationId(correlationId(ctx)));
  }

  /**
   * The request's correlation ID. A request the router refused before any handler ran has none yet; it still gets
   * one, echoed like any other, so that its answer and its log line can be matched.
   */
  private static String correlationId(RoutingContext ctx) {
    String id = CorrelationId.current();
    if (id == null) {
      id = ctx.response().headers().get(CorrelationIdHandler.REQUEST_ID);
    }
    if (id == null) {
      id = CorrelationId.acceptOrCreate(ctx.request().getHeader(CorrelationIdHandler.REQUEST_ID));
      CorrelationId.bind(id);
      ctx.response().putHeader(CorrelationIdHandler.REQUEST_ID, id);
    }
    return id;
  }

  /**
   * When a refusal is worth retrying, and when: the quota's next token (429), or a second for a full queue (503),
   * or the breaker's next probe (503).
   */
  static long retryAfterSeconds(Throwable failure) {
    if (failure instanceof RateLimitExceeded e) {
      return e.decision().retryAfterSeconds();
    }
    if (failure instanceof ScoringException.Overloaded) {
      return 1;
    }
    if (failure instanceof ScoringException.CircuitOpen e) {
      return e.retryAfterSeconds();
    }
    return 0;
  }
}
