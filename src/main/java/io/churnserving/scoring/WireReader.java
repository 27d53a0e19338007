package io.churnserving.scoring;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the scoring messages' wire form, checking every length against what is left of the buffer before it
 * allocates, so a truncated or garbled message fails at once with an {@link IllegalArgumentException} naming the
 * field, rather than reading past the end or allocating gigabytes for a length that was never written.
 */
final class WireReader {
  private final Buffer buffer;
  private final String message;
  private int pos;

  WireReader(Buffer buffer, int pos, String message) {
    this.buffer = buffer;
    this.pos = pos;
    this.message = message;
  }

  /** Reads the leading format version and refuses any other than {@code expected}. */
  void version(byte expected) {
    byte v = readByte("version");
    if (v != expected) {
      throw fail("format version " + v + ", expected " + expected);
    }
  }

  byte readByte(String field) {
    need(1, field);
    return buffer.getByte(pos++);
  }

  int readInt(String field) {
    need(4, field);
    int v = buffer.getInt(pos);
    pos += 4;
    return v;
  }

  /** An int that counts something: not negative. */
  int readCount(String field) {
    int v = readInt(field);
    if (v < 0) {
      throw fail(field + " is negative (" + v + ")");
    }
    return v;
  }

  long readLong(String field) {
    need(8, field);
    long v = buffer.getLong(pos);
    pos += 8;
    return v;
  }

  float[] readFloats(long count, String field) {
    needEach(count, Float.BYTES, field);
    float[] out = new float[(int) count];
    for (int i = 0; i < out.length; i++, pos += 4) {
      out[i] = buffer.getFloat(pos);
    }
    return out;
  }

  byte[] readBytes(int count, String field) {
    need(count, field);
    byte[] out = buffer.getBytes(pos, pos + count);
    pos += count;
    return out;
  }

  /** A string written by {@link #writeString}: its UTF-8 length ({@code -1} for null), then its bytes. */
  String readString(String field) {
    int length = readInt(field + " length");
    if (length == -1) {
      return null;
    }
    if (length < 0) {
      throw fail(field + " length is negative (" + length + ")");
    }
    return new String(readBytes(length, field), StandardCharsets.UTF_8);
  }

  /** Fails unless {@code elements} items of {@code size} bytes each are left; before anything is allocated. */
  void needEach(long elements, int size, String field) {
    long left = (long) buffer.length() - pos;
    // Divided rather than multiplied: rows x columns from a garbled message can overflow a long once multiplied.
    if (elements > Math.max(0, left) / size) {
      throw fail("truncated at " + field + ": needs " + elements + " x " + size + " bytes, " + Math.max(0, left)
          + " left");
    }
  }

  static void writeString(Buffer buffer, String s) {
    if (s == null) {
      buffer.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  private void need(long bytes, String field) {
    long left = (long) buffer.length() - pos;
    if (bytes > left) {
      throw fail("truncated at " + field + ": needs " + bytes + " bytes, " + Math.max(0, left) + " left");
    }
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException(message + " on the wire: " + why);
  }
}
