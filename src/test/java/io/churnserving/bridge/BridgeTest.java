package io.churnserving.bridge;

import static io.churnserving.support.BridgeSocket.register;
import static io.churnserving.support.BridgeSocket.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.security.ApiKeys;
import io.churnserving.support.BridgeSocket;
import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP event-bus bridge against the real server, from a raw socket as a Python or Node client talks to it:
 * request/reply on churn.predict, churn.predictions events, and an err frame for every refusal, after which the
 * connection still serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BridgeTest {
  static final String PREDICTOR = "predictor-secret-1";
  static final String OPS = "ops-secret-2";
  static final String AUDITOR = "auditor-secret-3";
  static final String LIMITED = "limited-secret-4";

  TestServer server;

  static String entry(String name, String key, String scopes, String extra) {
    return "{\"name\":\"" + name + "\",\"sha256\":\"" + ApiKeys.hashEntry(key).substring("sha256:".length())
        + "\",\"scopes\":" + scopes + extra + "}";
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("keys.json");
    Files.writeString(keys, "{\"keys\":[" + entry("predictor", PREDICTOR, "[\"predict\"]", "") + ","
        + entry("ops", OPS, "[\"predict\",\"admin\"]", "") + ","
        + entry("auditor", AUDITOR, "[\"admin\"]", "") + ","
        + entry("limited", LIMITED, "[\"predict\"]", ",\"rate_limit_per_second\":1,\"rate_limit_burst\":1") + "]}");
    server = TestServer.start("API_KEYS_FILE", keys.toString(), "BRIDGE_PORT", "0", "EVENTS_SAMPLE_PERCENT", "100");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private JsonObject predictOverHttp(String body) {
    return TestServer.await(server.client().post("/predict").putHeader("X-API-Key", OPS)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body))).bodyAsJsonObject();
  }

  @Test
  void theBridgeIsOffUnlessItsPortIsSet() {
    try (TestServer plain = TestServer.start()) {
      assertThat(plain.bridgePort()).isEqualTo(-1);
    }
    assertThat(server.bridgePort()).isPositive();
  }

  @Test
  void requestReplyAnswersAsPredictDoes() throws Exception {
    try (BridgeSocket client = BridgeSocket.connect(server.bridgePort())) {
      JsonObject answer = client.send(request("churn.predict", "r-1", PREDICTOR, new JsonObject(TestServer.EXAMPLE))
          .put("headers", new JsonObject().put("x-api-key", PREDICTOR).put("correlation_id", "bridge-1"))).read();
      assertThat(answer.getString("type")).isEqualTo("message");
      assertThat(answer.getString("address")).isEqualTo("r-1");
      JsonObject http = predictOverHttp(TestServer.EXAMPLE);
      JsonObject body = answer.getJsonObject("body");
      assertThat(body.getDouble("churn_probability")).isEqualTo(http.getDouble("churn_probability"));
      assertThat(body.getString("risk_tier")).isEqualTo(http.getString("risk_tier"));
      assertThat(body.getBoolean("churn_prediction")).isEqualTo(http.getBoolean("churn_prediction"));
      assertThat(body.getString("model_version")).isEqualTo(http.getString("model_version"));

      // An envelope names the version, as on the event bus inside the server.
      JsonObject v2 = new JsonObject(TestServer.EXAMPLE).put("support_calls", 4)
          .put("payment_method", "electronic_check");
      JsonObject second = client.send(request("churn.predict", "r-2", PREDICTOR,
          new JsonObject().put("version", "2").put("instance", v2))).read();
      assertThat(second.getJsonObject("body").getString("model_version")).isEqualTo("2");

      // Pipelined requests each get their answer, told apart by their reply addresses.
      for (int i = 0; i < 20; i++) {
        client.send(request("churn.predict", "p-" + i, PREDICTOR, new JsonObject(TestServer.EXAMPLE)));
      }
      List<String> replies = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        JsonObject f = client.read();
        assertThat(f.getString("type")).isEqualTo("message");
        replies.add(f.getString("address"));
      }
      assertThat(replies).containsExactlyInAnyOrderElementsOf(
          java.util.stream.IntStream.range(0, 20).mapToObj(i -> "p-" + i).toList());
    }
  }

  @Test
  void anInvalidInstanceIsAFailureWithTheFieldErrors() throws Exception {
    try (BridgeSocket client = BridgeSocket.connect(server.bridgePort())) {
      JsonObject err = client.send(request("churn.predict", "bad-1", PREDICTOR,
          new JsonObject().put("tenure_months", -1))).read();
      assertThat(err.getString("type")).isEqualTo("err");
      assertThat(err.getString("address")).isEqualTo("bad-1");
      assertThat(err.getString("sourceAddress")).isEqualTo("churn.predict");
      assertThat(err.getInteger("failureCode")).isEqualTo(422);
      JsonObject problem = new JsonObject(err.getString("message"));
      JsonArray errors = problem.getJsonArray("errors");
      assertThat(errors.stream().map(e -> ((JsonObject) e).getJsonArray("loc").getString(1)))
          .contains("tenure_months", "monthly_charges", "contract_type");
    }
  }

  @Test
  void aSubscriberReceivesPredictionEvents() throws Exception {
    try (BridgeSocket subscriber = BridgeSocket.connect(server.bridgePort())) {
      subscriber.send(register("churn.predictions", AUDITOR));
      assertThat(subscriber.sync()).isEmpty(); // registered: the pong comes once the consumer is in place
      JsonObject http = TestServer.await(server.client().post("/predict").putHeader("X-API-Key", OPS)
          .putHeader("X-Request-ID", "bridge-event-1").putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer(TestServer.EXAMPLE))).bodyAsJsonObject();
      List<JsonObject> frames = subscriber.readUntil(f -> "bridge-event-1".equals(
          f.getJsonObject("body", new JsonObject()).getString("correlation_id")));
      assertThat(frames).allMatch(f -> f.getString("type").equals("message")
          && f.getString("address").equals("churn.predictions"));
      JsonObject event = frames.get(frames.size() - 1);
      JsonObject body = event.getJsonObject("body");
      assertThat(event.getBoolean("send")).isFalse();
      assertThat(body.getString("transport")).isEqualTo("http");
      assertThat(body.getJsonObject("prediction").getDouble("churn_probability"))
          .isEqualTo(http.getDouble("churn_probability"));

      // Unregistered, it receives nothing more: a request of its own is answered and no event follows it.
      subscriber.send(new JsonObject().put("type", "unregister").put("address", "churn.predictions")
          .put("headers", new JsonObject().put("x-api-key", AUDITOR)));
      subscriber.sync();
      predictOverHttp(TestServer.EXAMPLE);
      JsonObject refused = subscriber.send(new JsonObject().put("type", "unregister")
          .put("address", "churn.predictions").put("headers", new JsonObject().put("x-api-key", AUDITOR))).read();
      assertThat(refused.getString("message")).startsWith("unknown_address:");
      assertThat(subscriber.sync()).isEmpty();
    }
  }
  /** Sends one frame, reads the answer, checks it is an err frame with this code and status, then that a ping works. */
  private static JsonObject refused(BridgeSocket client, JsonObject frame, String code, int status) throws Exception {
    return refusedRaw(client, frame.encode().getBytes(StandardCharsets.UTF_8), code, status);
  }

  private static JsonObject refusedRaw(BridgeSocket client, byte[] frame, String code, int status) throws Exception {
    JsonObject err = client.sendRaw(frame).read();
    assertThat(err.getString("type")).as(err.encode()).isEqualTo("err");
    assertThat(err.getString("message")).as(err.encode()).startsWith(code + ": ");
    assertThat(err.getInteger("failureCode")).as(err.encode()).isEqualTo(status);
    assertThat(client.sync()).as("the connection serves on after a refusal").isEmpty();
    return err;
  }

  @Test
  void everyRefusalIsAnErrFrameAndTheConnectionServesOn() throws Exception {
    JsonObject instance = new JsonObject(TestServer.EXAMPLE);
    try (BridgeSocket client = BridgeSocket.connect(server.bridgePort())) {
      // No key, a wrong key.
      JsonObject noKey = refused(client, request("churn.predict", "k-1", null, instance), "unauthorized", 401);
      assertThat(noKey.getString("address")).isEqualTo("k-1"); // the refused request's reply address
      assertThat(noKey.getString("sourceAddress")).isEqualTo("churn.predict");
      refused(client, request("churn.predict", "k-2", "not-a-key", instance), "unauthorized", 401);
      refused(client, request("churn.predict", "k-3", null, instance)
          .put("headers", new JsonObject().put("x-api-key", 42)), "unauthorized", 401);
      // A key without the scope: auditor has admin only; predictor may not receive events.
      refused(client, request("churn.predict", "k-4", AUDITOR, instance), "forbidden", 403);
      refused(client, register("churn.predictions", PREDICTOR), "forbidden", 403);
      // Addresses off the allow-list, even ones the server serves inside.
      refused(client, request("churn.monitor.snapshot", "k-5", OPS, "churn"), "access_denied", 403);
      refused(client, register("churn.monitor.snapshot", OPS), "access_denied", 403);
      refused(client, request("some.other.address", "k-6", OPS, instance), "access_denied", 403);
      // The wrong use of an allowed address: publishing, registering to requests, sending to events.
      refused(client, request("churn.predictions", "k-7", OPS, new JsonObject()).put("type", "publish"),
          "access_denied", 403);
      refused(client, request("churn.predict", "k-8", OPS, instance).put("type", "publish"), "access_denied", 403);
      refused(client, register("churn.predict", OPS), "access_denied", 403);
      refused(client, request("churn.predictions", "k-9", OPS, new JsonObject()), "access_denied", 403);
      refused(client, request("churn.predict", null, OPS, instance).put("replyAddress", (String) null),
          "missing_reply_address", 400);
      // Malformed frames: not JSON, not an object, no or an unknown type, no address, headers of the wrong shape.
      refusedRaw(client, "{not json".getBytes(StandardCharsets.UTF_8), "malformed_frame", 400);
      refusedRaw(client, "[1, 2]".getBytes(StandardCharsets.UTF_8), "malformed_frame", 400);
      refusedRaw(client, new byte[] {(byte) 0xff, (byte) 0xfe}, "malformed_frame", 400);
      refusedRaw(client, new byte[0], "malformed_frame", 400);
      for (String notAnObject : new String[] {"null", "42", "\"send\"", "true", "{}{}", " "}) {
        refusedRaw(client, notAnObject.getBytes(StandardCharsets.UTF_8), "malformed_frame", 400);
      }
      refused(client, new JsonObject().put("address", "churn.predict"), "unknown_type", 400);
      refused(client, new JsonObject().put("type", "message").put("address", "churn.predict"), "unknown_type", 400);
      refused(client, new JsonObject().put("type", 7), "unknown_type", 400);
      refused(client, new JsonObject().put("type", "send").put("headers", new JsonObject().put("x-api-key", OPS)),
          "missing_address", 400);
      refused(client, request("churn.predict", "k-10", OPS, instance).put("headers", "x-api-key=" + OPS),
          "malformed_frame", 400);
      refused(client, request("churn.predict", "k-11", OPS, instance).put("replyAddress", 5), "malformed_frame", 400);
      // Registering twice, unregistering what is not registered.
      assertThat(client.send(register("churn.predictions", OPS)).sync()).isEmpty();
      refused(client, register("churn.predictions", OPS), "already_registered", 409);
      client.send(new JsonObject().put("type", "unregister").put("address", "churn.predictions")
          .put("headers", new JsonObject().put("x-api-key", OPS)));
      refused(client, new JsonObject().put("type", "unregister").put("address", "churn.predictions")
          .put("headers", new JsonObject().put("x-api-key", OPS)), "unknown_address", 404);

      // After all that, the same connection still answers a prediction.
      JsonObject answer = client.send(request("churn.predict", "k-ok", OPS, instance)).read();
      assertThat(answer.getString("type")).isEqualTo("message");
      assertThat(answer.getString("address")).isEqualTo("k-ok");
    }
  }

  @Test
  void aKeyOverItsRateLimitIsRefusedWith429AndRetryAfter() throws Exception {
    try (BridgeSocket client = BridgeSocket.connect(server.bridgePort())) {
      JsonObject instance = new JsonObject(TestServer.EXAMPLE);
      // One token, refilled at one a second: of a quick run of sends, at least one is refused, each with its reason.
      int answered = 0;
      JsonObject limited = null;
      for (int i = 0; i < 5; i++) {
        JsonObject f = client.send(request("churn.predict", "rl-" + i, LIMITED, instance)).read();
        assertThat(f.getString("address")).isEqualTo("rl-" + i);
        if (f.getString("type").equals("message")) {
          answered++;
        } else {
          limited = f;
        }
      }
      assertThat(answered).isPositive();
      assertThat(limited).isNotNull();
      assertThat(limited.getString("message")).startsWith("rate_limited: the key 'limited' is over its rate limit");
      assertThat(limited.getInteger("failureCode")).isEqualTo(429);
      assertThat(limited.getLong("retryAfter")).isPositive();
      // Another key is not held back by it.
      assertThat(client.send(request("churn.predict", "other", PREDICTOR, instance)).read().getString("type"))
          .isEqualTo("message");
    }
  }
}
