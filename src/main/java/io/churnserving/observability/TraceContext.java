package io.churnserving.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.spi.context.storage.ContextLocal;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context continued from a client's {@code traceparent}: the same trace id, a new span id for this
 * server's span, the caller's span as parent, the caller's flags. Held in context-local data like the correlation
 * ID, so log lines of the request carry {@code trace_id}.
 *
 * @param traceId  32 lowercase hex digits
 * @param spanId   this server's span, 16 hex digits
 * @param parentId the caller's span, or null in a trace this server began
 * @param flags    2 hex digits, as received
 */
public record TraceContext(String traceId, String spanId, String parentId, String flags) {
  /** The context-local key; registered with {@link CorrelationId#KEY} by {@link CorrelationStorage}. */
  public static final ContextLocal<TraceContext> KEY = ContextLocal.registerLocal(TraceContext.class);
  public static final String HEADER = "traceparent";

  private static final Pattern TRACEPARENT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

  /**
   * The continuation of a {@code traceparent}, or null when it is absent or malformed (version ff, all-zero ids,
   * upper case, wrong lengths), as the specification says to ignore it.
   */
  public static TraceContext continueFrom(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    var m = TRACEPARENT.matcher(traceparent.trim());
    if (!m.matches() || m.group(1).equals("ff") || (m.group(1).equals("00") && m.group(5) != null)
        || m.group(2).chars().allMatch(c -> c == '0') || m.group(3).chars().allMatch(c -> c == '0')) {
      return null;
    }
    return new TraceContext(m.group(2), spanId(m.group(2)), m.group(3), m.group(4));
  }

  /**
   * With OpenTelemetry export on, Vert.x has already opened this request's span in the caller's trace; its id is
   * the one to log and send back, so both lead to the exported span. Otherwise a fresh id.
   */
  private static String spanId(String traceId) {
    SpanContext exported = Span.current().getSpanContext();
    return exported.isValid() && exported.getTraceId().equals(traceId) ? exported.getSpanId() : newSpanId();
  }

  /**
   * The span Vert.x opened for this request when OpenTelemetry export is on and it began a new, sampled trace (the
   * request came without a {@code traceparent}), so that trace too is named in the logs and the answer; else null.
   */
  public static TraceContext exported() {
    SpanContext span = Span.current().getSpanContext();
    return span.isValid() && span.isSampled()
        ? new TraceContext(span.getTraceId(), span.getSpanId(), null, span.getTraceFlags().asHex()) : null;
  }

  private static String newSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    String hex = Long.toHexString(id);
    return "0".repeat(16 - hex.length()) + hex;
  }

  /** The {@code traceparent} to send onwards and back: this server's span in the caller's trace. */
  public String header() {
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }

  public void bind() {
    Context context = Vertx.currentContext();
    if (context != null) {
      context.putLocal(KEY, this);
    }
  }

  /** The trace of the request being handled, or null. */
  public static TraceContext current() {
    Context context = Vertx.currentContext();
    return context == null ? null : context.getLocal(KEY);
  }
}
