package io.churnserving.stream;

import com.fasterxml.jackson.databind.util.RawValue;
import io.churnserving.config.ServerConfig;
import io.churnserving.errors.AnswerJson;
import io.churnserving.errors.ClientProblem;
import io.churnserving.errors.Problem;
import io.churnserving.errors.Problems;
import io.churnserving.net.ConnectionLease;
import io.churnserving.net.TcpClose;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.model.Prediction;
import io.churnserving.ratelimit.Decision;
import io.churnserving.ratelimit.RateLimitExceeded;
import io.churnserving.scoring.ScoringException;
import io.churnserving.serving.ModelNotFound;
import io.churnserving.serving.PredictionService;
import io.churnserving.validation.Instance;
import io.churnserving.validation.FieldError;
import io.churnserving.validation.JsonBodyParser;
import io.churnserving.validation.MalformedJsonException;
import io.churnserving.validation.RequestValidationException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to one model, and optionally one version or label of it ({@link Target}). Each text message is {@code {"id": ..., "instance": {...}}} or a JSON array of them (a
 * burst). Each message gets one answer, {@code {"id", "prediction"}} or {@code {"id", "error"}}: a lone message's
 * as soon as it is ready, so answers may come out of order; a burst's together, as one array frame, when the last is
 * ready. Confined to the connection's event loop.
 *
 * <p>Backpressure: once {@code maxInFlight} messages are unanswered, or the socket's write queue is full (a client
 * that does not read its answers), the session stops reading the socket, so TCP pushes back on the client and
 * memory stays bounded; it reads again when half the answers are out and the write queue has drained. Every
 * answer counts, errors too: the queue is checked after each message. A burst counts its items, so one longer than
 * {@code maxInFlight} is refused whole. Pings count as well: Vert.x answers each with a pong at once, read or not,
 * so a ping that finds the write queue full drops the connection.
 *
 * <p>Each message is validated with and scored by the version its stream names, or the model's default version, as
 * served when the message arrives: the version is looked up per message, never held, so a version unloaded while
 * the stream is open answers the messages after it with an error (404, or 503 while the model has no ready
 * version) and the stream stays open; a new default takes the next message.
 *
 * <p>Each message is checked against the keys in force ({@link StreamKey}): a key revoked or stripped of its
 * {@code predict} scope while the stream is open gets its refusal, and the stream closes with 1008.
 *
 * <p>Every close the server starts reads nothing more and completes within {@link #CLOSE_GRACE_MS}, or the TCP
 * connection is closed under it ({@link TcpClose}): behind answers a client does not read, the close frame would
 * never get out, and the connection would hold its queue and the server's drain.
 */
final class StreamSession {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);
  private static final String TRANSPORT = "websocket";
  static final short GOING_AWAY = 1001;
  static final short POLICY_VIOLATION = 1008;
  static final short MESSAGE_TOO_BIG = 1009;
  /** How long a close the server starts may wait for the client's close frame: a reading client needs one RTT. */
  static final long CLOSE_GRACE_MS = 1_000;

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final Target target;
  private final ServerConfig.Stream settings;
  private final String connectionId;
  private final Quota quota;
  private final StreamKey key;
  private final TcpClose tcpClose;
  private final ServingMetrics metrics;
  private int inFlight;
  private boolean paused;
  private ConnectionLease lease = ConnectionLease.NONE;
  private boolean closed;
  private boolean draining;
  private boolean closing;
  private long idleTimer = -1;
  private long closeTimer = -1;

  /**
   * What a stream scores with: a model, and a version or label of it or null for the model's default, looked up
   * among the served models per message, and scored by this event loop's scorer of the version found.
   */
  record Target(PredictionService service, String model, String version) {
    /**
     * @throws ModelNotFound                     when the model, version or label is no longer served
     * @throws ScoringException.ModelUnavailable when the model has no ready version
     */
    PredictionService.Target resolve() {
      return service.target(model, version);
    }
  }

  /** @param metrics the server's meters, for answers no version gave; a version's answers count on its own */
  StreamSession(Vertx vertx, ServerWebSocket ws, Target target, ServerConfig.Stream settings, String connectionId, StreamKey key,
                Quota quota, TcpClose tcpClose, ServingMetrics metrics) {
    this.vertx = vertx;
    this.key = key;
    this.tcpClose = tcpClose;
    this.metrics = metrics;
    this.quota = quota;
    this.connectionId = connectionId;
    this.ws = ws;
    this.target = target;
    this.settings = settings;
  }

  /**
   * @param lease what this connection may hold of the server's budget; given back, and the connection uncounted,
   *              once it closes, whoever closed it
   */
  void start(ConnectionLease lease) {
    this.lease = lease;
    ws.textMessageHandler(this::onMessage);
    // A binary frame is not JSON text: it gets its own 400, like any other bad message, and the stream stays open.
    ws.binaryMessageHandler(b -> {
      if (!closing && !refused()) {
        answer(SINGLE, null, Problems.from(ClientProblem.of(400, "Send messages as text frames of JSON")), null,
            metrics);
        updateFlow();
      }
    });
    ws.frameHandler(this::onFrame);
    ws.drainHandler(v -> updateFlow());
    ws.exceptionHandler(this::onError);
    // Server shutdown: read no more, answer what was taken, then close with 1001 (within the close grace).
    ws.shutdownHandler(v -> {
      draining = true;
      ws.pause();
      closeIfDrained();
    });
    ws.closeHandler(v -> {
      closed = true;
      vertx.cancelTimer(idleTimer);
      vertx.cancelTimer(closeTimer);
      LOG.atDebug().log("stream.closed");
      lease.closed();
    });
    armIdleTimer();
    LOG.atDebug().log("stream.opened");
  }

  /**
   * Vert.x drops a message over {@code maxWebSocketMessageSize} with an exception but leaves the connection open;
   * RFC 6455 says such a message closes it with 1009. The message text is all Vert.x 5.0 offers to tell this case
   * apart; {@code PredictionStreamTest} notices if that changes.
   */
  private void onError(Throwable e) {
    if (e instanceof CorruptedWebSocketFrameException corrupt) {
      // Netty's frame decoder (a frame over the limit: 1009; RSV bits with no extension: 1002) or the UTF-8 check
      // (1007) refused a frame. Vert.x closes the TCP connection as soon as this handler returns; the close frame
      // goes out first, so the client learns why (RFC 6455, 7.4.1).
      LOG.atDebug().addKeyValue("code", corrupt.closeStatus().code()).log("stream.bad_frame");
      closeWith((short) corrupt.closeStatus().code(), reason(corrupt));
    } else if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("max message size")) {
      closeWith(MESSAGE_TOO_BIG, "message larger than " + settings.maxFrameBytes() + " bytes");
    } else {
      LOG.atDebug().setCause(e).log("stream.error");
    }
  }

  /** A close reason fits a control frame's 125 bytes with the status code: keep it short. */
  private static String reason(CorruptedWebSocketFrameException e) {
    String reason = e.closeStatus().reasonText();
    return reason.length() > 120 ? reason.substring(0, 120) : reason;
  }

  /**
   * Sees every frame, pings included. A ping is a sign of life, as a message is (RFC 6455, 5.5.2): it resets the
   * idle timer, so a client that keeps a quiet connection open with pings keeps it. Vert.x has already answered a
   * ping with a pong, whether or not the client reads them; a ping that finds the write queue full comes from a
   * client that pings and does not read, and would have the server queue pongs without end. Its close frame could not get out past the unread pongs: drop it.
   * (While reading is paused, frames wait unread, so a slow client's keep-alive ping never lands here.)
   */
  private void onFrame(WebSocketFrame frame) {
    if (frame.isPing() && !closing) {
      if (writeQueueFull()) {
        LOG.atDebug().log("stream.ping_flood");
        drop();
      } else {
        armIdleTimer();
      }
    }
  }

  private void onMessage(String text) {
    if (closing || refused()) {
      return;
    }
    armIdleTimer();
    Object json;
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      json = JsonBodyParser.parse(bytes);
    } catch (MalformedJsonException e) {
      answer(SINGLE, null, Problems.from(e), null, metrics);
      updateFlow();
      return;
    }
    if (json instanceof List<?> burst && burst.isEmpty()) {
      invalid(SINGLE, null, metrics, List.of(new FieldError(List.of("message"),
          "List should have at least 1 item after validation, not 0", "too_short")));
    } else if (json instanceof List<?> burst && burst.size() > settings.maxInFlight()) {
      // Refused whole, with one answer: its items could not all be in flight at once, and its answers, written as
      // one frame, would be unbounded in size.
      invalid(SINGLE, null, metrics, List.of(new FieldError(List.of("message"), "List should have at most "
          + settings.maxInFlight() + " items after validation, not " + burst.size(), "too_long")));
    } else if (json instanceof List<?> burst) {
      Burst answers = new Burst(burst.size());
      // The second read of the text, for the ids as written, only when some item has an id to echo.
      RawValue[] ids = burst.stream().anyMatch(StreamSession::hasId) ? MessageIds.burst(bytes, burst.size())
          : new RawValue[burst.size()];
      for (int i = 0; i < burst.size(); i++) {
        onItem(burst.get(i), answers, ids[i]);
      }
    } else {
      onItem(json, SINGLE, hasId(json) ? MessageIds.single(bytes) : null);
    }
    updateFlow();
  }

  /**
   * Checks the connection's key against the keys in force. A key revoked or stripped of its scope gets its
   * refusal as the answer (401 or 403), and the stream closes with 1008.
   */
  private boolean refused() {
    Problem refusal = key.refusal();
    if (refusal == null) {
      return false;
    }
    answer(SINGLE, null, refusal, null, metrics);
    closeWith(POLICY_VIOLATION, refusal.status() == 401 ? "API key revoked" : "API key lacks the predict scope");
    return true;
  }

  /**
   * The answers to one burst, written together as one array frame once the last is ready: one frame and one
   * flush for the burst instead of one per message, on both sides of the socket. Their order within the array is
   * the order they became ready.
   */
  private static final class Burst {
    final List<Map<String, Object>> answers;
    final int expected;

    Burst(int expected) {
      this.expected = expected;
      this.answers = new ArrayList<>(expected);
    }
  }

  /** Marks a message that came alone: its answer is written as soon as it is ready. */
  private static final Burst SINGLE = null;

  private static boolean hasId(Object json) {
    return json instanceof Map<?, ?> message
        && (message.get("id") instanceof String || message.get("id") instanceof Number);
  }

  /** @param rawId the item's id as the client wrote it, which its answer echoes; null if it has none */
  private void onItem(Object item, Burst burst, RawValue rawId) {
    if (!(item instanceof Map<?, ?> message)) {
      invalid(burst, null, metrics, List.of(new FieldError(List.of("message"),
          "Input should be a valid dictionary or object to extract fields from", "model_attributes_type")));
      return;
    }
    Object id = message.get("id");
    List<FieldError> errors = new ArrayList<>(0);
    if (!(id instanceof String) && !(id instanceof Number)) {
      errors.add(new FieldError(List.of("id"), id == null ? "Field required" : "Input should be a valid string",
          id == null ? "missing" : "string_type"));
      id = null;
    } else if (rawId != null) {
      id = rawId;
    }
    PredictionService.Target served;
    try {
      served = target.resolve();
    } catch (ModelNotFound | ScoringException.ModelUnavailable e) {
      answer(burst, id, Problems.from(e), null, metrics);
      return;
    }
    ServingMetrics counted = served.metrics();
    for (Object key : message.keySet()) {
      if (!"id".equals(key) && !"instance".equals(key)) {
        errors.add(new FieldError(List.of(key), "Extra inputs are not permitted", "extra_forbidden"));
      }
    }
    Instance instance = null;
    if (!message.containsKey("instance")) {
      errors.add(new FieldError(List.of("instance"), "Field required", "missing"));
    } else {
      instance = served.validator().instance(message.get("instance"), List.of("instance"), errors);
    }
    if (!errors.isEmpty()) {
      invalid(burst, id, counted, errors);
      return;
    }
    Decision allowed = quota.take();
    if (!allowed.allowed()) {
      answer(burst, id, Problems.from(new RateLimitExceeded(allowed)), null, counted);
      return;
    }
    Object messageId = id;
    Instance valid = instance;
    long started = System.nanoTime();
    inFlight++;
    String eventId = connectionId + "/" + (messageId instanceof RawValue raw ? raw.rawValue() : messageId);
    // The service answers, then counts and publishes; a failure is answered here as a problem, and counted.
    target.service().predict(served, TRANSPORT, eventId, valid, served.deadline(Long.MAX_VALUE), started,
            prediction -> answer(burst, messageId, null, prediction, counted))
        .onComplete(ar -> {
          inFlight--;
          if (ar.failed()) {
            answer(burst, messageId, Problems.from(ar.cause()), null, counted);
          }
          updateFlow();
          closeIfDrained();
        });
  }

  private void closeIfDrained() {
    if (draining && inFlight == 0) {
      closeWith(GOING_AWAY, "server shutting down");
    }
  }

  /**
   * Reads nothing more and starts the close handshake; drops the connection at once when the write queue is full
   * (the client is not reading, so the close frame would not get out), or if the close is not done within
   * {@link #CLOSE_GRACE_MS}.
   */
  private void closeWith(short code, String reason) {
    if (closed || closing) {
      return;
    }
    closing = true;
    ws.pause();
    vertx.cancelTimer(idleTimer);
    if (writeQueueFull()) {
      drop();
      return;
    }
    ws.close(code, reason);
    closeTimer = vertx.setTimer(CLOSE_GRACE_MS, id -> {
      if (!closed) {
        LOG.atDebug().addKeyValue("code", code).log("stream.close_timed_out");
        drop();
      }
    });
  }

  private void drop() {
    closing = true;
    tcpClose.now(ws::close);
  }

  /** Vert.x throws once the client's close frame is in; nothing more goes out then, so the queue is not full. */
  private boolean writeQueueFull() {
    try {
      return ws.writeQueueFull();
    } catch (IllegalStateException closedByTheClient) {
      return false;
    }
  }

  private void invalid(Burst burst, Object id, ServingMetrics counted, List<FieldError> errors) {
    answer(burst, id, Problems.from(new RequestValidationException(errors)), null, counted);
  }

  /** @param counted the meters that count this answer: the version's that gave it, else the server's */
  private void answer(Burst burst, Object id, Problem problem, Prediction prediction, ServingMetrics counted) {
    if (closed || closing) {
      // After the close frame nothing may follow it (RFC 6455, 5.5.1).
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>(4);
    body.put("id", id);
    if (problem != null) {
      counted.answered(TRANSPORT, problem.kind(), problem.status(), null);
      body.put("error", problem.withCorrelationId(connectionId));
      LOG.atDebug().addKeyValue("message_id", id).addKeyValue("status", problem.status()).log("stream.refused");
    } else {
      // Counted by the prediction service, with the event it publishes.
      body.put("prediction", prediction);
    }
    if (burst == SINGLE) {
      ws.writeTextMessage(AnswerJson.text(body));
    } else {
      burst.answers.add(body);
      if (burst.answers.size() == burst.expected) {
        ws.writeTextMessage(AnswerJson.text(burst.answers));
      }
    }
  }

  /**
   * What a paused stream may hold: the frames Vert.x keeps while reading is paused (16, its queue's high-water mark)
   * and one socket read, each at most a frame, plus the socket's 64 KiB write buffer.
   */
  private long pausedBytes() {
    return 17L * settings.maxFrameBytes() + (64 << 10);
  }

  private void updateFlow() {
    if (closed || draining || closing) {
      return;
    }
    boolean full = writeQueueFull();
    if (!paused && (full || inFlight >= settings.maxInFlight())) {
      paused = true;
      ws.pause();
      // Paused, the connection holds what it cannot yet send and what arrives before TCP pushes back: charged to
      // the server's budget like an HTTP request's body. A server that cannot hold it closes this connection.
      if (!lease.hold(pausedBytes())) {
        LOG.atDebug().log("stream.closed_for_memory");
        tcpClose.now(ws::close);
      }
    } else if (paused && !full && inFlight <= settings.maxInFlight() / 2) {
      paused = false;
      lease.release(pausedBytes());
      ws.resume();
    }
  }

  private void armIdleTimer() {
    vertx.cancelTimer(idleTimer);
    idleTimer = vertx.setTimer(settings.idleTimeoutMs(), id -> {
      if (inFlight == 0) {
        closeWith(GOING_AWAY, "idle timeout");
      } else {
        armIdleTimer();
      }
    });
  }
}
