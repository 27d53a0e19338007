package io.churnserving.tls;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The certificate the server's listeners serve, and the listeners serving it: each listener takes the pair in force
 * when it binds and is told of every new one. One per server, made by the composition root when TLS is on; the
 * listeners register from their own event loops and the watcher replaces the pair from its own, hence the
 * concurrent set and the volatile pair.
 */
public final class ServerCertificates {
  private final Set<HttpServer> listeners = new CopyOnWriteArraySet<>();
  private final Set<NetServer> tcpListeners = new CopyOnWriteArraySet<>();
  private volatile CertificatePair current;

  public ServerCertificates(CertificatePair first) {
    this.current = first;
  }

  /** The pair in force. */
  public CertificatePair current() {
    return current;
  }

  /**
   * Turns on TLS in a listener's options with the pair in force: HTTPS and WSS, and HTTP/2 by ALPN (Vert.x offers
   * {@code h2} and {@code http/1.1}, the options' ALPN versions).
   */
  public HttpServerOptions apply(HttpServerOptions options) {
    return options.setSsl(true).setUseAlpn(true).setKeyCertOptions(current.keyCertOptions());
  }

  /** A listener that now serves the pair in force, and is to be told of the next. */
  public void serve(HttpServer listener) {
    listeners.add(listener);
  }

  /** A listener that stopped. */
  public void forget(HttpServer listener) {
    listeners.remove(listener);
  }

  /** Turns on TLS in a plain TCP listener's options (the event-bus bridge's) with the pair in force. */
  public NetServerOptions apply(NetServerOptions options) {
    return options.setSsl(true).setKeyCertOptions(current.keyCertOptions());
  }

  /** A TCP listener that now serves the pair in force, and is to be told of the next. */
  public void serve(NetServer listener) {
    tcpListeners.add(listener);
  }

  /** A TCP listener that stopped. */
  public void forget(NetServer listener) {
    tcpListeners.remove(listener);
  }

  /**
   * Serves a new pair to new connections on every listener; connections already open keep the pair they were made
   * with. Listeners sharing one port share one TLS context in Vert.x, so telling each of them is more than needed
   * but costs nothing (an update equal to the one in force is skipped). Fails, with the pair in force left as it
   * was where it could be, if Vert.x refuses the new one.
   */
  Future<Void> install(CertificatePair next) {
    ServerSSLOptions ssl = new ServerSSLOptions().setUseAlpn(true).setKeyCertOptions(next.keyCertOptions());
    List<Future<Boolean>> updates = new ArrayList<>();
    for (HttpServer listener : listeners) {
      try {
        updates.add(listener.updateSSLOptions(ssl));
      } catch (IllegalStateException notListening) {
        // closed since it registered (a drain under way): it serves no one any more
      }
    }
    ServerSSLOptions tcp = new ServerSSLOptions().setKeyCertOptions(next.keyCertOptions());
    for (NetServer listener : tcpListeners) {
      try {
        updates.add(listener.updateSSLOptions(tcp));
      } catch (IllegalStateException notListening) {
        // closed since it registered
      }
    }
    return Future.all(updates).onSuccess(all -> current = next).mapEmpty();
  }
}
