package io.churnserving.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Closes a connection's TCP socket at once, without a close handshake: for a client that does not read (a
 * WebSocket, or an HTTP/1.1 connection with answers pending).
 *
 * <p>Vert.x 5.0 has no public way to do it. Every close it offers ({@code close}, {@code shutdown}, the server's
 * drain, even its closing timeout, which starts only once the close frame is written) goes through the
 * connection's write queue; behind answers the client never reads, the close frame, and so the close, never gets
 * out, while the queue keeps every byte. Closing the Netty channel from its first handler goes straight to the
 * socket, below Vert.x's handler, as Vert.x's own idle timeout does; Vert.x then sees the channel go inactive,
 * drops what it had queued and fires the close handler, as for any connection the peer dropped.
 *
 * <p>The channel comes from the upgrade request's connection (the same TCP connection), since vertx-web hands out
 * the WebSocket behind a wrapper that hides Vert.x's own. That needs Vert.x's implementation class; if it ever
 * stops being one, this falls back to the handshake close, and {@code HostileStreamClientTest} fails.
 */
public final class TcpClose {
  private final Channel channel;

  private TcpClose(Channel channel) {
    this.channel = channel;
  }

  /** For the connection of a request about to be upgraded. */
  public static TcpClose of(HttpConnection connection) {
    return new TcpClose(connection instanceof ConnectionBase base ? base.channel() : null);
  }

  /** For a plain TCP socket (the event-bus bridge's), whose close waits behind its unread writes just the same. */
  public static TcpClose of(NetSocket socket) {
    return new TcpClose(socket instanceof ConnectionBase base ? base.channel() : null);
  }

  /** Closes the TCP connection now; {@code orElse} runs instead if the channel is not known. */
  public void now(Runnable orElse) {
    ChannelHandlerContext first = channel == null ? null : channel.pipeline().firstContext();
    if (first != null) {
      first.close();
    } else if (channel == null) {
      orElse.run();
    }
    // A channel with no handler left is already closed.
  }
}
