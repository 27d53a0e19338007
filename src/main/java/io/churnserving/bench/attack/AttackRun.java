package io.churnserving.bench.attack;

import io.churnserving.bench.SchemaFile;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every attack of one run shares: the Vert.x instance its clients live on, the options, the counts, and
 * whether the run is still on. Once {@link #stop()} is called nothing reconnects or reopens, and closes are no
 * longer counted as the server's doing.
 */
final class AttackRun {
  /** A refused connection is tried again after this, so a closed port never becomes a busy loop. */
  static final long RETRY_MS = 100;
  /** How long a connect may take. */
  static final int CONNECT_TIMEOUT_MS = 10_000;

  final Vertx vertx;
  final AttackOptions options;
  final AttackCounts counts;
  private final RequestValidator schema;
  private final List<Supplier<Future<Void>>> clients = new CopyOnWriteArrayList<>();
  private volatile boolean stopping;

  /** @param schema {@code options.schema()} read, for the attacks that send valid instances; else null */
  AttackRun(Vertx vertx, AttackOptions options, AttackCounts counts, RequestValidator schema) {
    this.vertx = vertx;
    this.options = options;
    this.counts = counts;
    this.schema = schema;
  }

  /** For the run's options: the schema is read only when the attack sends valid instances. */
  static RequestValidator schemaFor(AttackOptions options) {
    return options.kind().sendsValidInstances() ? SchemaFile.read(options.schema()) : null;
  }

  /**
   * The schema the attack's valid instances are drawn from.
   *
   * @throws IllegalStateException for an attack that sends no valid instances, for which it was not read
   */
  RequestValidator schema() {
    if (schema == null) {
      throw new IllegalStateException(options.kind().label + " sends no valid instances; no schema was read");
    }
    return schema;
  }

  boolean running() {
    return !stopping;
  }

  void stop() {
    stopping = true;
  }

  /** Runs {@code action} after {@code millis}, on the caller's event loop, unless the run has stopped by then. */
  void later(long millis, Runnable action) {
    vertx.setTimer(Math.max(1, millis), id -> {
      if (running()) {
        action.run();
      }
    });
  }

  /**
   * A client for raw TCP connections. A small {@code receiveBufferBytes} makes what the attack does not read back up
   * to the server at once, instead of after the megabytes Linux's buffer autotuning allows on loopback.
   */
  NetClient netClient(int receiveBufferBytes) {
    NetClientOptions options = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(CONNECT_TIMEOUT_MS);
    if (receiveBufferBytes > 0) {
      options.setReceiveBufferSize(receiveBufferBytes);
    }
    NetClient client = vertx.createNetClient(options);
    clients.add(client::close);
    return client;
  }

  /** Starts {@code count} lanes of raw connections, on one client. */
  void startLanes(int count, Function<NetClient, RawLane> lane) {
    NetClient client = netClient(0);
    for (int i = 0; i < count; i++) {
      lane.apply(client).start();
    }
  }

  /** For an HTTP client's connect handler: counts each connection, and each the server closes while the run goes on. */
  void counted(HttpConnection connection) {
    counts.add(AttackCounts.CONNECTIONS);
    // Failures reach the requests on the connection, which count them; unhandled, Vert.x logs each one.
    connection.exceptionHandler(e -> { });
    connection.closeHandler(v -> {
      if (running()) {
        counts.add(AttackCounts.CLOSED_BY_SERVER);
      }
    });
  }

  /** An HTTP client the attack made, to be closed at once when the run is closed. */
  <C extends HttpClient> C track(C client) {
    clients.add(client::close);
    return client;
  }

  /**
   * Stops the run and closes every client it made at once. Left to {@code Vertx.close()}, HTTP clients would wait
   * up to 30 s for streams the server never finishes, and raw sockets for writes a server that stopped reading
   * never takes.
   */
  Future<Void> close() {
    stop();
    return Future.join(clients.stream().map(Supplier::get).toList()).mapEmpty();
  }
}
