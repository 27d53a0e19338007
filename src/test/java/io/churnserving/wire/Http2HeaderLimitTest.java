package io.churnserving.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A header list over {@code HTTP_MAX_HEADER_BYTES} on HTTP/2, from a hand-written client (a conforming one refuses to
 * send it, since the server announces the limit): Netty's HPACK decoder answers that stream alone with 431 before
 * any of the server's handlers runs, so without a problem body, as README says, and the connection serves on.
 */
class Http2HeaderLimitTest {
  private static final int HEADERS = 1;
  private static final int SETTINGS = 4;
  private static final int GOAWAY = 7;
  private static final int END_STREAM = 1;
  private static final int END_HEADERS = 4;
  private static final int PADDED = 8;
  private static final int PRIORITY = 0x20;

  @Test
  void aHeaderListOverTheLimitIsRefusedOnItsStreamAndTheConnectionServesOn() throws Exception {
    try (TestServer server = TestServer.start("HTTP_MAX_HEADER_BYTES", "8192");
         Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      frame(out, SETTINGS, 0, 0, new byte[0]);
      frame(out, HEADERS, END_STREAM | END_HEADERS, 1, block(encoder, 1, request("/health/live")
          .add("x-padding", "x".repeat(9000))));
      frame(out, HEADERS, END_STREAM | END_HEADERS, 3, block(encoder, 3, request("/health/live")));
      out.flush();

      DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
      String first = null;
      String second = null;
      while (first == null || second == null) {
        int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = in.readNBytes(length);
        assertThat(type).as("no GOAWAY: the connection stays open").isNotEqualTo(GOAWAY);
        if (type == SETTINGS && (flags & 1) == 0) {
          frame(out, SETTINGS, 1, 0, new byte[0]); // acknowledged, as a client must
        } else if (type == HEADERS) {
          String status = String.valueOf(decoder.decodeHeaders(stream, fragment(flags, payload)).status());
          if (stream == 1) {
            first = status;
            assertThat(flags & END_STREAM).as("the 431 has no body").isEqualTo(END_STREAM);
          } else if (stream == 3) {
            second = status;
          }
        }
      }
      assertThat(first).isEqualTo("431");
      assertThat(second).isEqualTo("200");
    }
  }

  /** The header block fragment of a HEADERS frame: after its pad length and priority, before its padding. */
  private static ByteBuf fragment(int flags, byte[] payload) {
    int start = 0;
    int padding = 0;
    if ((flags & PADDED) != 0) {
      padding = payload[0] & 0xff;
      start = 1;
    }
    if ((flags & PRIORITY) != 0) {
      start += 5;
    }
    return Unpooled.wrappedBuffer(payload, start, payload.length - start - padding);
  }

  private static Http2Headers request(String path) {
    return new DefaultHttp2Headers().method("GET").scheme("http").path(path).authority("127.0.0.1");
  }

  private static byte[] block(DefaultHttp2HeadersEncoder encoder, int stream, Http2Headers headers)
      throws Exception {
    ByteBuf buffer = Unpooled.buffer();
    encoder.encodeHeaders(stream, headers, buffer);
    return ByteBufUtil.getBytes(buffer);
  }

  private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
    out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
        (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
        (byte) stream});
    out.write(payload);
    out.flush();
  }
}
