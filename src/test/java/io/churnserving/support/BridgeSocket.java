package io.churnserving.support;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A bridge client as a Python or Node program would write one: a plain TCP socket, each frame a 4-byte big-endian
 * length and then the JSON. Nothing of Vert.x on this side. Reads give up after 30 s, so a test that waits for a
 * frame that never comes fails rather than hangs.
 */
public final class BridgeSocket implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private BridgeSocket(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(30_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  public static BridgeSocket connect(int port) throws IOException {
    return new BridgeSocket(new Socket("127.0.0.1", port));
  }

  /** A client over TLS that trusts the certificate it is served (a test's self-signed one). */
  public static BridgeSocket connectTls(int port) throws Exception {
    SSLSocket socket = (SSLSocket) trustingAll().getSocketFactory().createSocket("127.0.0.1", port);
    socket.startHandshake();
    return new BridgeSocket(socket);
  }

  /** The certificate a new TLS connection to this port is served. */
  public static X509Certificate servedCertificate(int port) throws Exception {
    try (SSLSocket socket = (SSLSocket) trustingAll().getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  /** A TLS client context that trusts whatever is served: for tests that assert on which certificate it is. */
  public static SSLContext trustingAll() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, new SecureRandom());
    return context;
  }

  /** A client with a small receive buffer, so that the kernel holds little of what the server sends it. */
  public static BridgeSocket connectSmallBuffer(int port) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", port));
    return new BridgeSocket(s);
  }

  /** Writes one frame. */
  public BridgeSocket send(JsonObject frame) throws IOException {
    return sendRaw(frame.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** Writes the length and these bytes as a frame, whatever they are. */
  public BridgeSocket sendRaw(byte[] payload) throws IOException {
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
    return this;
  }

  /** Writes bytes as they are, length included or not. */
  public BridgeSocket write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads the next frame. */
  public JsonObject read() throws IOException {
    int length = in.readInt();
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new JsonObject(new String(payload, StandardCharsets.UTF_8));
  }

  /** Reads frames until one matches, returning those before it too (the match last). */
  public List<JsonObject> readUntil(Predicate<JsonObject> last) throws IOException {
    List<JsonObject> frames = new ArrayList<>();
    JsonObject f;
    do {
      f = read();
      frames.add(f);
    } while (!last.test(f));
    return frames;
  }

  /** Sends a ping and reads up to its pong: everything the server wrote before it answered the ping. */
  public List<JsonObject> sync() throws IOException {
    send(new JsonObject().put("type", "ping"));
    List<JsonObject> frames = readUntil(f -> "pong".equals(f.getString("type")));
    return frames.subList(0, frames.size() - 1);
  }

  /** Whether the server closed the connection: reads frames until the end, failing on a frame past {@code max}. */
  public List<JsonObject> readToEnd(int max) throws IOException {
    List<JsonObject> frames = new ArrayList<>();
    while (true) {
      try {
        frames.add(read());
      } catch (EOFException e) {
        return frames;
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server did not close the connection; frames read: " + frames.size(), e);
      }
      if (frames.size() > max) {
        throw new AssertionError("more than " + max + " frames before the end");
      }
    }
  }

  /** A send frame to {@code address} with a reply address, the key and the body. */
  public static JsonObject request(String address, String replyAddress, String key, Object body) {
    JsonObject headers = new JsonObject();
    if (key != null) {
      headers.put("x-api-key", key);
    }
    return new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
        .put("headers", headers).put("body", body);
  }

  /** A register frame with the key. */
  public static JsonObject register(String address, String key) {
    return new JsonObject().put("type", "register").put("address", address)
        .put("headers", new JsonObject().put("x-api-key", key));
  }

  /** Makes {@link #close()} reset the connection (an RST), as a client that crashes does. */
  public void resetOnClose() throws IOException {
    socket.setSoLinger(true, 0);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
