package io.churnserving.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * POSTs random valid bodies over HTTP/1.1 keep-alive connections, one request in flight per connection (no
 * pipelining), from one event loop.
 *
 * <p>Each connection is a {@link Lane} that holds its own {@link HttpClientConnection} rather than borrowing from
 * the client's pool for each request: a closed loop means "this connection waits for its answer", and skipping the
 * pool's per-request bookkeeping leaves more of the two shared cores to the server being measured (against the
 * server at 64 connections: 50-55k requests/s this way, 34-48k through a pool, for more client CPU). A lane whose
 * connection fails reconnects, as every {@link ConnectionLane} does.
 *
 * <p>In open loop, lanes with nothing due wait in {@link IdleLanes}; one timer, armed for the moment the next request
 * falls due, hands it to the first idle lane. Requests due while every lane is busy are taken by the next lane to
 * come free, still carrying the time they were due.
 */
final class HttpDriver implements Driver {
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final HttpConnectOptions connectOptions;
  private final RequestOptions requestOptions;
  private final RequestBodies.Cursor bodies;
  private final List<Lane> lanes = new ArrayList<>();
  private final IdleLanes<Lane> idle;

  private Timeline timeline;
  private Pacer pacer;
  private Recorder recorder;

  /**
   * @param connections how many connections this event loop opens
   */
  HttpDriver(Vertx vertx, BenchOptions options, RequestBodies.Cursor bodies, int connections) {
    this.vertx = vertx;
    this.bodies = bodies;
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
        .setTcpNoDelay(true).setConnectTimeout(timeoutMillis));
    this.connectOptions = new HttpConnectOptions().setHost(options.url().getHost()).setPort(options.port())
        .setConnectTimeout(timeoutMillis);
    this.requestOptions = new RequestOptions().setMethod(HttpMethod.POST).setURI(options.requestUri())
        .setIdleTimeout(options.timeout().toMillis())
        .putHeader(HttpHeaders.CONTENT_TYPE, HttpHeaders.createOptimized("application/json"))
        .putHeader(HttpHeaders.createOptimized("X-API-Key"), options.apiKey());
    this.idle = new IdleLanes<>(vertx, connections);
    for (int i = 0; i < connections; i++) {
      lanes.add(new Lane());
    }
  }

  @Override
  public Future<Void> open() {
    return ConnectionLane.openAll(lanes);
  }

  @Override
  public Future<Void> run(Timeline timeline, Pacer pacer, Recorder recorder) {
    this.timeline = timeline;
    this.pacer = pacer;
    idle.start(timeline, pacer);
    this.recorder = recorder;
    ConnectionLane.recordOpen(lanes, recorder);
    for (Lane lane : lanes) {
      lane.pump();
    }
    // Idle lanes have no answer coming to wake them at the end: the timer does.
    idle.armWakeUp();
    return idle.allFinished().eventually(client::close);
  }

  /** One connection and the request it has in flight. */
  private final class Lane extends ConnectionLane<HttpClientConnection> implements IdleLanes.Lane {
    private HttpClientConnection connection;
    private boolean busy;
    private boolean done;

    Lane() {
      super(vertx);
    }

    @Override
    boolean isOpen() {
      return connection != null;
    }

    @Override
    Future<HttpClientConnection> connect() {
      return client.connect(connectOptions);
    }

    @Override
    void reconnected() {
      pump();
    }

    @Override
    void retry() {
      pump();
    }

    @Override
    Recorder recorder() {
      return recorder;
    }

    /** Sends the next request if this lane can and one is due; otherwise waits for what will wake it. */
    void pump() {
      if (done || busy || connecting) {
        return;
      }
      long now = System.nanoTime();
      if (timeline.over(now)) {
        finish();
      } else if (connection == null) {
        reconnect();
      } else {
        long due = pacer.next(now);
        if (due == Pacer.NOTHING_DUE) {
          idle.waitFor(this);
        } else {
          send(due, now);
        }
      }
    }

    @Override
    public void send(long dueNanos, long sentNanos) {
      busy = true;
      HttpClientConnection via = connection;
      via.request(requestOptions)
          .compose(request -> request.send(bodies.next()))
          .compose(response -> response.end().map(v -> response))
          .onComplete(ar -> {
            busy = false;
            long now = System.nanoTime();
            if (ar.succeeded()) {
              HttpClientResponse response = ar.result();
              recorder.answered(response.statusCode(), dueNanos, sentNanos, now);
              // The target will close after this answer; using the connection again would fail on our side.
              if ("close".equalsIgnoreCase(response.getHeader(HttpHeaders.CONNECTION))) {
                drop(via);
              }
            } else {
              recorder.failed(ar.cause(), dueNanos);
              drop(via);
            }
            pump();
          });
    }

    @Override
    void adopt(HttpClientConnection c) {
      connection = c;
      if (recorder != null) {
        recorder.connected();
      }
      c.closeHandler(v -> {
        if (connection != c) {
          return;
        }
        connection = null;
        // A busy lane hears of the close through its failed request; an idle one must reconnect by itself.
        if (!busy && idle.remove(this)) {
          pump();
        }
      });
    }

    private void drop(HttpClientConnection c) {
      if (connection == c) {
        connection = null;
      }
      c.close();
    }

    @Override
    public void finish() {
      if (done) {
        return;
      }
      done = true;
      if (connection != null) {
        HttpClientConnection c = connection;
        connection = null;
        c.close();
      }
      idle.finished();
    }
  }
}
