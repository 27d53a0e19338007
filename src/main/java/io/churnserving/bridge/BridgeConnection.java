package io.churnserving.bridge;

import io.churnserving.bus.PredictConsumerVerticle;
import io.churnserving.metrics.BridgeMeters;
import io.churnserving.net.TcpClose;
import io.churnserving.ratelimit.Decision;
import io.churnserving.ratelimit.RateLimiter;
import io.churnserving.security.ApiKey;
import io.churnserving.security.KeyRing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.HashMap;
import java.util.Map;

/**
 * One bridge client's connection. Reads frames of at most {@code maxFrameBytes}; has each one checked
 * ({@link FrameCheck}: key, scope, address) and takes a token of the key's rate for each send; sends requests on the
 * event bus and writes their answers; delivers the events of the addresses it registered. Every frame the server
 * does not act on gets an {@code err} frame saying why. Confined to the event loop of the bridge's verticle.
 *
 * <p>What a client can make it hold: the frame being read (at most {@code maxFrameBytes}) and one socket read past it;
 * at most {@code maxInFlight} requests unanswered, after which it stops reading; a write queue of
 * {@link #WRITE_QUEUE_BYTES}, past which it stops reading too (so refusals and pongs, which answer reads, are bounded
 * with it) and drops events rather than queue them, saying how many it dropped once the client reads again; one
 * registration per allowed address.
 */
final class BridgeConnection {
  /** Bytes written and not yet taken by the client, past which reading stops and events are dropped. */
  static final int WRITE_QUEUE_BYTES = 64 << 10;

  /** What every connection of one bridge shares. */
  record Context(Vertx vertx, FrameCheck check, KeyRing keys, RateLimiter limiter,
                 int maxFrameBytes, int maxInFlight, long requestTimeoutMs, long drainMs, BridgeMeters meters) {
  }

  private final Context ctx;
  private final NetSocket socket;
  private final Runnable onClosed;
  private final RecordParser parser;
  private final Map<String, Registration> registrations = new HashMap<>();
  private boolean header = true;
  private int inFlight;
  private int registering;
  private boolean draining;
  private boolean closing;
  private boolean closed;
  private long lastFrameNanos = System.nanoTime();

  BridgeConnection(Context ctx, NetSocket socket, Runnable onClosed) {
    this.ctx = ctx;
    this.socket = socket;
    this.onClosed = onClosed;
    socket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    parser = RecordParser.newFixed(4, socket);
    parser.handler(this::record);
    parser.endHandler(v -> close());
    // A client that resets its connection is no server error: it is closed, and the close handler cleans up.
    socket.exceptionHandler(e -> close());
    socket.closeHandler(v -> closed());
    socket.shutdownHandler(v -> shutDown(System.nanoTime() + ctx.drainMs() * 1_000_000));
    socket.drainHandler(v -> {
      registrations.values().forEach(Registration::reportDropped);
      updateReading();
    });
  }

  /** Nanos since the client's last complete frame, or since it connected. */
  long silentNanos(long now) {
    return now - lastFrameNanos;
  }

  int inFlight() {
    return inFlight;
  }

  /**
   * The server is stopping: reads no more frames, lets the requests already sent be answered (until the drain time
   * is up), then closes with a {@code shutting_down} err frame.
   */
  private void shutDown(long giveUpAt) {
    draining = true;
    parser.pause();
    if (inFlight == 0 || System.nanoTime() - giveUpAt > 0) {
      closeWith(Refusal.of(503, "shutting_down", "the server is stopping"));
    } else {
      ctx.vertx().setTimer(10, id -> shutDown(giveUpAt));
    }
  }

  private void record(Buffer record) {
    if (closing) {
      return;
    }
    if (header) {
      int length = record.getInt(0);
      // Checked before a byte of the frame is read, so a client cannot make the server buffer what it announces.
      if (length < 0 || length > ctx.maxFrameBytes()) {
        closeWith(Refusal.of(413, "frame_too_large", "a frame announced " + Integer.toUnsignedString(length)
            + " bytes; the most is " + ctx.maxFrameBytes()));
        return;
      }
      if (length == 0) {
        lastFrameNanos = System.nanoTime();
        refuse(Refusal.of(400, "malformed_frame", "the frame is empty; send a JSON object"), null, null);
        return;
      }
      header = false;
      parser.fixedSizeMode(length);
    } else {
      header = true;
      parser.fixedSizeMode(4);
      lastFrameNanos = System.nanoTime();
      frame(record);
    }
  }

  private void frame(Buffer bytes) {
    FrameCheck.Verdict verdict = ctx.check().check(bytes);
    if (verdict instanceof FrameCheck.Ping) {
      write(Frames.pong());
    } else if (verdict instanceof FrameCheck.Refused r) {
      refuse(r.refusal(), r.address(), r.replyAddress());
    } else if (verdict instanceof FrameCheck.Accepted a) {
      switch (a.type()) {
        case "send" -> request(a.key(), a.target(), a.replyAddress(), a.headers(), a.body());
        case "register" -> register(a.target(), a.digest());
        default -> unregister(a.target().address());
      }
    }
  }

  private void request(ApiKey key, BridgeAddress to, String replyTo, JsonObject headers, Object body) {
    Decision decision = ctx.limiter().take(key);
    if (!decision.allowed()) {
      refuse(new Refusal(429, "rate_limited", "the key '" + key.name() + "' is over its rate limit; retry after "
          + decision.retryAfterSeconds() + " s", decision.retryAfterSeconds()), to.address(), replyTo);
      return;
    }
    // Only the correlation ID goes on: the key stays here, and the library's other headers (timeout, localOnly,
    // codecName) would let a client choose how long the server waits or which codec reads its body.
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(ctx.requestTimeoutMs());
    if (headers.getValue(PredictConsumerVerticle.CORRELATION_HEADER) instanceof String id) {
      options.addHeader(PredictConsumerVerticle.CORRELATION_HEADER, id);
    }
    inFlight++;
    updateReading();
    ctx.vertx().eventBus().request(to.address(), body, options).onComplete(ar -> {
      inFlight--;
      if (ar.succeeded()) {
        Message<Object> answer = ar.result();
        write(Frames.message(replyTo, answer.headers(), true, answer.body()));
      } else {
        ReplyException failure = ar.cause() instanceof ReplyException r ? r
            : new ReplyException(ReplyFailure.ERROR, ar.cause().getMessage());
        write(Frames.failure(to.address(), replyTo, failure));
      }
      updateReading();
    });
  }

  private void register(BridgeAddress to, byte[] digest) {
    if (registrations.containsKey(to.address())) {
      refuse(Refusal.of(409, "already_registered", "this connection is already registered to " + to.address()),
          to.address(), null);
      return;
    }
    Registration registration = new Registration(to, digest);
    registrations.put(to.address(), registration);
    // Nothing more is read until the consumer is in place, so a frame after the register (a ping) is answered only
    // once events flow: a client can tell when it is registered.
    registering++;
    updateReading();
    registration.consumer.completion().onComplete(ar -> {
      registering--;
      updateReading();
    });
  }

  private void unregister(String address) {
    Registration registration = registrations.remove(address);
    if (registration == null) {
      refuse(Refusal.of(404, "unknown_address", "this connection is not registered to " + address), address, null);
      return;
    }
    registration.consumer.unregister();
  }

  private void refuse(Refusal refusal, String address, String replyAddress) {
    ctx.meters().refused(refusal.code());
    write(Frames.refusal(refusal, address, replyAddress));
  }

  private void write(Buffer frame) {
    if (closed) {
      return;
    }
    socket.write(frame);
    updateReading();
  }

  /** Reads while the client takes what it is sent, has fewer than the most requests open, and no register waits. */
  private void updateReading() {
    if (closing || draining) {
      return;
    }
    if (socket.writeQueueFull() || inFlight >= ctx.maxInFlight() || registering > 0) {
      parser.pause();
    } else {
      parser.resume();
    }
  }

  /**
   * Writes the refusal, then closes. A client that does not read would keep the close behind its unread frames for
   * ever, so the TCP connection is closed under the write queue once the refusal is written, or at once when the
   * queue is full.
   */
  void closeWith(Refusal refusal) {
    if (closing) {
      return;
    }
    closing = true;
    parser.pause();
    ctx.meters().refused(refusal.code());
    TcpClose tcp = TcpClose.of(socket);
    if (socket.writeQueueFull()) {
      tcp.now(socket::close);
      return;
    }
    socket.write(Frames.refusal(refusal, null, null)).onComplete(ar -> tcp.now(socket::close));
  }

  private void close() {
    closing = true;
    TcpClose.of(socket).now(socket::close);
  }

  private void closed() {
    closing = true;
    closed = true;
    registrations.values().forEach(r -> r.consumer.unregister());
    registrations.clear();
    onClosed.run();
  }

  /** One registered address; its key is checked again whenever the key ring changed. */
  private final class Registration {
    private final BridgeAddress address;
    private final byte[] digest;
    private final MessageConsumer<Object> consumer;
    private long checkedGeneration;
    private long dropped;

    Registration(BridgeAddress address, byte[] digest) {
      this.address = address;
      this.digest = digest;
      this.checkedGeneration = ctx.keys().generation();
      this.consumer = ctx.vertx().eventBus().consumer(address.address(), this::deliver);
    }

    private void deliver(Message<Object> event) {
      // An event already on its way when the client unregistered is not delivered after the unregister.
      if (closing || registrations.get(address.address()) != this) {
        return;
      }
      if (!stillAllowed()) {
        return;
      }
      if (socket.writeQueueFull()) {
        // Queued, events for a client that does not read would grow without bound; dropped, they are counted and
        // the client told once it reads again.
        dropped++;
        ctx.meters().dropped();
        return;
      }
      reportDropped();
      write(Frames.message(address.address(), event.headers(), false, event.body()));
    }

    /** The key in force still has the scope; otherwise the registration ends, with an err frame saying why. */
    private boolean stillAllowed() {
      long generation = ctx.keys().generation();
      if (generation == checkedGeneration) {
        return true;
      }
      ApiKey key = ctx.keys().current().findDigest(digest);
      if (key != null && key.allows(address.scope())) {
        checkedGeneration = generation;
        return true;
      }
      registrations.remove(address.address());
      consumer.unregister();
      refuse(key == null ? Refusal.of(401, "unauthorized", "the API key was revoked; the registration to "
              + address.address() + " ended")
          : Refusal.of(403, "forbidden", "the key '" + key.name() + "' lost the '" + address.scope().label()
              + "' scope; the registration to " + address.address() + " ended"), address.address(), null);
      return false;
    }

    void reportDropped() {
      if (dropped > 0 && !socket.writeQueueFull()) {
        refuse(Refusal.of(503, "slow_consumer", dropped + " events of " + address.address() + " were dropped while "
            + "the connection did not read"), address.address(), null);
        dropped = 0;
      }
    }
  }
}
