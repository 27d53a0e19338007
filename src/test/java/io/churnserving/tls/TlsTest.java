package io.churnserving.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.LogCapture;
import io.churnserving.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS, WSS and HTTP/2 over ALPN on the real server, with a throwaway self-signed certificate made by Vert.x (Netty)
 * at test time; no key material is committed. Reloads are shown by what a new TLS connection is served, read with
 * the JDK's own TLS client.
 */
class TlsTest {
  private static final String STREAM = "/v1/models/churn/stream";

  @TempDir
  Path dir;

  /** A fresh self-signed certificate and key, written as PEM into the test's folder. */
  private record Pair(Path cert, Path key, BigInteger serial) {
    Buffer certBytes() throws Exception {
      return Buffer.buffer(Files.readAllBytes(cert));
    }
  }

  private Pair newPair(String name) throws Exception {
    SelfSignedCertificate generated = SelfSignedCertificate.create(name);
    try {
      Path cert = dir.resolve(name + ".crt");
      Path key = dir.resolve(name + ".key");
      Files.copy(Path.of(generated.certificatePath()), cert);
      Files.copy(Path.of(generated.privateKeyPath()), key);
      return new Pair(cert, key, serialOf(Files.readAllBytes(cert)));
    } finally {
      generated.delete();
    }
  }

  private static BigInteger serialOf(byte[] pem) throws Exception {
    return ((X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem))).getSerialNumber();
  }

  /** Puts a file in place in one step, as a deployment tool or a Kubernetes secret update does. */
  private void install(Path from, Path to) throws Exception {
    Path staged = Files.createTempFile(dir, "staged", ".pem");
    Files.copy(from, staged, StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void install(String text, Path to) throws Exception {
    Path staged = Files.createTempFile(dir, "staged", ".pem");
    Files.writeString(staged, text);
    Files.move(staged, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static TestServer startWithTls(Path cert, Path key, String... more) {
    Map<String, String> env = TestServer.baseEnv();
    env.put("TLS_CERT_PATH", cert.toString());
    env.put("TLS_KEY_PATH", key.toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return TestServer.start(env);
  }

  /** The serial number of the certificate a new TLS connection to this port is served. */
  private static BigInteger servedSerial(int port) throws Exception {
    SSLContext context = io.churnserving.support.BridgeSocket.trustingAll();
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  /** Waits, polling, until the condition holds; fails after a minute. Nothing is asserted about how long it took. */
  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(50);
    }
  }

  private static BooleanSupplier serves(int port, BigInteger serial) {
    return () -> {
      try {
        return servedSerial(port).equals(serial);
      } catch (Exception e) {
        return false;
      }
    };
  }

  @Test
  void httpsPredictAndWssStreamAreAnswered() throws Exception {
    Pair pair = newPair("churn-a.test");
    try (TestServer server = startWithTls(pair.cert(), pair.key())) {
      PemTrustOptions trust = new PemTrustOptions().addCertValue(pair.certBytes());
      WebClient https = WebClient.create(server.vertx(), new WebClientOptions().setSsl(true)
          .setTrustOptions(trust).setVerifyHost(false).setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
      HttpResponse<Buffer> answer = TestServer.await(https.post("/predict").putHeader("X-API-Key", TestServer.KEY)
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
      assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
      assertThat(answer.bodyAsJsonObject().getDouble("churn_probability")).isBetween(0.0, 1.0);
      https.close();

      WebSocketClient wss = server.vertx().createWebSocketClient(new WebSocketClientOptions().setSsl(true)
          .setTrustOptions(trust).setVerifyHost(false));
      WebSocket ws = TestServer.await(wss.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
          .setPort(server.port()).setURI(STREAM).setSsl(true).addHeader("X-API-Key", TestServer.KEY)));
      Promise<JsonObject> reply = Promise.promise();
      ws.textMessageHandler(text -> reply.tryComplete(new JsonObject(text)));
      ws.writeTextMessage(new JsonObject().put("id", "wss-1").put("instance", new JsonObject(TestServer.EXAMPLE))
          .encode());
      JsonObject streamed = TestServer.await(reply.future());
      assertThat(streamed.getString("id")).isEqualTo("wss-1");
      assertThat(streamed.getJsonObject("prediction").getDouble("churn_probability"))
          .isEqualTo(answer.bodyAsJsonObject().getDouble("churn_probability"));
      TestServer.await(ws.close());
      // Vert.x's client sent its own Origin, https://127.0.0.1:<port>: the same origin on a TLS listener. A page
      // served over plain http from the same host and port is another origin.
      Throwable refused = wss.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
              .setURI(STREAM).setSsl(true).addHeader("X-API-Key", TestServer.KEY)
              .addHeader("Origin", "http://127.0.0.1:" + server.port()))
          .toCompletionStage().toCompletableFuture().handle((w, e) -> e).join();
      assertThat(refused).isInstanceOfSatisfying(UpgradeRejectedException.class,
          e -> assertThat(e.getStatus()).isEqualTo(403));
      TestServer.await(wss.close());

      // A plain-HTTP client gets no answer from the TLS port: there is no cleartext listener beside it.
      Throwable plain = server.client().get("/health/live").send().toCompletionStage().toCompletableFuture()
          .handle((r, e) -> e == null ? new AssertionError("answered in clear: " + r.statusCode()) : e).join();
      assertThat(plain).isNotInstanceOf(AssertionError.class);
    }
  }

  @Test
  void alpnNegotiatesHttp2AndStillOffersHttp11() throws Exception {
    Pair pair = newPair("churn-a.test");
    try (TestServer server = startWithTls(pair.cert(), pair.key())) {
      PemTrustOptions trust = new PemTrustOptions().addCertValue(pair.certBytes());
      for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_2, HttpVersion.HTTP_1_1}) {
        HttpClient client = server.vertx().createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
            .setProtocolVersion(version).setTrustOptions(trust).setVerifyHost(false));
        AtomicReference<HttpClientResponse> response = new AtomicReference<>();
        Buffer body = TestServer.await(client.request(new RequestOptions()
                .setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(server.port()).setURI("/predict")
                .putHeader("X-API-Key", TestServer.KEY).putHeader("Content-Type", "application/json"))
            .compose(request -> request.send(TestServer.EXAMPLE))
            .compose(answer -> {
              response.set(answer);
              return answer.body();
            }));
        assertThat(response.get().version()).isEqualTo(version);
        assertThat(response.get().statusCode()).as(body.toString()).isEqualTo(200);
        assertThat(body.toJsonObject().getString("risk_tier")).isNotBlank();
        TestServer.await(client.close());
      }
    }
  }

  @Test
  void aChangedPairIsServedToNewConnectionsWithoutARestartAndABadOneIsRefused() throws Exception {
    Pair first = newPair("churn-a.test");
    Pair second = newPair("churn-b.test");
    Pair third = newPair("churn-c.test");
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    install(first.cert(), cert);
    install(first.key(), key);
    try (LogCapture logs = new LogCapture();
         TestServer server = startWithTls(cert, key, "TLS_RELOAD_INTERVAL_MS", "100", "MANAGEMENT_PORT", "0")) {
      int api = server.port();
      int management = server.root().managementPort();
      assertThat(servedSerial(api)).isEqualTo(first.serial());
      assertThat(servedSerial(management)).isEqualTo(first.serial());

      // The key first, then the certificate: in between, the pair does not match and is refused, not served.
      install(second.key(), key);
      install(second.cert(), cert);
      eventually("the API port serves the new certificate", serves(api, second.serial()));
      eventually("the management port serves the new certificate", serves(management, second.serial()));
      eventually("the reload is logged", () -> logs.json().stream().anyMatch(l -> l.getString("message")
          .startsWith("TLS certificate reloaded") && second.serial().toString(16).equals(l.getString("serial"))));

      // A certificate whose key is not beside it: refused with a WARN, and the pair in force stays.
      install(third.cert(), cert);
      Supplier<Boolean> mismatchLogged = () -> logs.json().stream().anyMatch(l -> l.getString("level")
          .equals("WARN") && l.getString("message").contains("TLS_KEY_PATH " + key)
          && l.getString("message").contains("not the key of the certificate"));
      eventually("the mismatched pair is refused", mismatchLogged::get);
      assertThat(servedSerial(api)).isEqualTo(second.serial());

      // A certificate file that is not PEM at all: the same.
      install("not a certificate\n", cert);
      eventually("the unreadable certificate is refused", () -> logs.json().stream().anyMatch(l -> l.getString(
          "level").equals("WARN") && l.getString("message").contains("TLS_CERT_PATH " + cert)
          && l.getString("message").contains("holds no PEM certificate")));
      assertThat(servedSerial(api)).isEqualTo(second.serial());
      assertThat(servedSerial(management)).isEqualTo(second.serial());

      // Fixed: the third pair, whole, is taken.
      install(third.key(), key);
      install(third.cert(), cert);
      eventually("the third certificate is served", serves(api, third.serial()));
    }
  }

  @Test
  void aCertificateWithoutItsKeyOrABadFileStopsTheStart() throws Exception {
    Pair pair = newPair("churn-a.test");
    Pair other = newPair("churn-b.test");
    Map<String, String> env = TestServer.baseEnv();
    env.put("TLS_CERT_PATH", pair.cert().toString());
    assertThat(TestServer.startFailure(env).getMessage())
        .isEqualTo("TLS_CERT_PATH (tls.cert_path) is set but TLS_KEY_PATH (tls.key_path) is not: set both for "
            + "TLS, or neither for plain HTTP");

    env = TestServer.baseEnv();
    env.put("TLS_KEY_PATH", pair.key().toString());
    assertThat(TestServer.startFailure(env).getMessage())
        .startsWith("TLS_KEY_PATH (tls.key_path) is set but TLS_CERT_PATH (tls.cert_path) is not");

    env.put("TLS_CERT_PATH", dir.resolve("missing.crt").toString());
    assertThat(TestServer.startFailure(env).getMessage())
        .isEqualTo("TLS_CERT_PATH " + dir.resolve("missing.crt") + ": no such file");

    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN PRIVATE KEY-----\nnope\n");
    env.put("TLS_CERT_PATH", pair.cert().toString());
    env.put("TLS_KEY_PATH", garbage.toString());
    assertThat(TestServer.startFailure(env).getMessage()).startsWith("TLS_KEY_PATH " + garbage
        + " holds no PEM private key");

    env.put("TLS_CERT_PATH", garbage.toString());
    env.put("TLS_KEY_PATH", pair.key().toString());
    assertThat(TestServer.startFailure(env).getMessage()).startsWith("TLS_CERT_PATH " + garbage
        + " holds no PEM certificate");

    env.put("TLS_CERT_PATH", pair.cert().toString());
    env.put("TLS_KEY_PATH", other.key().toString());
    assertThat(TestServer.startFailure(env).getMessage()).isEqualTo("TLS_KEY_PATH " + other.key()
        + " holds a private key that is not the key of the certificate in TLS_CERT_PATH " + pair.cert());
  }

  @Test
  void bindingBeyondLoopbackWithoutTlsWarnsOnceThatKeysTravelInClear() throws Exception {
    Pair pair = newPair("churn-a.test");
    String warning = "Binding a non-loopback address without TLS: API keys travel in clear";
    try (LogCapture logs = new LogCapture()) {
      try (TestServer server = TestServer.start("HTTP_HOST", "0.0.0.0", "API_KEYS", "a-key-for-this-test")) {
        assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
      }
      assertThat(logs.json()).filteredOn(l -> l.getString("message").startsWith(warning)).singleElement()
          .satisfies(l -> {
            assertThat(l.getString("level")).isEqualTo("WARN");
            assertThat(l.getString("host")).isEqualTo("0.0.0.0");
          });
    }
    try (LogCapture logs = new LogCapture()) {
      try (TestServer server = startWithTls(pair.cert(), pair.key(), "HTTP_HOST", "0.0.0.0",
          "API_KEYS", "a-key-for-this-test")) {
        assertThat(servedSerial(server.port())).isEqualTo(pair.serial());
      }
      try (TestServer server = TestServer.start()) {
        assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
      }
      assertThat(logs.json()).noneMatch(l -> l.getString("message").startsWith(warning));
    }
  }

  @Test
  void grpcIsServedOverTlsOnTheSamePort() throws Exception {
    Pair pair = newPair("grpc.test");
    try (TestServer server = startWithTls(pair.cert(), pair.key())) {
      io.grpc.ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
          .forAddress("127.0.0.1", server.port()).overrideAuthority("grpc.test")
          .sslContext(io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forClient()
              .trustManager(pair.cert().toFile()).build())
          .build();
      try {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(io.grpc.Metadata.Key.of("x-api-key", io.grpc.Metadata.ASCII_STRING_MARSHALLER), TestServer.KEY);
        var stub = io.churnserving.grpc.proto.GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
            .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
        assertThat(stub.serverLive(io.churnserving.grpc.proto.ServerLiveRequest.getDefaultInstance()).getLive())
            .isTrue();
        assertThat(stub.modelReady(io.churnserving.grpc.proto.ModelReadyRequest.newBuilder().setName("churn")
            .build()).getReady()).isTrue();
      } finally {
        channel.shutdownNow().awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }
}
