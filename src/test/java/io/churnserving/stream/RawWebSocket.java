package io.churnserving.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket client written by hand on a blocking socket, for the clients no library would be: it sends frames of
 * its own making (pings in bulk, a compressed frame without the extension) and reads nothing unless told to, so
 * everything the server answers piles up behind it. Its writes block once the server stops reading.
 */
final class RawWebSocket implements AutoCloseable {
  static final int TEXT = 1;
  static final int PING = 9;
  private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String handshake;
  private final AtomicLong written = new AtomicLong();

  private RawWebSocket(Socket socket, String handshake) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
    this.handshake = handshake;
  }

  /**
   * Opens the stream with this key, plus any extra header lines (each ending in CRLF); the handshake answer must be
   * 101. Reads the answer's head and nothing more.
   */
  static RawWebSocket open(int port, String key, String extraHeaders) throws IOException {
    Socket socket = new Socket();
    // Small buffers on the client's side, so what it does not read backs up to the server soon rather than after
    // the tens of megabytes Linux's buffer autotuning allows on loopback.
    socket.setReceiveBufferSize(64 * 1024);
    socket.setSendBufferSize(64 * 1024);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(30_000);
    socket.getOutputStream().write(("GET " + PredictionStreamTest.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\nX-API-Key: " + key + "\r\n" + extraHeaders + "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during the handshake: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("handshake refused: " + text);
    }
    return new RawWebSocket(socket, text);
  }

  static RawWebSocket open(int port, String key) throws IOException {
    return open(port, key, "");
  }

  /** The server's handshake answer: status line and headers. */
  String handshake() {
    return handshake;
  }

  /** One final frame as a client must send it, masked; {@code rsv1} marks it compressed (RFC 7692). */
  static byte[] frame(int opcode, boolean rsv1, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write(0x80 | (rsv1 ? 0x40 : 0) | opcode);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length <= 0xffff) {
      f.write(0x80 | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    f.writeBytes(MASK);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ MASK[i & 3]);
    }
    return f.toByteArray();
  }

  static byte[] text(String message) {
    return frame(TEXT, false, message.getBytes(StandardCharsets.UTF_8));
  }

  /** The same frame {@code times} times over, to write in one go. */
  static byte[] repeat(byte[] frame, int times) {
    byte[] all = new byte[frame.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(frame, 0, all, i * frame.length, frame.length);
    }
    return all;
  }

  /** Writes; blocks while the server is not reading; throws once the server has closed the connection. */
  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    written.addAndGet(bytes.length);
  }

  /** Bytes written so far; it stops moving when the server stops reading. */
  long written() {
    return written.get();
  }

  /**
   * Reads (and drops) whatever the server sent until it closes the connection: true once it has (end of stream, or
   * a reset), false if the connection is still open after 30 s without a byte.
   */
  boolean closedByServer() {
    byte[] buffer = new byte[64 * 1024];
    try {
      while (in.read(buffer) >= 0) {
        // drop it
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** A frame the server sent: its opcode, its RSV bits and its payload. */
  record Frame(int opcode, byte[] payload) {
    /** The status code of a close frame. */
    int closeCode() {
      return payload.length < 2 ? -1 : (payload[0] & 0xff) << 8 | payload[1] & 0xff;
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** Reads the next frame the server sends (unmasked, as a server's are); null once the connection is closed. */
  Frame readFrame() throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    int b1 = readByte();
    long length = b1 & 0x7f;
    if (length == 126) {
      length = (long) readByte() << 8 | readByte();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = length << 8 | readByte();
      }
    }
    return new Frame(b0 & 0x0f, in.readNBytes((int) length));
  }

  /** Reads frames until a close frame, and gives it; null if the connection closed without one. */
  Frame readUntilClose() throws IOException {
    for (Frame frame; (frame = readFrame()) != null; ) {
      if (frame.opcode() == 8) {
        return frame;
      }
    }
    return null;
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new IOException("closed mid-frame");
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
