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
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 header lists against {@code HTTP_MAX_HEADER_BYTES} (8192 here), counted as HTTP/2 counts them (each field's
 * name and value octets plus 32, pseudo-header fields included). Mostly from a hand-written client speaking h2c with
 * prior knowledge, since a conforming client will not send a list over what the server announces: a list at the
 * limit is served; one byte over gets the same 431 problem with {@code X-Request-ID} as HTTP/1.1; one over the
 * larger bound the server announces (twice the limit) gets Netty's bare 431. Each of these ends only its stream; a
 * list more than a quarter over that bound ends its connection, by Netty.
 */
class Http2HeaderLimitTest {
  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int SETTINGS = 4;
  private static final int GOAWAY = 7;
  private static final int CONTINUATION = 9;
  private static final int END_STREAM = 1;
  private static final int END_HEADERS = 4;
  private static final int PADDED = 8;
  private static final int PRIORITY = 0x20;
  private static final int MAX_FRAME = 16_384;
  /** What the fields of {@link #request} take before the padding: 42 + 43 + 49 + 51 for the pseudo-header fields
   * (:method GET, :scheme http, :path /health/live, :authority 127.0.0.1), 47 for x-request-id: r-1, 41 for the
   * padding field's name and overhead. */
  private static final int WITHOUT_PADDING = 42 + 43 + 49 + 51 + 47 + 41;

  @Test
  void aListAtTheLimitIsServedAndOneOctetOverGetsTheProblemWithItsRequestId() throws Exception {
    try (TestServer server = TestServer.start("HTTP_MAX_HEADER_BYTES", "8192");
         RawH2 h2 = new RawH2(server.port())) {
      h2.send(1, request("r-1", 8192 - WITHOUT_PADDING));
      h2.send(3, request("r-3", 8192 - WITHOUT_PADDING + 1));
      h2.send(5, request("r-5", 0));
      Map<Integer, Answer> answers = h2.answers(1, 3, 5);

      assertThat(answers.get(1).status()).isEqualTo("200");
      Answer refused = answers.get(3);
      assertThat(refused.status()).isEqualTo("431");
      assertThat(refused.headers().get("content-type")).hasToString("application/problem+json");
      assertThat(refused.headers().get("x-request-id")).hasToString("r-3");
      JsonObject problem = new JsonObject(refused.body());
      assertThat(problem.getInteger("status")).isEqualTo(431);
      assertThat(problem.getString("type")).isNotBlank();
      assertThat(problem.getString("title")).isNotBlank();
      assertThat(problem.getString("detail")).isNotBlank();
      assertThat(problem.getString("correlation_id")).isEqualTo("r-3");
      assertThat(answers.get(5).status()).as("the connection serves on").isEqualTo("200");
    }
  }

  @Test
  void aListOverTheAnnouncedBoundGetsNettysBare431OnItsStreamAlone() throws Exception {
    try (TestServer server = TestServer.start("HTTP_MAX_HEADER_BYTES", "8192");
         RawH2 h2 = new RawH2(server.port())) {
      h2.send(1, request("r-1", 2 * 8192 - WITHOUT_PADDING + 1));
      h2.send(3, request("r-3", 0));
      Map<Integer, Answer> answers = h2.answers(1, 3);

      assertThat(answers.get(1).status()).isEqualTo("431");
      assertThat(answers.get(1).body()).as("Netty's 431 has no body").isEmpty();
      assertThat(answers.get(1).headers().get("x-request-id")).isNull();
      assertThat(answers.get(3).status()).isEqualTo("200");
    }
  }

  /**
   * Past a quarter over the announced bound Netty does not decode the list at all: it ends the connection (a GOAWAY,
   * then the close), and the server serves new connections.
   */
  @Test
  void aListFarOverTheAnnouncedBoundEndsItsConnection() throws Exception {
    try (TestServer server = TestServer.start("HTTP_MAX_HEADER_BYTES", "8192");
         RawH2 h2 = new RawH2(server.port())) {
      List<Integer> frames = new ArrayList<>();
      try {
        h2.send(1, request("r-1", 3 * 8192));
        h2.send(3, request("r-3", 0));
      } catch (IOException closedWhileSending) {
        // the server may close before the whole block is sent
      }
      frames.addAll(h2.framesUntilClosed());
      assertThat(frames).contains(GOAWAY).doesNotContain(HEADERS);
      assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
    }
  }

  /** A conforming client sends what the server announces; between the limit and that bound it gets the problem. */
  @Test
  void aConformingClientOverTheLimitGetsTheProblem() {
    try (TestServer server = TestServer.start("HTTP_MAX_HEADER_BYTES", "8192")) {
      var client = server.vertx().httpClientBuilder().with(new HttpClientOptions()
          .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)).build();
      try {
        var answer = TestServer.await(client.request(new RequestOptions().setMethod(HttpMethod.GET)
                .setHost("127.0.0.1").setPort(server.port()).setURI("/health/live")
                .putHeader("x-padding", "x".repeat(9000)))
            .compose(request -> request.send().compose(response -> response.body().map(body ->
                Map.entry(response, body)))));
        assertThat(answer.getKey().version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(answer.getKey().statusCode()).isEqualTo(431);
        assertThat(answer.getKey().getHeader("content-type")).isEqualTo("application/problem+json");
        String id = answer.getKey().getHeader("x-request-id");
        assertThat(id).isNotBlank();
        assertThat(answer.getValue().toJsonObject().getString("correlation_id")).isEqualTo(id);
      } finally {
        TestServer.await(client.close());
      }
    }
  }

  private static Http2Headers request(String requestId, int padding) {
    Http2Headers headers = new DefaultHttp2Headers().method("GET").scheme("http").path("/health/live")
        .authority("127.0.0.1");
    headers.add("x-request-id", requestId);
    headers.add("x-padding", "x".repeat(padding));
    return headers;
  }

  private record Answer(String status, Http2Headers headers, String body) {
  }

  /** One h2c connection with prior knowledge, written frame by frame. */
  private static final class RawH2 implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

    RawH2(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      in = new DataInputStream(socket.getInputStream());
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      frame(SETTINGS, 0, 0, new byte[0]);
    }

    /** A request without a body, its header block in a HEADERS frame and as many CONTINUATIONs as it needs. */
    void send(int stream, Http2Headers headers) throws Exception {
      ByteBuf buffer = Unpooled.buffer();
      encoder.encodeHeaders(stream, headers, buffer);
      byte[] block = ByteBufUtil.getBytes(buffer);
      for (int at = 0; at == 0 || at < block.length; at += MAX_FRAME) {
        byte[] part = Arrays.copyOfRange(block, at, Math.min(block.length, at + MAX_FRAME));
        int flags = (at + MAX_FRAME >= block.length ? END_HEADERS : 0) | (at == 0 ? END_STREAM : 0);
        frame(at == 0 ? HEADERS : CONTINUATION, flags, stream, part);
      }
      out.flush();
    }

    /** Reads until each of these streams has ended; fails on a GOAWAY. */
    Map<Integer, Answer> answers(int... streams) throws Exception {
      Map<Integer, Http2Headers> heads = new HashMap<>();
      Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
      Map<Integer, Answer> done = new HashMap<>();
      while (done.size() < streams.length) {
        int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = in.readNBytes(length);
        assertThat(type).as("no GOAWAY: the connection stays open").isNotEqualTo(GOAWAY);
        if (type == SETTINGS && (flags & 1) == 0) {
          frame(SETTINGS, 1, 0, new byte[0]); // acknowledged, as a client must
        } else if (type == HEADERS) {
          heads.put(stream, decoder.decodeHeaders(stream, fragment(flags, payload)));
        } else if (type == DATA) {
          bodies.computeIfAbsent(stream, s -> new ByteArrayOutputStream()).write(payload, 0, payload.length);
        }
        if ((type == HEADERS || type == DATA) && (flags & END_STREAM) != 0) {
          Http2Headers head = heads.get(stream);
          ByteArrayOutputStream body = bodies.getOrDefault(stream, new ByteArrayOutputStream());
          done.put(stream, new Answer(String.valueOf(head.status()), head, body.toString(StandardCharsets.UTF_8)));
        }
      }
      return done;
    }

    /** The types of the frames read until the server closes the connection. */
    List<Integer> framesUntilClosed() {
      List<Integer> types = new ArrayList<>();
      try {
        while (true) {
          int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
          types.add(in.readUnsignedByte());
          in.readNBytes(5 + length);
        }
      } catch (IOException closed) {
        return types;
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

    private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
      out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
          (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
          (byte) stream});
      out.write(payload);
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
