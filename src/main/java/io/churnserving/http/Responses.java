package io.churnserving.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.churnserving.errors.Problem;
import io.churnserving.model.Prediction;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers and problems. */
final class Responses {
  // Immutable and thread-safe once built; shared by every event loop.
  // Jackson's fast float writer (Schubfach) instead of Float.toString, the largest single cost of batch answers.
  private static final ObjectWriter WRITER = JsonMapper.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build().writer();
  // The hot path's type, resolved once instead of on every answer.
  private static final ObjectWriter PREDICTION = WRITER.forType(Prediction.class);
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence PROBLEM_JSON = HttpHeaders.createOptimized("application/problem+json");

  private Responses() {
  }

  static Future<Void> json(RoutingContext ctx, int status, Object body) {
    return ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(encode(body));
  }

  static Future<Void> problem(RoutingContext ctx, Problem problem) {
    return ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
        .end(encode(problem));
  }

  static Buffer encode(Object body) {
    try {
      ObjectWriter writer = body instanceof Prediction ? PREDICTION : WRITER;
      return Buffer.buffer(writer.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("answer types are plain records", e);
    }
  }
}
