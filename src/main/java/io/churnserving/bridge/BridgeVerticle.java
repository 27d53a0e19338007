package io.churnserving.bridge;

import io.churnserving.config.ServerConfig;
import io.churnserving.metrics.BridgeMeters;
import io.churnserving.ratelimit.RateLimiter;
import io.churnserving.security.KeyRing;
import io.churnserving.tls.ServerCertificates;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event-bus bridge: the wire protocol of vertx-tcp-eventbus-bridge on a port of its own, for clients outside
 * the JVM. Requests go on the event bus to the same consumers other verticles use, so an answer is the one
 * {@code churn.predict} gives anyone.
 *
 * <p>The protocol is the library's, frame for frame, but not its server: in 5.0 its server reads a frame of any
 * announced length into memory, logs a frame that is not JSON without answering it, throws on an unknown type, has no
 * connection count, writes events to a client that does not read without bound and lets a client pick the send
 * timeout and codec through headers. Each of those is a way to make this server hold or hide something, so the
 * frames are read and answered here ({@link BridgeConnection}).
 *
 * <p>One instance, so every connection lives on its event loop and the counts need no locks.
 */
public final class BridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);

  private final ServerConfig.Bridge settings;
  private final KeyRing keys;
  private final RateLimiter limiter;
  private final long requestTimeoutMs;
  private final long drainMs;
  private final IntConsumer boundPort;
  private final BridgeMeters meters;
  private final ServerCertificates certificates;
  private final Set<BridgeConnection> connections = new HashSet<>();
  private NetServer server;
  private long sweep = -1;

  /**
   * @param settings         where to listen and the bounds
   * @param keys             the key ring HTTP uses
   * @param limiter          the rate limiter HTTP uses, so a key's requests count once over both
   * @param requestTimeoutMs how long a request waits for its answer before the client gets a timeout failure
   * @param drainMs          at undeploy, how long requests already sent get to be answered
   * @param meters           where connections, refusals and dropped events are counted
   * @param certificates     the certificate HTTP serves, or null when TLS is off; the bridge serves it too
   * @param boundPort        told the port once bound
   */
  public BridgeVerticle(ServerConfig.Bridge settings, KeyRing keys, RateLimiter limiter, long requestTimeoutMs,
                        long drainMs, BridgeMeters meters, ServerCertificates certificates, IntConsumer boundPort) {
    this.settings = settings;
    this.keys = keys;
    this.limiter = limiter;
    this.requestTimeoutMs = requestTimeoutMs;
    this.drainMs = drainMs;
    this.boundPort = boundPort;
    this.meters = meters;
    this.certificates = certificates;
  }

  @Override
  public Future<?> start() {
    Map<String, BridgeAddress> allowed;
    try {
      allowed = BridgeAddress.allowList(settings.addresses());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    var ctx = new BridgeConnection.Context(vertx, new FrameCheck(allowed, keys), keys, limiter,
        settings.maxFrameBytes(), settings.maxInFlight(), requestTimeoutMs, drainMs, meters);
    // Read on another thread by the scrape; a size read that races a connect is off by one for one scrape.
    meters.watch(connections::size);
    NetServerOptions options = new NetServerOptions().setHost(settings.host()).setPort(settings.port())
        .setTcpNoDelay(true);
    server = vertx.createNetServer(certificates == null ? options : certificates.apply(options));
    server.connectHandler(socket -> accept(ctx, socket));
    long idleNanos = TimeUnit.SECONDS.toNanos(settings.idleTimeoutS());
    sweep = vertx.setPeriodic(Math.min(1000, settings.idleTimeoutS() * 250L), id -> closeIdle(idleNanos));
    return server.listen().onSuccess(s -> {
      boundPort.accept(s.actualPort());
      if (certificates != null) {
        certificates.serve(s);
      }
      LOG.atInfo().addKeyValue("host", settings.host()).addKeyValue("port", s.actualPort())
          .addKeyValue("tls", certificates != null)
          .addKeyValue("addresses", allowed.keySet().stream().sorted().toList()).log("Event-bus bridge listening");
      if (!settings.loopback() && certificates == null) {
        LOG.atWarn().addKeyValue("host", settings.host()).log("The event-bus bridge binds a non-loopback address "
            + "without TLS: API keys travel in clear over the network. Set TLS_CERT_PATH and TLS_KEY_PATH");
      }
    });
  }

  private void accept(BridgeConnection.Context ctx, NetSocket socket) {
    if (connections.size() >= settings.maxConnections()) {
      BridgeConnection refused = new BridgeConnection(ctx, socket, () -> { });
      refused.closeWith(Refusal.of(503, "too_many_connections", "the bridge holds at most "
          + settings.maxConnections() + " connections; try again later"));
      return;
    }
    BridgeConnection[] holder = new BridgeConnection[1];
    holder[0] = new BridgeConnection(ctx, socket, () -> connections.remove(holder[0]));
    connections.add(holder[0]);
  }

  private void closeIdle(long idleNanos) {
    long now = System.nanoTime();
    for (BridgeConnection c : Set.copyOf(connections)) {
      if (c.silentNanos(now) > idleNanos) {
        c.closeWith(Refusal.of(408, "idle", "no frame for " + settings.idleTimeoutS() + " s; send a ping to stay "
            + "connected"));
      }
    }
  }

  /**
   * Stops accepting, and has every connection answer the requests already sent (at most the drain time) and close
   * with a {@code shutting_down} err frame ({@link NetServer#shutdown} signals each one). The second past the drain
   * time is the server's own last resort.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweep);
    if (certificates != null) {
      certificates.forget(server);
    }
    return server.shutdown(drainMs + 1000, TimeUnit.MILLISECONDS);
  }
}
