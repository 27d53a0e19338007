package io.churnserving.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.composite.AbstractFieldJsonProvider;

/**
 * Writes {@code correlation_id}, and {@code trace_id} and {@code span_id} when the request continues a trace, from the Vert.x context of the logging thread. Correct with a synchronous appender
 * only: an asynchronous one formats on another thread, where the request's context is not current.
 */
public final class CorrelationIdJsonProvider extends AbstractFieldJsonProvider<ILoggingEvent> {

  public CorrelationIdJsonProvider() {
    setFieldName("correlation_id");
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    String id = CorrelationId.current();
    if (id != null) {
      generator.writeStringField(getFieldName(), id);
    }
    TraceContext trace = TraceContext.current();
    if (trace != null) {
      generator.writeStringField("trace_id", trace.traceId());
      generator.writeStringField("span_id", trace.spanId());
    }
  }
}
