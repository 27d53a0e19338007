package io.churnserving.net;

/**
 * What a connection that left HTTP (a WebSocket) may hold of the server's memory, asked of the HTTP layer that
 * counts every connection and every byte held for clients. Used from the connection's own event loop only.
 */
public interface ConnectionLease {
  /** A lease that counts nothing, for a connection no budget was given. */
  ConnectionLease NONE = new ConnectionLease() {
    @Override
    public boolean hold(long bytes) {
      return true;
    }

    @Override
    public void release(long bytes) {
    }

    @Override
    public void closed() {
    }
  };

  /** Asks to hold {@code bytes} more; false when the connection's share or the server's budget cannot take them. */
  boolean hold(long bytes);

  /** Gives back bytes {@link #hold} took. */
  void release(long bytes);

  /** The connection is closed: everything it held is given back, and it no longer counts as a connection. */
  void closed();
}
