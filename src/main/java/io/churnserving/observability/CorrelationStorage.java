package io.churnserving.observability;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;

/**
 * Registers {@link CorrelationId#KEY} and {@link TraceContext#KEY} when the first {@code Vertx} is being built. Vert.x sizes context-local storage
 * at that moment; a key registered later raises nothing, but {@code putLocal} then throws. Listed in
 * {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}; the bootstrap argument is unused.
 */
public final class CorrelationStorage implements VertxServiceProvider {
  @Override
  public void init(VertxBootstrap bootstrap) {
    CorrelationId.KEY.getClass(); // loading the classes registers the keys
    TraceContext.KEY.getClass();
  }
}
