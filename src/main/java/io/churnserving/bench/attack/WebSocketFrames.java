package io.churnserving.bench.attack;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * WebSocket frames made by hand (RFC 6455), so an attack can send what no WebSocket library would: pings in bulk, a
 * compressed frame the server never agreed to, a close straight after the messages. Client frames are masked, as a
 * server must require; the mask is fixed, since nothing here is secret.
 */
final class WebSocketFrames {
  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  /** The stream endpoint every WebSocket attack opens. */
  static final String PATH = "/v1/models/churn/stream";
  private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

  private WebSocketFrames() {
  }

  /**
   * The upgrade request for the stream, with the key and any extra header lines (each ending in CRLF). The
   * {@code Sec-WebSocket-Key} is RFC 6455's sample nonce: the server's accept value is not checked here.
   */
  static Buffer upgrade(String host, int port, String apiKey, String extraHeaders) {
    return Buffer.buffer("GET " + PATH + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\nX-API-Key: " + apiKey + "\r\n" + extraHeaders + "\r\n",
        StandardCharsets.ISO_8859_1.name());
  }

  /** One final, masked frame; {@code rsv1} marks it compressed (RFC 7692). */
  static Buffer frame(int opcode, boolean rsv1, byte[] payload) {
    Buffer f = Buffer.buffer(payload.length + 14);
    f.appendByte((byte) (0x80 | (rsv1 ? 0x40 : 0) | opcode));
    if (payload.length < 126) {
      f.appendByte((byte) (0x80 | payload.length));
    } else if (payload.length <= 0xffff) {
      f.appendByte((byte) (0x80 | 126)).appendUnsignedShort(payload.length);
    } else {
      f.appendByte((byte) (0x80 | 127)).appendLong(payload.length);
    }
    f.appendBytes(MASK);
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ MASK[i & 3]);
    }
    return f.appendBytes(masked);
  }

  static Buffer text(String message) {
    return frame(TEXT, false, message.getBytes(StandardCharsets.UTF_8));
  }

  /** A close frame with this status code and no reason. */
  static Buffer close(int code) {
    return frame(CLOSE, false, new byte[] {(byte) (code >>> 8), (byte) code});
  }

  /** The same frame {@code times} times over, to write in one go. */
  static Buffer repeat(Buffer frame, int times) {
    Buffer all = Buffer.buffer(frame.length() * times);
    for (int i = 0; i < times; i++) {
      all.appendBuffer(frame);
    }
    return all;
  }
}
