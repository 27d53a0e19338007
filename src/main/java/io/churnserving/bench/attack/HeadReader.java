package io.churnserving.bench.attack;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads an HTTP/1.1 answer's head from a raw socket, as bytes arrive: status line and headers up to the blank line.
 * Whatever came after the head in the same read is kept for the caller ({@link #rest()}), e.g. the first WebSocket
 * frames after a 101.
 */
final class HeadReader {
  /** Past this many bytes without a blank line, what came is not an HTTP head. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  private Buffer pending = Buffer.buffer();
  private String head;
  private Buffer rest;

  /** Takes the next bytes; true once the head is complete (or will never be: then {@link #status()} is -1). */
  boolean feed(Buffer data) {
    if (head != null) {
      return true;
    }
    pending.appendBuffer(data);
    String text = pending.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      if (pending.length() > MAX_HEAD_BYTES) {
        head = "";
        rest = Buffer.buffer();
        return true;
      }
      return false;
    }
    head = text.substring(0, end + 2);
    rest = pending.getBuffer(end + 4, pending.length());
    pending = null;
    return true;
  }

  /** The status code, or -1 if the head is not complete or not an HTTP answer. */
  int status() {
    if (head == null || !head.startsWith("HTTP/1.") || head.length() < 12) {
      return -1;
    }
    try {
      return Integer.parseInt(head.substring(9, 12));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Whether the head has a header of this name (case-insensitive). */
  boolean hasHeader(String name) {
    return head != null && head.toLowerCase(Locale.ROOT).contains("\r\n" + name.toLowerCase(Locale.ROOT) + ":");
  }

  /** Bytes that followed the head in the same reads. */
  Buffer rest() {
    return rest;
  }
}
