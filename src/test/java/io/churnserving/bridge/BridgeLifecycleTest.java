package io.churnserving.bridge;

import static io.churnserving.support.BridgeSocket.register;
import static io.churnserving.support.BridgeSocket.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.churnserving.config.ConfigException;
import io.churnserving.config.ConfigLoader;
import io.churnserving.config.ServerConfig;
import io.churnserving.support.BridgeSocket;
import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge's settings and start, a key revoked while a subscriber is registered, and a graceful stop. */
class BridgeLifecycleTest {
  @Test
  void offByDefaultOnHttpsHostAndTheTwoAddresses() {
    ServerConfig.Bridge bridge = ConfigLoader.load(Map.of("CONFIG_PATH", "conf/config.json")).bridge();
    assertThat(bridge.enabled()).isFalse();
    assertThat(bridge.port()).isEqualTo(-1);
    assertThat(bridge.host()).isEqualTo("127.0.0.1");
    assertThat(bridge.addresses()).containsExactly("churn.predict", "churn.predictions");
    ServerConfig.Bridge set = ConfigLoader.load(Map.of("CONFIG_PATH", "", "HTTP_HOST", "::1", "BRIDGE_PORT", "7001",
        "BRIDGE_ADDRESSES", " churn.predict , ")).bridge();
    assertThat(set.host()).isEqualTo("::1");
    assertThat(set.port()).isEqualTo(7001);
    assertThat(set.addresses()).containsExactly("churn.predict");
  }

  @Test
  void theDevelopmentKeyIsNotExposedThroughTheBridgeEither() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", "", "BRIDGE_PORT", "7001",
        "BRIDGE_HOST", "0.0.0.0")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("refusing to bind 0.0.0.0 with no API key");
    // Off, its host does not matter.
    assertThat(ConfigLoader.load(Map.of("CONFIG_PATH", "", "BRIDGE_HOST", "0.0.0.0")).bridge().enabled()).isFalse();
  }

  @Test
  void anAddressTheBridgeDoesNotKnowOrAPortInUseStopsTheStartWithOneLine() throws Exception {
    assertThat(TestServer.startFailure(env("BRIDGE_PORT", "0", "BRIDGE_ADDRESSES", "churn.predict,admin.secrets")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("BRIDGE_ADDRESSES (bridge.addresses): unknown address 'admin.secrets'; the bridge can open "
            + "[churn.monitor.snapshot, churn.predict, churn.predictions]");
    assertThat(TestServer.startFailure(env("BRIDGE_PORT", "0", "BRIDGE_ADDRESSES", " , "))).hasMessageStartingWith(
        "BRIDGE_ADDRESSES (bridge.addresses) names no address");
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(TestServer.startFailure(env("BRIDGE_PORT", String.valueOf(taken.getLocalPort()))))
          .hasMessageStartingWith("could not bind 127.0.0.1:" + taken.getLocalPort() + " (BRIDGE_HOST, BRIDGE_PORT)");
    }
  }

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = TestServer.baseEnv();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void aSubscriberWhoseKeyIsRevokedIsToldAndReceivesNoMore(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("keys.json");
    String ops = BridgeTest.entry("ops", BridgeTest.OPS, "[\"predict\",\"admin\"]", "");
    String other = BridgeTest.entry("other", BridgeTest.PREDICTOR, "[\"predict\"]", "");
    Files.writeString(keys, "{\"keys\":[" + ops + "," + other + "]}");
    try (TestServer server = TestServer.start("API_KEYS_FILE", keys.toString(), "API_KEYS_RELOAD_S", "1",
        "BRIDGE_PORT", "0", "EVENTS_SAMPLE_PERCENT", "100");
         BridgeSocket subscriber = BridgeSocket.connect(server.bridgePort());
         BridgeSocket client = BridgeSocket.connect(server.bridgePort())) {
      assertThat(subscriber.send(register("churn.predictions", BridgeTest.OPS)).sync()).isEmpty();
      // ops loses its admin scope: the next event ends the registration with a 403 err frame.
      Files.writeString(keys, "{\"keys\":[" + BridgeTest.entry("ops", BridgeTest.OPS, "[\"predict\"]", "") + ","
          + other + "]}");
      Faults.eventually(() -> {
        try {
          client.send(request("churn.predict", "r", BridgeTest.PREDICTOR, new JsonObject(TestServer.EXAMPLE)))
              .read();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        return server.registry().scrape().contains("bridge_refusals_total{reason=\"forbidden\"} 1.0");
      });
      List<JsonObject> frames = subscriber.sync();
      JsonObject ended = frames.get(frames.size() - 1);
      assertThat(ended.getString("type")).isEqualTo("err");
      assertThat(ended.getInteger("failureCode")).isEqualTo(403);
      assertThat(ended.getString("message")).isEqualTo("forbidden: the key 'ops' lost the 'admin' scope; the "
          + "registration to churn.predictions ended");
      assertThat(frames.subList(0, frames.size() - 1)).allMatch(f -> f.getString("type").equals("message"));
      // No event after it.
      client.send(request("churn.predict", "r2", BridgeTest.PREDICTOR, new JsonObject(TestServer.EXAMPLE))).read();
      assertThat(subscriber.sync()).isEmpty();
    }
  }

  /**
   * On a graceful stop, a request already sent is answered; then the connection gets a {@code shutting_down} err
   * frame and is closed.
   */
  @Test
  void aGracefulStopAnswersWhatWasSentThenSaysWhyItCloses() throws Exception {
    Faults faults = new Faults();
    try (TestServer server = TestServer.startWithFaults(faults, "BRIDGE_PORT", "0", "SCORING_TIMEOUT_MS", "60000");
         BridgeSocket client = BridgeSocket.connect(server.bridgePort())) {
      faults.stall();
      client.send(request("churn.predict", "before-stop", TestServer.KEY, new JsonObject(TestServer.EXAMPLE)));
      Faults.eventually(() -> faults.callsWaiting() > 0);
      Future<Void> drained = server.root().drain();
      faults.release();
      List<JsonObject> frames = client.readToEnd(2);
      assertThat(frames).hasSize(2);
      assertThat(frames.get(0).getString("type")).isEqualTo("message");
      assertThat(frames.get(0).getString("address")).isEqualTo("before-stop");
      assertThat(frames.get(1).getString("message")).isEqualTo("shutting_down: the server is stopping");
      TestServer.await(drained);
    } finally {
      faults.release();
    }
  }

  /** Writes a fresh self-signed pair, each file put in place in one step as a secret update does. */
  private static void newPair(Path dir, String name, Path cert, Path key) throws Exception {
    SelfSignedCertificate generated = SelfSignedCertificate.create(name);
    try {
      Path stagedCert = Files.createTempFile(dir, "staged", ".crt");
      Path stagedKey = Files.createTempFile(dir, "staged", ".key");
      Files.copy(Path.of(generated.certificatePath()), stagedCert, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(Path.of(generated.privateKeyPath()), stagedKey, StandardCopyOption.REPLACE_EXISTING);
      Files.move(stagedKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.move(stagedCert, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      generated.delete();
    }
  }

  /**
   * With TLS_CERT_PATH and TLS_KEY_PATH, the bridge serves the same certificate as HTTP, and only TLS; a renewed pair
   * reaches the bridge's new connections as it reaches HTTP's.
   */
  @Test
  void theBridgeServesTlsWhenTheServerHasACertificate(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    newPair(dir, "localhost", cert, key);
    try (TestServer server = TestServer.start("TLS_CERT_PATH", cert.toString(), "TLS_KEY_PATH", key.toString(),
        "TLS_RELOAD_INTERVAL_MS", "100", "BRIDGE_PORT", "0")) {
      assertThat(BridgeSocket.servedCertificate(server.bridgePort()))
          .isEqualTo(BridgeSocket.servedCertificate(server.port()));
      try (BridgeSocket client = BridgeSocket.connectTls(server.bridgePort())) {
        JsonObject answer = client.send(request("churn.predict", "tls-1", TestServer.KEY,
            new JsonObject(TestServer.EXAMPLE))).read();
        assertThat(answer.getString("type")).isEqualTo("message");
        assertThat(answer.getJsonObject("body").getString("risk_tier")).isEqualTo("high");
      }
      // A key sent in clear is not read as a frame: the connection ends without an answer.
      try (BridgeSocket plain = BridgeSocket.connect(server.bridgePort())) {
        plain.send(request("churn.predict", "clear-1", TestServer.KEY, new JsonObject(TestServer.EXAMPLE)));
        assertThat(plain.readToEnd(0)).isEmpty();
      }
      newPair(dir, "renewed.localhost", cert, key);
      Faults.eventually(() -> {
        try {
          return BridgeSocket.servedCertificate(server.bridgePort()).getSubjectX500Principal().getName()
              .contains("renewed.localhost");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    }
  }
}
