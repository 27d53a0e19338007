package io.churnserving.http;

import io.churnserving.security.ApiKey;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request, on logger {@code access}: method, route template (never the raw path, which could
 * carry anything), status, duration_ms, bytes, key name (never the key) and, from the log context,
 * correlation_id. Sampled: a request not drawn costs one random number.
 */
final class AccessLogHandler implements Handler<RoutingContext> {
  private static final Logger ACCESS = LoggerFactory.getLogger("access");

  private final int percent;

  private AccessLogHandler(int percent) {
    this.percent = percent;
  }

  static AccessLogHandler create(int percent) {
    return new AccessLogHandler(percent);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (percent >= 100 || (percent > 0 && ThreadLocalRandom.current().nextInt(100) < percent)) {
      long started = System.nanoTime();
      ctx.addEndHandler(v -> {
        HttpServerResponse response = ctx.response();
        ApiKey key = ctx.get(ApiKey.CONTEXT_KEY);
        ACCESS.atInfo().addKeyValue("method", ctx.request().method().name())
            .addKeyValue("route", HttpMetricsHandler.template(ctx))
            .addKeyValue("status", response.getStatusCode())
            .addKeyValue("duration_ms", Math.round((System.nanoTime() - started) / 1e3) / 1e3)
            .addKeyValue("bytes", response.bytesWritten())
            .addKeyValue("key", key == null ? null : key.name())
            .log("request");
      });
    }
    ctx.next();
  }
}
