package io.churnserving.observability;

import java.util.function.BiConsumer;

/**
 * What every transport does first with a request: take the client's request ID if well-formed or make one, continue
 * a valid W3C {@code traceparent} (or name the trace OpenTelemetry began), bind both to the request's context for
 * the log lines, and echo them on the answer. HTTP passes its headers, gRPC its metadata (the same names, lower
 * case on the wire).
 */
public final class RequestIdentity {
  private RequestIdentity() {
  }

  /**
   * @param requestId   the client's {@code X-Request-ID}, or null
   * @param traceparent the client's {@code traceparent}, or null
   * @param echo        puts a header (name, value) on the answer
   * @return the request's correlation ID
   */
  public static String bind(String requestId, String traceparent, BiConsumer<String, String> echo) {
    String id = CorrelationId.acceptOrCreate(requestId);
    CorrelationId.bind(id);
    echo.accept(CorrelationId.HEADER, id);
    TraceContext trace = traceparent != null ? TraceContext.continueFrom(traceparent) : TraceContext.exported();
    if (trace != null) {
      trace.bind();
      echo.accept(TraceContext.HEADER, trace.header());
    }
    return id;
  }
}
