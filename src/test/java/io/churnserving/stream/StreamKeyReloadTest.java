package io.churnserving.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.security.ApiKeys;
import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream is held to the keys in force, not to the keys of its upgrade: after a key-file reload revokes its key,
 * its next message gets a 401 and the stream closes with 1008; after a reload takes the key's predict scope, a 403
 * and 1008. Streams of keys still in force go on.
 */
class StreamKeyReloadTest {
  private static final String STREAMER = "streamer-secret-value-1";
  private static final String OTHER = "other-secret-value-2";

  private static String keyFile(String streamerScopes) {
    String other = entry("other", OTHER, "[\"predict\"]");
    return "{\"keys\":[" + (streamerScopes == null ? other : entry("streamer", STREAMER, streamerScopes) + ","
        + other) + "]}";
  }

  private static String entry(String name, String key, String scopes) {
    return "{\"name\":\"" + name + "\",\"sha256\":\"" + ApiKeys.hashEntry(key).substring("sha256:".length())
        + "\",\"scopes\":" + scopes + "}";
  }

  /** A real WebSocket client on one stream: sends a message, waits for its answer. */
  private static final class Stream {
    final WebSocket ws;
    final BlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();
    final AtomicReference<Short> closeCode = new AtomicReference<>();
    final AtomicInteger sent = new AtomicInteger();

    Stream(WebSocketClient client, int port, String key) {
      ws = TestServer.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI(PredictionStreamTest.PATH).addHeader("X-API-Key", key)));
      ws.textMessageHandler(t -> answers.add(new JsonObject(t)));
      ws.closeHandler(v -> closeCode.set(ws.closeStatusCode()));
    }

    /** The answer's error status, or 200 for a prediction. */
    int ask() {
      String id = "m" + sent.incrementAndGet();
      ws.writeTextMessage(new JsonObject().put("id", id).put("instance", new JsonObject(TestServer.EXAMPLE))
          .encode());
      try {
        JsonObject answer = answers.poll(30, TimeUnit.SECONDS);
        assertThat(answer).as("an answer to " + id).isNotNull();
        return answer.containsKey("prediction") ? 200 : answer.getJsonObject("error").getInteger("status");
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static void refusedOnItsStreamOnceTheFileChanges(Path dir, String streamerScopesAfter, int status)
      throws Exception {
    Path file = dir.resolve("keys.json");
    Files.writeString(file, keyFile("[\"predict\"]"));
    try (TestServer server = TestServer.start("API_KEYS_FILE", file.toString(), "API_KEYS_RELOAD_S", "1")) {
      WebSocketClient client = server.vertx().createWebSocketClient();
      Stream streamer = new Stream(client, server.port(), STREAMER);
      Stream other = new Stream(client, server.port(), OTHER);
      assertThat(streamer.ask()).isEqualTo(200);

      Files.writeString(file, keyFile(streamerScopesAfter));
      // Until the reload is seen, the stream is still served; then its next message is refused.
      Faults.eventually(() -> streamer.ask() == status);
      Faults.eventually(() -> streamer.closeCode.get() != null);
      assertThat(streamer.closeCode.get()).isEqualTo((short) 1008);

      assertThat(other.ask()).as("a stream whose key is still in force").isEqualTo(200);
      TestServer.await(other.ws.close());
      TestServer.await(client.close());
    }
  }

  @Test
  void aRevokedKeysStreamGets401AndClosesWith1008(@TempDir Path dir) throws Exception {
    refusedOnItsStreamOnceTheFileChanges(dir, null, 401);
  }

  @Test
  void aKeyReScopedToAdminOnlyGets403OnItsStreamAndItClosesWith1008(@TempDir Path dir) throws Exception {
    refusedOnItsStreamOnceTheFileChanges(dir, "[\"admin\"]", 403);
  }
}
