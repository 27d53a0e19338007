package io.churnserving.bench.attack;

import io.churnserving.bench.TransportErrors;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an attack did and saw, counted from its event loops and read from any thread: named counts (connections,
 * requests, messages...), answers by HTTP status, failures by kind, and a few maxima. Names are snake case, as the
 * JSON report carries them.
 */
final class AttackCounts {
  /** Connections the attack opened (TCP, or HTTP/2 connections its clients opened). */
  static final String CONNECTIONS = "connections";
  /** Connections that ended while the attack was running and that the attack did not close itself. */
  static final String CLOSED_BY_SERVER = "closed_by_server";
  static final String CONNECT_FAILED = "connect_failed";
  /** HTTP requests, or HTTP/2 streams, sent. */
  static final String REQUESTS = "requests";
  /** WebSocket messages sent; a burst counts its items. */
  static final String MESSAGES = "messages";
  static final String BYTES_SENT = "bytes_sent";
  /** WebSocket upgrades answered 101. */
  static final String UPGRADES = "upgrades";

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> statuses = new ConcurrentSkipListMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicLong> maxima = new ConcurrentSkipListMap<>();

  void add(String name) {
    add(name, 1);
  }

  void add(String name, long n) {
    counts.computeIfAbsent(name, k -> new LongAdder()).add(n);
  }

  /** An HTTP answer with this status. */
  void status(int status) {
    statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
  }

  /** A failure that left a request, a stream or a connection without its answer. */
  void error(Throwable failure) {
    errors.computeIfAbsent(kind(failure), k -> new LongAdder()).increment();
  }

  /** Keeps the largest value seen under {@code name}, e.g. how long the server took to close. */
  void max(String name, long value) {
    maxima.computeIfAbsent(name, k -> new AtomicLong(Long.MIN_VALUE)).accumulateAndGet(value, Math::max);
  }

  long get(String name) {
    LongAdder count = counts.get(name);
    return count == null ? 0 : count.sum();
  }

  /** Named counts, the well-known ones first in a fixed order, then the rest by name. */
  SortedMap<String, Long> counts() {
    SortedMap<String, Long> sorted = new TreeMap<>(AttackCounts::order);
    counts.forEach((k, v) -> sorted.put(k, v.sum()));
    return sorted;
  }

  SortedMap<Integer, Long> statuses() {
    SortedMap<Integer, Long> copy = new TreeMap<>();
    statuses.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  SortedMap<String, Long> errors() {
    SortedMap<String, Long> copy = new TreeMap<>();
    errors.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  SortedMap<String, Long> maxima() {
    SortedMap<String, Long> copy = new TreeMap<>();
    maxima.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Everything, as the JSON report carries it. */
  JsonObject toJson() {
    JsonObject json = new JsonObject();
    counts().forEach(json::put);
    JsonObject byStatus = new JsonObject();
    statuses().forEach((k, v) -> byStatus.put(Integer.toString(k), v));
    JsonObject byKind = new JsonObject();
    errors().forEach(byKind::put);
    JsonObject max = new JsonObject();
    maxima().forEach(max::put);
    return new JsonObject().put("counts", json).put("statuses", byStatus).put("errors", byKind).put("max", max);
  }

  /**
   * Names the failure as the reports count it. An HTTP/2 stream reset is told apart from a connection reset, since
   * resetting streams is how the server sheds an HTTP/2 client that holds too much.
   */
  static String kind(Throwable failure) {
    if (failure instanceof StreamResetException reset) {
      return "stream reset " + reset.getCode();
    }
    if (failure instanceof HttpClosedException) {
      return "connection closed";
    }
    String kind = TransportErrors.kind(failure);
    if (kind.equals(failure.getClass().getSimpleName()) && failure.getMessage() != null) {
      // An exception the transport names do not cover (Netty's HTTP/2 errors): its message says more than its
      // class. Numbers (stream ids, sizes) are masked so that one kind stays one count.
      String message = failure.getMessage().replaceAll("\\d+", "#");
      return kind + ": " + (message.length() > 80 ? message.substring(0, 80) : message);
    }
    return kind;
  }

  private static final String[] ORDER = {CONNECTIONS, CLOSED_BY_SERVER, CONNECT_FAILED, UPGRADES, REQUESTS,
      MESSAGES, BYTES_SENT};

  private static int order(String a, String b) {
    int ia = rank(a);
    int ib = rank(b);
    return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
  }

  private static int rank(String name) {
    for (int i = 0; i < ORDER.length; i++) {
      if (ORDER[i].equals(name)) {
        return i;
      }
    }
    return ORDER.length;
  }
}
