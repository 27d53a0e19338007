package io.churnserving.bench.attack;

import io.vertx.core.buffer.Buffer;

/**
 * Splits what a WebSocket server sends into frames, as bytes arrive, and hands each frame's opcode and payload to a
 * listener. Server frames are never masked (RFC 6455, 5.1), and fragments are passed on as they come.
 */
final class ServerFrames {
  /** Told of each whole frame. */
  interface Listener {
    void frame(int opcode, Buffer payload);
  }

  private final Listener listener;
  private Buffer pending = Buffer.buffer();

  ServerFrames(Listener listener) {
    this.listener = listener;
  }

  void feed(Buffer data) {
    pending.appendBuffer(data);
    int at = 0;
    while (pending.length() - at >= 2) {
      int opcode = pending.getByte(at) & 0x0f;
      int length7 = pending.getByte(at + 1) & 0x7f;
      int header = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
      if (pending.length() - at < header) {
        break;
      }
      long length = length7 == 126 ? pending.getUnsignedShort(at + 2) : length7 == 127 ? pending.getLong(at + 2)
          : length7;
      if (pending.length() - at - header < length) {
        break;
      }
      listener.frame(opcode, pending.getBuffer(at + header, at + header + (int) length));
      at += header + (int) length;
    }
    pending = pending.getBuffer(at, pending.length());
  }

  /** The status code of a close frame's payload, or 1005 (none given) when it has none. */
  static int closeCode(Buffer payload) {
    return payload.length() >= 2 ? payload.getUnsignedShort(0) : 1005;
  }
}
