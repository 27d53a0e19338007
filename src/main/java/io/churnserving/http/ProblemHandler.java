package io.churnserving.http;

import io.churnserving.errors.Problem;
import io.churnserving.errors.Problems;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.CorrelationId;
import io.churnserving.observability.LogThrottles;
import io.churnserving.ratelimit.RateLimitExceeded;
import io.churnserving.scoring.ScoringException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.json.JsonObject;
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
  private final LogThrottles throttles;
  private final boolean protocolErrors;

  private ProblemHandler(ServingMetrics metrics, LogThrottles throttles, boolean protocolErrors) {
    this.metrics = metrics;
    this.throttles = throttles;
    this.protocolErrors = protocolErrors;
  }

  /** @param throttles the server's, shared with every other event loop's handler */
  static ProblemHandler create(ServingMetrics metrics, LogThrottles throttles) {
    return new ProblemHandler(metrics, throttles, false);
  }

  /**
   * The same mapping, status and headers, answered in the Open Inference Protocol's shape {@code {"error": "..."}}
   * rather than as a problem: its clients (tritonclient, the KServe SDK) read that field. A 422 is the protocol's
   * 400, which is all it has for a request it cannot use.
   */
  ProblemHandler openInference() {
    return new ProblemHandler(metrics, throttles, true);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    Throwable failure = ctx.failure();
    if (failure instanceof HttpClosedException || failure instanceof StreamResetException) {
      clientWentAway(ctx);
      return;
    }
    Problem problem;
    boolean unreadableBody = false;
    if (failure instanceof HttpException http) {
      problem = Problems.forStatus(http.getStatusCode());
    } else if (failure instanceof FramingCheckHandler.UnsafeFraming) {
      problem = Problems.forStatus(400, "The request head can be read more than one way: " + failure.getMessage());
      unreadableBody = true;
    } else if (failure != null) {
      problem = Problems.from(failure);
      if (problem.status() >= 500 && !ctx.request().isEnded() && !(failure instanceof ScoringException)) {
        // The HTTP decoder failed on the body (a chunk size that is not hex or overflows, a chunk extension over
        // the line limit): the client's framing, not a fault of ours. What follows on the connection cannot be
        // trusted, so it is answered and closed.
        problem = Problems.forStatus(400, "The request body could not be read as HTTP/1.1: " + reason(failure));
        unreadableBody = true;
      } else if (problem.status() >= 500 && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
        // The router refuses some requests itself (no Host header, an empty path) with a client status and a
        // plain exception whose message says what is wrong: that is the client's fault, so a 4xx that names it.
        problem = Problems.forStatus(ctx.statusCode(), failure.getMessage());
      }
    } else {
      problem = Problems.forStatus(ctx.statusCode());
    }
    answer(ctx, problem, failure, unreadableBody);
  }

  /** Answers with this problem, logged and counted as every refusal is; for handlers that refuse without failing. */
  void answer(RoutingContext ctx, Problem problem, Throwable failure) {
    answer(ctx, problem, failure, false);
  }

  /**
   * Answers with this problem, logged and counted as every refusal is. Only a fault of the server's own (a 500, a
   * model that is failing or gone, a deadline the server set) is logged at ERROR and counted as a server error;
   * saturation and deadlines the client chose are WARN, at most a line a second per kind since a client can repeat
   * them; client errors are DEBUG.
   */
  private void answer(RoutingContext ctx, Problem problem, Throwable failure, boolean closeAfter) {
    // Closing an HTTP/2 connection would end every other stream on it; a stream's own answer ends just that stream.
    closeAfter = closeAfter && ctx.request().version() != HttpVersion.HTTP_2;
    String kind = problem.kind();
    if (failure instanceof ScoringException.TimedOut && RequestDeadline.chosenByClient(ctx)) {
      kind = ServingMetrics.CLIENT_TIMEOUT; // the client chose a deadline shorter than the server's
    }
    log(problem, kind, failure);
    Route route = ctx.currentRoute();
    String transport = route == null ? null : route.getMetadata(Routes.TRANSPORT);
    if (transport != null) {
      metrics.answered(transport, kind, problem.status(), null);
    } else {
      metrics.refused(kind, problem.status());
    }
    long retryAfter = Problems.retryAfterSeconds(failure);
    if (retryAfter > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
    }
    if (closeAfter) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    String id = correlationId(ctx);
    if (protocolErrors) {
      ctx.response().setStatusCode(problem.status() == 422 ? 400 : problem.status());
      Responses.body(ctx, Responses.JSON, new JsonObject().put("error", problem.detail()).toBuffer());
    } else {
      Responses.problem(ctx, problem.withCorrelationId(id));
    }
    if (closeAfter) {
      // Vert.x closes the connection as soon as this handler returns, before the answer would be flushed; closing it
      // here flushes the answer first.
      ctx.request().connection().close();
    }
  }

  private void log(Problem problem, String kind, Throwable failure) {
    if (ServingMetrics.isServerError(kind, problem.status())) {
      LOG.atError().addKeyValue("status", problem.status()).setCause(failure).log("Request failed");
    } else if (problem.status() >= 500) {
      throttles.of(kind).log(left -> LOG.atWarn()
          .addKeyValue("status", problem.status()).addKeyValue("kind", kind).addKeyValue("not_logged_since", left)
          .log("Request refused: " + problem.title()));
    } else if (LOG.isDebugEnabled()) {
      LOG.atDebug().addKeyValue("status", problem.status()).log("Request refused: " + problem.title());
    }
  }

  /**
   * The client closed its connection or reset its stream before the answer (an upload aborted midway, an HTTP/2
   * RST_STREAM): there is no one to answer. Counted as {@value ServingMetrics#CLIENT_CLOSED}, not as a server error.
   */
  private void clientWentAway(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    String transport = route == null ? null : route.getMetadata(Routes.TRANSPORT);
    if (transport != null) {
      metrics.answered(transport, ServingMetrics.CLIENT_CLOSED, ServingMetrics.CLIENT_CLOSED_STATUS, null);
    } else {
      metrics.refused(ServingMetrics.CLIENT_CLOSED, ServingMetrics.CLIENT_CLOSED_STATUS);
    }
    LOG.atDebug().log("Request abandoned by its client");
  }

  /** The decoder's reason, on one line and short: it may quote the client's bytes. */
  private static String reason(Throwable failure) {
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    String line = message.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
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
}
