package io.churnserving.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import java.util.function.IntConsumer;

/**
 * The management listener ({@code MANAGEMENT_PORT}): health probes and {@code /metrics} only, on a port of its own
 * and an event loop of its own, with a connection budget of its own, so that a flood of clients on the main port
 * can neither take its connections nor its loop from the probes a supervisor restarts the server by.
 */
public final class ManagementVerticle extends VerticleBase {
  private final HttpServerVerticle.Dependencies deps;
  private final ServerBudget budget;
  private final IntConsumer boundPort;
  private HttpServer server;

  /**
   * @param budget    this listener's own budget (one slot), apart from the main port's
   * @param boundPort told the port actually bound
   */
  public ManagementVerticle(HttpServerVerticle.Dependencies deps, ServerBudget budget, IntConsumer boundPort) {
    this.deps = deps;
    this.budget = budget;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    var guard = ConnectionGuard.create(vertx, budget, deps.observability());
    var options = HttpServerVerticle.baseOptions(deps, deps.http().managementPort());
    return HttpServerVerticle.listen(vertx, options, guard, Routes.management(vertx, deps, guard), deps)
        .onSuccess(bound -> {
          server = bound;
          boundPort.accept(bound.actualPort());
        });
  }

  /** Probes keep answering through the drain (readiness says 503); the listener closes with the rest. */
  @Override
  public Future<?> stop() {
    HttpServerVerticle.forget(server, deps);
    return server == null ? Future.succeededFuture() : server.close();
  }
}
