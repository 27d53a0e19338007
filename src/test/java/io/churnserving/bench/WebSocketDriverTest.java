package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket driver against a stand-in stream started here, which misbehaves as each test needs: answers out of
 * order with some errors, never answers, or closes connections. The real server is {@link WebSocketLoadTest}'s.
 */
@ExtendWith(VertxExtension.class)
class WebSocketDriverTest {
  @TempDir
  Path dir;

  private final AtomicLong received = new AtomicLong();
  private final List<AssertionError> badMessages = new ArrayList<>();
  private int port;

  /**
   * /stream answers a burst's messages in reverse order, every fifth with a 503 problem; /silent never answers;
   * /closing closes the connection after every 20th message, unanswered.
   */
  @BeforeEach
  void startTarget(Vertx vertx, VertxTestContext ctx) {
    vertx.createHttpServer().webSocketHandler(this::serve).listen(0, "127.0.0.1")
        .onComplete(ctx.succeeding(server -> {
          port = server.actualPort();
          ctx.completeNow();
        }));
  }

  private void serve(ServerWebSocket ws) {
    ws.textMessageHandler(text -> {
      Object json = Json.decodeValue(text);
      List<JsonObject> messages = new ArrayList<>();
      if (json instanceof JsonArray burst) {
        burst.forEach(m -> messages.add(0, (JsonObject) m));
      } else {
        messages.add((JsonObject) json);
      }
      for (JsonObject message : messages) {
        check(message);
        long n = received.incrementAndGet();
        switch (ws.path()) {
          case "/stream" -> ws.writeTextMessage(n % 5 == 0
              ? new JsonObject().put("id", message.getValue("id")).put("error", new JsonObject().put("status", 503))
                  .encode()
              : "{\"id\":\"" + message.getString("id") + "\",\"prediction\":{\"churn_probability\":0.5}}");
          case "/closing" -> {
            if (n % 20 == 0) {
              ws.close();
            } else {
              ws.writeTextMessage("{\"id\":\"" + message.getString("id") + "\",\"prediction\":{}}");
            }
          }
          default -> {
            // /silent: no answer, so the harness's timeout must count the message.
          }
        }
      }
    });
  }

  private void check(JsonObject message) {
    try {
      assertThat(message.fieldNames()).containsExactlyInAnyOrder("id", "instance");
      assertThat(message.getString("id")).matches("\\d+");
      RequestBodiesTest.assertValidInstance(message.getJsonObject("instance"));
    } catch (AssertionError | RuntimeException e) {
      synchronized (badMessages) {
        badMessages.add(new AssertionError(message.encode(), e));
      }
    }
  }

  private JsonObject bench(String name, String path, String... args) throws Exception {
    Path prefix = dir.resolve(name);
    List<String> all = new ArrayList<>(List.of("--url", "ws://127.0.0.1:" + port + path));
    all.addAll(List.of(args));
    all.addAll(List.of("--warmup", "0s", "--out", prefix.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LoadTest.run(all.toArray(String[]::new), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    return new JsonObject(Files.readString(dir.resolve(name + ".json")));
  }

  @Test
  void answersOutOfOrderAreMatchedByIdAndErrorsCountedByStatus() throws Exception {
    JsonObject json = bench("errors", "/stream", "--connections", "2", "--in-flight", "16", "--burst", "4",
        "--duration", "1s");

    assertThat(badMessages).isEmpty();
    JsonObject statuses = json.getJsonObject("status_counts");
    assertThat(statuses.getLong("200")).isPositive();
    assertThat(statuses.getLong("503")).isPositive();
    assertThat(statuses.getLong("200") + statuses.getLong("503")).isEqualTo(json.getLong("requests"));
    assertThat(json.getJsonObject("error_status_counts").fieldNames()).containsExactly("503");
    assertThat(json.getJsonObject("transport_errors")).isEmpty();
    assertThat(json.getDouble("predictions_per_second")).isLessThan(json.getDouble("requests_per_second"));
  }

  @Test
  void messagesNeverAnsweredTimeOutAndTheRunStillEnds() throws Exception {
    JsonObject json = bench("silent", "/silent", "--connections", "2", "--in-flight", "4", "--duration", "500ms",
        "--timeout", "200ms");

    assertThat(json.getLong("requests")).isZero();
    // Timed-out messages free their place in the window, so more are sent than one window's worth.
    assertThat(json.getJsonObject("transport_errors").getLong(TransportErrors.TIMEOUT)).isGreaterThan(8);
  }

  @Test
  void closedConnectionsFailTheirMessagesAndAreReplaced() throws Exception {
    JsonObject json = bench("closing", "/closing", "--connections", "2", "--in-flight", "8", "--duration", "1s");

    assertThat(json.getJsonObject("status_counts").getLong("200")).isPositive();
    assertThat(json.getJsonObject("transport_errors").getLong(TransportErrors.CLOSED)).isPositive();
    assertThat(json.getLong("connections_opened")).isGreaterThan(2);
  }
}
