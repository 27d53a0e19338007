package io.churnserving.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 written by hand on a socket, for requests no client library would send. */
final class RawHttp {
  private RawHttp() {
  }

  /** What the server wrote, and whether it closed the connection after it (rather than leaving it open). */
  record Answer(String text, boolean closed) {
    String statusLine() {
      return text.lines().findFirst().orElse("");
    }

    String body() {
      int start = text.indexOf("\r\n\r\n");
      return start < 0 ? "" : text.substring(start + 4);
    }

    /** The value of a header of the answer, or null. */
    String header(String name) {
      for (String line : text.substring(0, Math.max(0, text.indexOf("\r\n\r\n"))).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  /** Sends these bytes on a new connection and reads until the server closes it, or 5 s pass without a byte. */
  static Answer send(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          read.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException stillOpen) {
        return new Answer(read.toString(StandardCharsets.ISO_8859_1), false);
      } catch (IOException reset) {
        return new Answer(read.toString(StandardCharsets.ISO_8859_1), true);
      }
      return new Answer(read.toString(StandardCharsets.ISO_8859_1), true);
    }
  }
}
