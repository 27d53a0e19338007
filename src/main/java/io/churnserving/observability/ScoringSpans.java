package io.churnserving.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * The span of one request's scoring, {@code churn.score}: from the moment its rows are queued for a batch to the
 * moment the answer is back on the request's event loop (queue wait, the event-bus hop, the batch's model call). A
 * child of the request's server span, so a trace shows how much of a request was scoring. Made only while that
 * span is open and sampled for export: other requests pay one check, and with export off nothing at all. Nothing
 * is made under a span that has ended, such as a stream's upgrade; a stream's messages make none (a test shows it).
 */
public final class ScoringSpans {
  private static final AttributeKey<Long> ROWS = AttributeKey.longKey("churn.rows");

  /** Null when export is off. */
  private final Tracer tracer;

  private ScoringSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  /** No spans: OpenTelemetry export is off. */
  public static ScoringSpans off() {
    return new ScoringSpans(null);
  }

  /** Spans from this SDK's tracer. */
  public static ScoringSpans of(OpenTelemetry openTelemetry) {
    return new ScoringSpans(openTelemetry.getTracer("churn-serving"));
  }

  /**
   * Starts the scoring span of the request being handled, on its context.
   *
   * @param rows how many rows the request sends to be scored
   * @return the span, or null when the request's span is not exported
   */
  public Span start(int rows) {
    if (tracer == null) {
      return null;
    }
    Context parent = Context.current();
    Span request = Span.fromContext(parent);
    if (!request.isRecording() || !request.getSpanContext().isSampled()) {
      return null;
    }
    return tracer.spanBuilder("churn.score").setParent(parent).setSpanKind(SpanKind.INTERNAL)
        .setAttribute(ROWS, (long) rows).startSpan();
  }

  /** Ends a span {@link #start} made, as failed when there is a cause; does nothing for null. */
  public static void end(Span span, Throwable failure) {
    if (span == null) {
      return;
    }
    if (failure != null) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR, failure.getMessage());
    }
    span.end();
  }
}
