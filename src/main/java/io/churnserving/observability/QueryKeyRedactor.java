package io.churnserving.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.regex.Pattern;

/**
 * Keeps API keys out of exported spans. Vert.x tags every server span with the request's full URL
 * ({@code http.url}) and query ({@code url.query}), and a browser's stream passes its key as {@code ?api_key=}: left
 * alone, the key would leave the process for the trace collector. This replaces the value in both before the span is
 * exported. Runs first in the span pipeline.
 */
public final class QueryKeyRedactor implements SpanProcessor {
  private static final AttributeKey<String> URL = AttributeKey.stringKey("http.url");
  private static final AttributeKey<String> QUERY = AttributeKey.stringKey("url.query");
  private static final Pattern KEY = Pattern.compile("(?i)(^|[?&])(api_key)=[^&#]*");

  @Override
  public void onStart(Context parent, ReadWriteSpan span) {
    redact(span, URL);
    redact(span, QUERY);
  }

  private static void redact(ReadWriteSpan span, AttributeKey<String> attribute) {
    String value = span.getAttribute(attribute);
    if (value != null && KEY.matcher(value).find()) {
      span.setAttribute(attribute, redacted(value));
    }
  }

  /** The text with every {@code api_key} value replaced by {@code REDACTED}. */
  static String redacted(String text) {
    return KEY.matcher(text).replaceAll("$1$2=REDACTED");
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {
  }

  @Override
  public boolean isEndRequired() {
    return false;
  }
}
