package io.churnserving.http;

import io.churnserving.config.ServerConfig;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What every HTTP event loop together may hold for clients: open connections, and bytes of request bodies being read,
 * answers not yet written and open requests. Made once by the composition root and shared by the HTTP verticles,
 * each of which takes a slot of its own.
 *
 * <p>Why slots rather than one shared counter: bytes change twice per request, and a counter every event loop
 * writes would be a contended cache line on the hottest path. Each loop writes only its own slot and reads the
 * others' (a few volatile reads) when it needs the total.
 */
public final class ServerBudget {
  private final ServerConfig.Limits limits;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLongArray loopBytes;
  private final AtomicInteger slotsTaken = new AtomicInteger();

  /** @param loops the number of HTTP verticles that will share it (one slot each) */
  public ServerBudget(ServerConfig.Limits limits, int loops) {
    this.limits = limits;
    this.loopBytes = new AtomicLongArray(loops);
  }

  ServerConfig.Limits limits() {
    return limits;
  }

  /** Takes the next free slot; one per HTTP verticle. */
  int takeSlot() {
    int slot = slotsTaken.getAndIncrement();
    if (slot >= loopBytes.length()) {
      throw new IllegalStateException("more HTTP verticles than budget slots: " + loopBytes.length());
    }
    return slot;
  }

  /** Counts a new connection, unless the limit is reached. */
  boolean tryOpenConnection() {
    if (connections.incrementAndGet() > limits.maxConnections()) {
      connections.decrementAndGet();
      return false;
    }
    return true;
  }

  void closeConnection() {
    connections.decrementAndGet();
  }

  /** Open connections, over every event loop. */
  public int connections() {
    return connections.get();
  }

  /** A loop's own total, written only by that loop. */
  void publish(int slot, long bytes) {
    loopBytes.lazySet(slot, bytes);
  }

  /** Bytes held over every event loop; each loop's part as it last published it. */
  public long bytes() {
    long sum = 0;
    for (int i = 0; i < loopBytes.length(); i++) {
      sum += loopBytes.get(i);
    }
    return sum;
  }

  /** Whether {@code more} bytes fit beside what every loop holds now. */
  boolean fits(long more) {
    return bytes() + more <= limits.bufferBytes();
  }

  /**
   * Whether {@code more} bytes fit in the headroom a quarter above the budget, kept for connections that keep up
   * while the ones that do not are being closed: so that a client flooding the budget faster than its connections
   * can be found stalled does not get others refused.
   */
  boolean fitsWithHeadroom(long more) {
    return bytes() + more <= limits.bufferBytes() + limits.bufferBytes() / 4;
  }
}
