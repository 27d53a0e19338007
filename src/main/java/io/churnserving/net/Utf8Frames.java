package io.churnserving.net;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Makes a WebSocket connection refuse text that is not UTF-8 (RFC 6455, 8.1). Vert.x decodes text frames leniently,
 * replacing each bad byte with U+FFFD, so two different ids could arrive as one. Netty's validator, put behind the
 * frame decoder, fails such a frame with a {@code CorruptedWebSocketFrameException} carrying 1007, which the
 * connection's exception handler turns into the close; it checks a message split over fragments as one.
 *
 * <p>Like {@link TcpClose}, this needs the Netty channel, hence Vert.x's implementation class; if that stops being
 * one, text is decoded leniently again, and {@code StreamWireTest} fails.
 */
public final class Utf8Frames {
  /** The name Netty's handshaker gives the frame decoder. */
  private static final String DECODER = "wsdecoder";

  private Utf8Frames() {
  }

  /** For a connection just upgraded; call it on the connection's event loop, before any frame is read. */
  public static void validate(HttpConnection upgraded) {
    if (upgraded instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get(DECODER) != null && pipeline.get(Utf8FrameValidator.class) == null) {
        pipeline.addAfter(DECODER, "utf8", new Utf8FrameValidator(false));
      }
    }
  }
}
