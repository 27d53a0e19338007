package io.churnserving.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends random valid instances as messages on the WebSocket stream, {@code {"id": "17", "instance": {...}}}, or
 * {@code --burst} of them as one JSON array per frame, from one event loop. Each connection is a {@link Lane} that
 * keeps up to {@code --in-flight} messages unanswered; answers come back in any order and are matched to their
 * message by id, so latency is recorded per message.
 *
 * <p>Connected lanes with room for a frame wait in {@link #ready}. Sending takes due times from the pacer into
 * {@link #frameDue}; a frame leaves on the first ready lane once it holds {@code --burst} messages. In closed loop
 * every message is due at once, so each lane's window is refilled as soon as a frame's worth of answers is back. In
 * open loop a frame leaves when its last message falls due, and every message's latency counts from its own due
 * time, so the wait for a burst to fill is measured, not hidden. One timer wakes the driver for the next due
 * message, or for the end.
 *
 * <p>A connection that closes fails its unanswered messages (recorded as no answer) and is reopened; a refused one
 * is retried every {@link ConnectionLane#RECONNECT_DELAY_MS} ms. A periodic sweep counts messages unanswered after
 * {@code --timeout} as timeouts and frees their place in the window.
 */
final class WebSocketDriver implements Driver {
  /** The sweep runs this often relative to the timeout, within these bounds: prompt for short timeouts, cheap. */
  private static final int SWEEPS_PER_TIMEOUT = 10;
  private static final long MIN_SWEEP_MS = 10;
  private static final long MAX_SWEEP_MS = 1000;
  /** A churn message is about 130 characters of instance and 30 of envelope; a hint, the builder grows. */
  private static final int APPROX_MESSAGE_CHARS = 170;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final WebSocketConnectOptions connectOptions;
  private final RequestBodies.Cursor bodies;
  private final int window;
  private final int burst;
  private final long timeoutNanos;
  private final long sweepMillis;
  private final List<Lane> lanes = new ArrayList<>();
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  /** Due times of the frame being filled; its messages leave together. */
  private final long[] frameDue;
  private final Promise<Void> allFinished = Promise.promise();
  private final WakeUp wakeUp;

  private int frameSize;
  private Timeline timeline;
  private Pacer pacer;
  private Recorder recorder;
  private long sweeper = -1;
  /** Ids are unique on this loop; digits only, which {@link StreamAnswer} reads without parsing JSON. */
  private long nextId;
  private boolean sendingOver;
  private int finished;

  /**
   * @param connections how many connections this event loop opens
   */
  WebSocketDriver(Vertx vertx, BenchOptions options, RequestBodies.Cursor bodies, int connections) {
    this.vertx = vertx;
    this.bodies = bodies;
    this.wakeUp = new WakeUp(vertx, this::pump);
    this.window = options.inFlight();
    this.burst = options.burst();
    this.frameDue = new long[burst];
    this.timeoutNanos = options.timeout().toNanos();
    this.sweepMillis = Math.max(MIN_SWEEP_MS, Math.min(MAX_SWEEP_MS,
        options.timeout().toMillis() / SWEEPS_PER_TIMEOUT));
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
    // The client queues connections beyond its per-host limit (50 by default): each lane needs its own, now.
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(connections)
        .setTcpNoDelay(true).setConnectTimeout(timeoutMillis));
    this.connectOptions = new WebSocketConnectOptions().setHost(options.url().getHost()).setPort(options.port())
        .setURI(options.requestUri()).setConnectTimeout(timeoutMillis).setTimeout(timeoutMillis);
    if (!options.keyInUrl()) {
      connectOptions.putHeader("X-API-Key", options.apiKey());
    }
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
    this.recorder = recorder;
    ConnectionLane.recordOpen(lanes, recorder);
    sweeper = vertx.setPeriodic(sweepMillis, id -> sweep());
    for (Lane lane : lanes) {
      lane.settle();
    }
    pump();
    return allFinished.future().eventually(client::close);
  }

  /** Sends every frame that is due and has a lane with room; at the end, stops sending and settles the lanes. */
  private void pump() {
    long now = System.nanoTime();
    if (timeline.over(now)) {
      endSending();
      return;
    }
    while (!ready.isEmpty()) {
      Lane lane = ready.peek();
      if (!lane.hasRoom()) {
        ready.poll().queued = false;
        continue;
      }
      while (frameSize < burst) {
        long due = pacer.next(now);
        if (due == Pacer.NOTHING_DUE) {
          break;
        }
        frameDue[frameSize++] = due;
      }
      if (frameSize < burst) {
        break;
      }
      lane.send(frameDue, frameSize, now);
      frameSize = 0;
    }
    armWakeUp();
  }

  /** Arms the timer for the next due message or the end, whichever comes first, unless it is armed earlier. */
  private void armWakeUp() {
    wakeUp.armAt(ready.isEmpty() ? timeline.endNanos() : Math.min(pacer.nextDueNanos(), timeline.endNanos()));
  }

  /** Once: sends what is left of a part-filled frame, then lets each lane finish when its answers are in. */
  private void endSending() {
    if (sendingOver) {
      return;
    }
    sendingOver = true;
    wakeUp.cancel();
    if (frameSize > 0) {
      // Those messages were taken from the schedule, so they were sent as far as the pacer knows: the last frame of
      // an open-loop run may be short rather than lost.
      Lane open = lanes.stream().filter(l -> l.ws != null).findFirst().orElse(null);
      if (open != null) {
        open.send(frameDue, frameSize, System.nanoTime());
      } else {
        for (int i = 0; i < frameSize; i++) {
          recorder.failed(new HttpClosedException("no open connection at the end of the run"), frameDue[i]);
        }
      }
      frameSize = 0;
    }
    ready.clear();
    for (Lane lane : lanes) {
      lane.queued = false;
      lane.settle();
    }
  }

  /** Counts messages unanswered for longer than the timeout as timeouts, which frees their place. */
  private void sweep() {
    long now = System.nanoTime();
    for (Lane lane : lanes) {
      lane.expire(now);
    }
    if (!sendingOver) {
      pump();
    }
  }

  private void laneFinished() {
    if (++finished == lanes.size()) {
      vertx.cancelTimer(sweeper);
      allFinished.complete();
    }
  }

  /** One connection and its unanswered messages, oldest first. */
  private final class Lane extends ConnectionLane<WebSocket> {
    private final Unanswered outstanding = new Unanswered();
    private WebSocket ws;
    /** What broke the connection, so its close is counted as a reset rather than a plain close. */
    private Throwable lastError;
    private boolean queued;
    private boolean done;

    Lane() {
      super(vertx);
    }

    @Override
    boolean isOpen() {
      return ws != null;
    }

    @Override
    Future<WebSocket> connect() {
      return client.connect(connectOptions);
    }

    @Override
    void reconnected() {
      settle();
      if (!sendingOver) {
        pump();
      }
    }

    @Override
    void retry() {
      settle();
    }

    @Override
    Recorder recorder() {
      return recorder;
    }

    boolean hasRoom() {
      return ws != null && !done && outstanding.size() + burst <= window;
    }

    /** Puts the lane where its state says: ready to send, reconnecting, waiting for answers, or finished. */
    void settle() {
      if (done || connecting) {
        return;
      }
      if (sendingOver) {
        if (ws == null || outstanding.isEmpty()) {
          finish();
        }
      } else if (ws == null) {
        reconnect();
      } else if (!queued && hasRoom()) {
        queued = true;
        ready.add(this);
      }
    }

    void send(long[] due, int count, long sentNanos) {
      StringBuilder frame = new StringBuilder(count * APPROX_MESSAGE_CHARS + 2);
      if (count > 1) {
        frame.append('[');
      }
      for (int i = 0; i < count; i++) {
        long id = nextId++;
        outstanding.sent(id, due[i], sentNanos);
        frame.append(i == 0 ? "{\"id\":\"" : ",{\"id\":\"").append(id).append("\",\"instance\":")
            .append(bodies.nextInstance()).append('}');
      }
      if (count > 1) {
        frame.append(']');
      }
      // A failed write shows up as the connection's close, which fails what is outstanding.
      ws.writeTextMessage(frame.toString());
    }

    private void onAnswer(WebSocket from, String text) {
      if (from != ws) {
        return;
      }
      long now = System.nanoTime();
      // StreamAnswer.NO_ID is negative: an answer without an id is counted as unknown.
      StreamAnswer.readAll(text, answer -> outstanding.answered(answer.id(), answer.status(), now, recorder));
      settle();
      if (queued && !sendingOver) {
        pump();
      }
    }

    void expire(long now) {
      outstanding.expire(now, timeoutNanos, recorder);
      settle();
    }

    @Override
    void adopt(WebSocket w) {
      ws = w;
      lastError = null;
      if (recorder != null) {
        recorder.connected();
      }
      w.textMessageHandler(text -> onAnswer(w, text));
      w.exceptionHandler(e -> {
        if (ws == w) {
          lastError = e;
        }
      });
      w.closeHandler(v -> closed(w));
    }

    private void closed(WebSocket w) {
      if (ws != w) {
        return;
      }
      ws = null;
      if (recorder == null) {
        // Closed between open() and run(): nothing was sent, and run() reconnects it.
        return;
      }
      Throwable cause = lastError != null ? lastError : new HttpClosedException("WebSocket closed by the target");
      outstanding.failAll(cause, recorder);
      settle();
    }

    void finish() {
      if (done) {
        return;
      }
      done = true;
      if (ws != null) {
        WebSocket w = ws;
        ws = null;
        w.close();
      }
      laneFinished();
    }
  }
}
