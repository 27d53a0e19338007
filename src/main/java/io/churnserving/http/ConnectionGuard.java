package io.churnserving.http;

import io.churnserving.config.ServerConfig;
import io.churnserving.metrics.HttpMeters;
import io.churnserving.net.ConnectionLease;
import io.churnserving.net.TcpClose;
import io.churnserving.observability.LogThrottle;
import io.churnserving.scoring.ScoringException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what clients can make one HTTP event loop hold, and closes the connections of clients that stop reading.
 *
 * <p>Every open request is charged {@value #REQUEST_BYTES} bytes for its own state, plus its body once the route
 * reads one (its {@code Content-Length}, or the route's limit when none is sent), plus its answer once it is made;
 * the charge is released when the answer has been written to the socket, or the request or its connection ends
 * without one. A connection may hold at most {@code connectionBufferBytes}, all connections together at most
 * {@code bufferBytes} ({@link ServerBudget}), or a quarter more for a connection that keeps up while those that do
 * not are being closed. Past either, a new request is refused: an HTTP/2 stream is reset with
 * REFUSED_STREAM, so a client that reads nothing cannot be made to hold even the refusal; an HTTP/1.1 request gets
 * 503 {@code overloaded}.
 *
 * <p>Clients that do not read are found by their answers: a connection with an answer that has waited
 * {@code writeTimeoutMs} to be written is closed. When the server-wide budget runs out, a request from a connection
 * that is not keeping up (an answer unwritten for {@value #UNWRITTEN_STALL_MS} ms, or a request open for
 * {@value #OPEN_STALL_MS} ms) is refused, and to admit one from a connection that is, such connections are closed,
 * longest stalled first: clients that keep up are served, and those that hold memory without progress lose it. HTTP/2 streams whose answer is written while the client
 * is still sending are reset with NO_ERROR, as RFC 9113 (8.1) allows, so they do not stay open at the client's
 * pleasure.
 *
 * <p>Confined to its verticle's event loop; only {@link ServerBudget} is shared.
 */
final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  /** Where a request's charge is kept in its routing context. */
  static final String KEY = "churn.http.guard.request";
  /**
   * Charged for each open request's own state: an HTTP/2 stream parked with its answer unwritten held about 7.5 KB
   * of heap (36,000 such streams filled 254 MB), a bit more than an HTTP/1.1 request.
   */
  static final long REQUEST_BYTES = 8 << 10;
  /**
   * Under pressure, a connection is not keeping up when an answer has waited this long to be written (a client
   * that reads takes an answer within the event loop's turn that wrote it) ...
   */
  static final long UNWRITTEN_STALL_MS = 20;
  /**
   * Answers one connection may have made and not yet had written before its new requests are refused: a client that
   * reads takes its answers as they come, while one that announced a flow-control window of 0 would have the server
   * do the work of a hundred streams per connection, over and over, for answers it never takes.
   */
  static final int MAX_UNWRITTEN_ANSWERS = 16;
  /** ... or when a request of it has been open this long (a body trickling in, or scoring that cannot finish). */
  static final long OPEN_STALL_MS = 1000;
  private static final long REFUSED_STREAM = 0x7;
  private static final long NO_ERROR = 0x0;

  private final ServerBudget budget;
  private final ServerConfig.Limits limits;
  private final HttpMeters meters;
  private final int slot;
  private final long writeTimeoutNanos;
  private final Map<HttpConnection, Conn> open = new HashMap<>();
  /** A client can make connections be closed as often as it likes: one line a second, server-wide, says how many. */
  private final LogThrottle closeLog;
  private long bytes;

  private ConnectionGuard(Vertx vertx, ServerBudget budget, HttpMeters meters, LogThrottle closeLog) {
    this.budget = budget;
    this.closeLog = closeLog;
    this.limits = budget.limits();
    this.meters = meters;
    this.slot = budget.takeSlot();
    this.writeTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(limits.writeTimeoutMs());
    // A sweep every 50 ms (a tenth of the write timeout if that is shorter): a non-reader is closed within 1.1 times
    // the write timeout, and under pressure stalled connections are closed before the headroom runs out.
    vertx.setPeriodic(Math.min(50, Math.max(10, limits.writeTimeoutMs() / 10)), id -> sweep());
  }

  /** One per HTTP verticle; make it in the verticle's {@code start}, so its sweep runs on that verticle's loop. */
  static ConnectionGuard create(Vertx vertx, ServerBudget budget, HttpServerVerticle.Observability ops) {
    return new ConnectionGuard(vertx, budget, ops.metrics().http(), ops.refusalLog().of("connection-closed"));
  }

  /** One client connection. */
  private final class Conn {
    final HttpConnection connection;
    /** Open requests, oldest first; finished ones are dropped from the head as they come up. */
    final ArrayDeque<Request> requests = new ArrayDeque<>(2);
    long bytes;
    /** Answers made and not yet written to the socket. */
    int unwritten;
    /** Released: closed by this guard or by the client; nothing it holds is counted any more. */
    boolean released;
    /** Upgraded to a WebSocket: its close is reported by its lease, not by Vert.x's HTTP connection. */
    boolean upgraded;
    /** Since when a WebSocket has held more than its own charge (its reading paused), or -1. */
    long holdingSince = -1;
    /** Closes once its current request is answered: no request read after that one is served. */
    boolean lastRequestSeen;

    Conn(HttpConnection connection) {
      this.connection = connection;
    }

    Request oldest() {
      while (!requests.isEmpty() && requests.peekFirst().done) {
        requests.pollFirst();
      }
      return requests.peekFirst();
    }

    /** When the oldest answer that is not yet written was made, or -1 if every answer made is written. */
    long oldestUnwrittenSince() {
      for (Request r : requests) {
        if (!r.done && r.answeredAt != 0) {
          return r.answeredAt;
        }
      }
      return -1;
    }
  }

  /** One open request's charge. */
  private final class Request implements Handler<AsyncResult<Void>> {
    final Conn conn;
    final RoutingContext ctx;
    final long arrived;
    long bytes;
    long answeredAt;
    boolean answering;
    boolean done;

    Request(Conn conn, RoutingContext ctx, long arrived) {
      this.conn = conn;
      this.ctx = ctx;
      this.arrived = arrived;
    }

    ConnectionGuard owner() {
      return ConnectionGuard.this;
    }

    /**
     * The answer reached the socket, or never will. An HTTP/2 client still sending a request already answered would
     * keep its stream open as long as it likes: reset it (NO_ERROR).
     */
    void written(boolean ok) {
      if (done) {
        return;
      }
      finish();
      if (ok && ctx.request().version() == HttpVersion.HTTP_2 && !ctx.request().isEnded()) {
        ctx.response().reset(NO_ERROR);
      }
    }

    /** The routing context ended: by an answer {@link #end} writes (then its write settles it), or without one. */
    @Override
    public void handle(AsyncResult<Void> ended) {
      if (ended.failed() || !answering) {
        finish();
      }
    }

    void finish() {
      if (!done) {
        done = true;
        if (answeredAt != 0) {
          conn.unwritten--;
        }
        release(conn, bytes);
        conn.oldest();
      }
    }
  }

  /** Counts a new connection, or closes it at once when the server has as many as it may. */
  void accept(HttpConnection connection) {
    if (!budget.tryOpenConnection()) {
      meters.refused(HttpMeters.Refusal.CONNECTION_LIMIT);
      connection.close();
      return;
    }
    Conn conn = new Conn(connection);
    open.put(connection, conn);
    connection.closeHandler(v -> closed(conn));
  }

  /** The first handler of every request: charges it, or refuses it when its connection or the server is full. */
  Handler<RoutingContext> admit() {
    return ctx -> {
      Conn conn = open.get(ctx.request().connection());
      if (conn == null || conn.released) {
        ctx.next(); // a connection this guard was not given (none today); nothing to charge it to
        return;
      }
      if (conn.lastRequestSeen) {
        // Pipelined behind a request after which the connection closes: Vert.x hands it over as soon as that
        // request's answer is written, before the close; it is not served, and the connection closes now.
        ctx.request().connection().close();
        return;
      }
      HttpMeters.Refusal refusal = conn.unwritten >= MAX_UNWRITTEN_ANSWERS ? HttpMeters.Refusal.CONNECTION_BUFFER
          : reserve(conn, REQUEST_BYTES);
      if (refusal != null) {
        refuse(ctx, refusal);
        return;
      }
      Request request = new Request(conn, ctx, System.nanoTime());
      request.bytes = REQUEST_BYTES;
      conn.requests.addLast(request);
      ctx.put(KEY, request);
      ctx.addEndHandler(request);
      ctx.next();
    };
  }

  /**
   * Charges a gRPC call, which does not pass the route table, as {@link #admit()} and {@link #reserveBody} charge a
   * request: its own state and the largest message it may send, before a byte of that message is read. The charge is
   * given back once the call's answer has ended or its stream has closed (reset, or the connection gone). A call past
   * its connection's or the server's limit is refused as a request is, with REFUSED_STREAM.
   *
   * @return whether the call may go on
   */
  boolean admitCall(HttpServerRequest call, long maxMessageBytes) {
    Conn conn = open.get(call.connection());
    if (conn == null || conn.released) {
      return true;
    }
    long amount = REQUEST_BYTES + maxMessageBytes;
    HttpMeters.Refusal refusal = conn.unwritten >= MAX_UNWRITTEN_ANSWERS ? HttpMeters.Refusal.CONNECTION_BUFFER
        : reserve(conn, amount);
    if (refusal != null) {
      meters.refused(refusal);
      call.response().reset(REFUSED_STREAM);
      return false;
    }
    // Vert.x's gRPC server sets the request's end and exception handlers and the response's drain and exception
    // handlers; the response's end and close handlers are left to this.
    boolean[] given = {false};
    Handler<Void> giveBack = v -> {
      if (!given[0]) {
        given[0] = true;
        release(conn, amount);
      }
    };
    call.response().endHandler(giveBack).closeHandler(giveBack);
    return true;
  }

  /**
   * Closes the request's HTTP/1.x connection once the answer is written ({@code Connection: close}), and serves no
   * request read after this one on it.
   */
  static void closeAfterAnswer(RoutingContext ctx) {
    Request request = ctx.get(KEY);
    if (request != null) {
      request.conn.lastRequestSeen = true;
    }
    ctx.addHeadersEndHandler(v -> ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE));
    // Once the answer is written; not an end handler, which also fires when the request fails, before its answer.
    ctx.addBodyEndHandler(v -> ctx.request().connection().close());
  }

  /**
   * Charges a body before it is read: its {@code Content-Length}, or {@code limit} when it announces none (chunked,
   * or HTTP/2 without the header); the body handler after this refuses anything longer than the limit.
   */
  PlatformHandler reserveBody(int limit) {
    return ctx -> {
      Request request = ctx.get(KEY);
      if (request == null || request.done) {
        ctx.next();
        return;
      }
      long announced = contentLength(ctx);
      long charge = announced < 0 ? limit : Math.min(announced, limit);
      HttpMeters.Refusal refusal = reserve(request.conn, charge);
      if (refusal != null) {
        meters.refused(refusal);
        ctx.fail(new ScoringException.Overloaded(
            "the server holds as many request bodies and answers as it may; retry shortly"));
        return;
      }
      request.bytes += charge;
      ctx.next();
    };
  }

  private static long contentLength(RoutingContext ctx) {
    String value = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Ends the response with this body, charging the answer until it is written. Every answer of the route table goes
   * out through here ({@link Responses}), so an answer a client does not read is always seen.
   */
  static Future<Void> end(RoutingContext ctx, Buffer body) {
    Request request = ctx.get(KEY);
    HttpServerResponse response = ctx.response();
    if (ctx.request().method() == HttpMethod.HEAD) {
      // Vert.x drops a HEAD answer's body and its length with it; the length is the GET's (RFC 9110, 9.3.2).
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
    }
    if (request == null || request.done || request.answering) {
      return response.end(body);
    }
    request.answering = true;
    ConnectionGuard guard = request.conn.released ? null : request.owner();
    if (guard != null) {
      guard.answered(request, body.length());
    }
    Future<Void> written = response.end(body);
    written.onComplete(ar -> request.written(ar.succeeded()));
    return written;
  }

  /**
   * The request leaves HTTP for a WebSocket. Its {@value #REQUEST_BYTES} bytes stay charged as the stream's own, and
   * the connection stays counted, until the returned lease is {@link ConnectionLease#closed() closed}: Vert.x never
   * reports an upgraded connection's close as an HTTP connection's. What the stream holds beyond that (frames
   * waiting while it is paused) it asks of the lease; under pressure, a stream paused for {@value #OPEN_STALL_MS} ms
   * is closed like any connection that is not keeping up.
   */
  static ConnectionLease upgraded(RoutingContext ctx) {
    Request request = ctx.get(KEY);
    if (request == null || request.conn.released) {
      return ConnectionLease.NONE;
    }
    ConnectionGuard guard = request.owner();
    Conn conn = request.conn;
    request.done = true; // its charge is now the stream's; the connection's lease gives it back
    conn.oldest();
    conn.upgraded = true;
    return guard.new Lease(conn);
  }

  /** A WebSocket's hold on this guard's budget. */
  private final class Lease implements ConnectionLease {
    private final Conn conn;
    private long extra;
    private boolean closed;

    Lease(Conn conn) {
      this.conn = conn;
    }

    @Override
    public boolean hold(long bytes) {
      if (closed || conn.released) {
        return false;
      }
      if (reserve(conn, bytes) != null) {
        return false;
      }
      if (extra == 0) {
        conn.holdingSince = System.nanoTime();
      }
      extra += bytes;
      return true;
    }

    @Override
    public void release(long bytes) {
      long amount = Math.min(bytes, extra);
      extra -= amount;
      if (extra == 0) {
        conn.holdingSince = -1;
      }
      ConnectionGuard.this.release(conn, amount);
    }

    @Override
    public void closed() {
      if (!closed) {
        closed = true;
        ConnectionGuard.this.closed(conn);
      }
    }
  }

  private void answered(Request request, int answerBytes) {
    long now = System.nanoTime();
    request.answeredAt = now == 0 ? 1 : now;
    request.bytes += answerBytes;
    Conn conn = request.conn;
    conn.unwritten++;
    conn.bytes += answerBytes;
    bytes += answerBytes;
    budget.publish(slot, bytes);
    // An answer is always charged (it exists already); a connection over its share that has also stopped taking its
    // answers is closed now rather than at the next sweep.
    if (conn.bytes > limits.connectionBufferBytes()) {
      long since = conn.oldestUnwrittenSince();
      if (since > 0 && now - since >= TimeUnit.MILLISECONDS.toNanos(UNWRITTEN_STALL_MS)) {
        close(conn, HttpMeters.Refusal.NOT_READING);
      }
    }
  }

  /** A charge ends, whatever ended it; on a connection already released, nothing is left to give back. */
  private void release(Conn conn, long amount) {
    if (conn.released || amount == 0) {
      return;
    }
    conn.bytes -= amount;
    bytes -= amount;
    budget.publish(slot, bytes);
  }

  /**
   * Charges {@code amount} to the connection; returns why not, or null when it fits. When the server is full, a
   * connection that is itself not keeping up is refused; otherwise connections that are not are closed to make room.
   */
  private HttpMeters.Refusal reserve(Conn conn, long amount) {
    if (conn.bytes + amount > limits.connectionBufferBytes()) {
      return HttpMeters.Refusal.CONNECTION_BUFFER;
    }
    if (!budget.fits(amount)) {
      boolean keepsUp = stalledSince(conn, System.nanoTime()) < 0;
      if (!keepsUp || !evictStalled(amount, conn) && !budget.fitsWithHeadroom(amount)) {
        return HttpMeters.Refusal.SERVER_BUFFER;
      }
    }
    conn.bytes += amount;
    bytes += amount;
    budget.publish(slot, bytes);
    return null;
  }

  private void refuse(RoutingContext ctx, HttpMeters.Refusal refusal) {
    meters.refused(refusal);
    if (ctx.request().version() == HttpVersion.HTTP_2) {
      // A refused stream is retried by HTTP/2 clients; and nothing is written that a non-reader could leave pending.
      ctx.response().reset(REFUSED_STREAM);
    } else {
      ctx.fail(new ScoringException.Overloaded("the server holds as much for its clients as it may; retry shortly"));
    }
  }

  /**
   * Closes this loop's connections that have not kept up, oldest first, until {@code needed} more bytes fit the
   * server's budget; never {@code spare}, the connection asking. Whether they now fit.
   */
  private boolean evictStalled(long needed, Conn spare) {
    long now = System.nanoTime();
    // Clients that do not take their answers go first, longest first; only then those with a request open long
    // (which may be the server's own slowness under load, not theirs).
    record Stalled(Conn conn, boolean notReading, long since) {
    }
    List<Stalled> candidates = new ArrayList<>();
    for (Conn conn : open.values()) {
      long since = conn == spare ? -1 : stalledSince(conn, now);
      if (since >= 0) {
        long unwritten = conn.oldestUnwrittenSince();
        candidates.add(new Stalled(conn, unwritten > 0 && unwritten == since, since));
      }
    }
    candidates.sort(Comparator.comparing((Stalled c) -> !c.notReading()).thenComparingLong(Stalled::since));
    for (Stalled stalled : candidates) {
      if (budget.fits(needed)) {
        break;
      }
      close(stalled.conn(), HttpMeters.Refusal.EVICTED);
    }
    return budget.fits(needed);
  }

  /**
   * Since when the connection has not kept up (see {@link #UNWRITTEN_STALL_MS}, {@link #OPEN_STALL_MS}), or -1 if
   * it has.
   */
  private long stalledSince(Conn conn, long now) {
    long unwritten = conn.oldestUnwrittenSince();
    if (unwritten > 0 && now - unwritten >= TimeUnit.MILLISECONDS.toNanos(UNWRITTEN_STALL_MS)) {
      return unwritten;
    }
    long open = conn.upgraded ? conn.holdingSince : conn.oldest() == null ? -1 : conn.oldest().arrived;
    if (open >= 0 && now - open >= TimeUnit.MILLISECONDS.toNanos(OPEN_STALL_MS)) {
      return open;
    }
    return -1;
  }

  private void sweep() {
    long now = System.nanoTime();
    List<Conn> notReading = new ArrayList<>();
    for (Conn conn : open.values()) {
      conn.oldest();
      long since = conn.oldestUnwrittenSince();
      if (since > 0 && now - since >= writeTimeoutNanos) {
        notReading.add(conn);
      }
    }
    notReading.forEach(conn -> close(conn, HttpMeters.Refusal.NOT_READING));
    if (!budget.fits(0)) {
      evictStalled(0, null);
    }
  }

  /** Closes a connection for holding memory without taking its answers; its charges are released now. */
  private void close(Conn conn, HttpMeters.Refusal reason) {
    if (conn.released) {
      return;
    }
    release(conn, conn.bytes);
    conn.released = true;
    meters.refused(reason);
    closeLog.log(left -> LOG.atWarn().addKeyValue("remote", String.valueOf(conn.connection.remoteAddress()))
        .addKeyValue("reason", reason.label()).addKeyValue("not_logged_since", left)
        .log("Closing a client connection"));
    // Under the write queue: Vert.x's own close waits behind the very answers this client does not read.
    TcpClose.of(conn.connection).now(conn.connection::close);
  }

  /** The connection is gone: whatever it held is given back, once. */
  private void closed(Conn conn) {
    release(conn, conn.bytes);
    conn.released = true;
    if (open.remove(conn.connection) != null) {
      budget.closeConnection();
    }
  }
}
