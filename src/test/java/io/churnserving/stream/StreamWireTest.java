package io.churnserving.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stream is strict about RFC 6455, seen from a hand-written client that reads the close frame: a frame over the
 * limit closes with 1009, text that is not UTF-8 with 1007, RSV bits without an extension with 1002; pings keep a
 * connection alive; a handshake Vert.x cannot accept gets a problem; ids come back as sent.
 */
class StreamWireTest {
  private static final int MAX_FRAME = 4096;
  private static final long IDLE_MS = 1500;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start("STREAM_MAX_FRAME_BYTES", Integer.toString(MAX_FRAME),
        "STREAM_IDLE_TIMEOUT_MS", Long.toString(IDLE_MS));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String message(String id) {
    return "{\"id\": " + id + ", \"instance\": " + TestServer.EXAMPLE + "}";
  }

  @Test
  void aFrameOverTheLimitClosesWith1009() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(server.port(), TestServer.KEY)) {
      ws.write(RawWebSocket.frame(RawWebSocket.TEXT, false, new byte[MAX_FRAME + 1]));
      assertThat(ws.readUntilClose()).isNotNull().extracting(RawWebSocket.Frame::closeCode).isEqualTo(1009);
    }
  }

  @Test
  void textThatIsNotUtf8ClosesWith1007() throws Exception {
    byte[] text = message("\"ab\"").getBytes(StandardCharsets.UTF_8);
    text[9] = (byte) 0xff; // inside the id's string
    try (RawWebSocket ws = RawWebSocket.open(server.port(), TestServer.KEY)) {
      ws.write(RawWebSocket.frame(RawWebSocket.TEXT, false, text));
      assertThat(ws.readUntilClose()).isNotNull().extracting(RawWebSocket.Frame::closeCode).isEqualTo(1007);
    }
  }

  @Test
  void rsvBitsWithoutAnExtensionCloseWith1002() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(server.port(), TestServer.KEY)) {
      ws.write(RawWebSocket.frame(RawWebSocket.TEXT, true, message("1").getBytes(StandardCharsets.UTF_8)));
      assertThat(ws.readUntilClose()).isNotNull().extracting(RawWebSocket.Frame::closeCode).isEqualTo(1002);
    }
  }

  @Test
  void pingsKeepAConnectionOpenPastTheIdleTimeout() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(server.port(), TestServer.KEY)) {
      // Three idle timeouts of pings, no message: each is answered with a pong, and the connection stays open.
      for (int i = 0; i < 9; i++) {
        ws.write(RawWebSocket.frame(RawWebSocket.PING, false, new byte[] {(byte) i}));
        RawWebSocket.Frame pong = ws.readFrame();
        assertThat(pong).as("pong " + i).isNotNull();
        assertThat(pong.opcode()).as("pong " + i).isEqualTo(0xA);
        Thread.sleep(IDLE_MS / 3);
      }
      ws.write(RawWebSocket.text(message("7")));
      RawWebSocket.Frame answer = ws.readFrame();
      assertThat(answer.opcode()).isEqualTo(RawWebSocket.TEXT);
      assertThat(new JsonObject(answer.text()).containsKey("prediction")).isTrue();
    }
  }

  @Test
  void idsComeBackExactlyAsSent() throws Exception {
    List<String> ids = List.of("1e999", "-1E-999", "12345678901234567890123456789", "1.50", "0", "-0", "2.0e3",
        "\"a\\\\u0041\"", "\"\\u00e9\"");
    try (RawWebSocket ws = RawWebSocket.open(server.port(), TestServer.KEY)) {
      for (String id : ids) {
        ws.write(RawWebSocket.text(message(id)));
        String answer = ws.readFrame().text();
        assertThat(answer).as(id).startsWith("{\"id\":" + id + ",");
      }
      // In a burst too, and in an error answer.
      ws.write(RawWebSocket.text("[" + message("1e999") + ", {\"id\": 1e-999, \"instance\": {}}]"));
      String burst = ws.readFrame().text();
      assertThat(burst).contains("{\"id\":1e999,").contains("{\"id\":1e-999,");
      assertThat(new JsonArray(burst)).hasSize(2);
    }
  }

  @Test
  void aHandshakeWithoutAKeyOrWithAnotherVersionGetsAProblem() throws Exception {
    String head = "GET " + PredictionStreamTest.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nX-API-Key: " + TestServer.KEY + "\r\n";
    for (String rest : List.of("Sec-WebSocket-Version: 13\r\n",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 7\r\n")) {
      String answer = send(head + rest + "\r\n");
      assertThat(answer).as(rest).startsWith("HTTP/1.1 4").containsIgnoringCase("content-type: application/problem+json")
          .containsIgnoringCase("x-request-id: ").contains("\"status\":4");
    }
  }

  private static String send(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder text = new StringBuilder();
      byte[] buffer = new byte[4096];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
          if (text.indexOf("\r\n\r\n") >= 0 && text.toString().contains("}")) {
            break;
          }
        }
      } catch (IOException e) {
        // what came before the close or the timeout is the answer
      }
      return text.toString();
    }
  }
}
