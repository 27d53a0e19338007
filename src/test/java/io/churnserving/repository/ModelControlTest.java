package io.churnserving.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.StreamFrames;
import io.churnserving.support.Models;
import io.churnserving.support.TestServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading and unloading versions while the real server serves: the explicit API, poll mode, the refusal in none mode,
 * a load that fails leaving the old version serving, readiness while a required model has no version, and 20 swaps
 * of the default version under load with every answer counted.
 */
class ModelControlTest {

  @TempDir
  Path repo;

  private void version(long v) throws IOException {
    Models.copyOfV1(repo, v);
  }

  private void remove(long v) throws IOException {
    try (Stream<Path> files = Files.walk(repo.resolve("churn/" + v))) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private TestServer start(String... more) throws IOException {
    Map<String, String> env = TestServer.baseEnv();
    env.put("MODELS_DIR", repo.toString());
    env.put("CONFIG_PATH", Files.writeString(repo.resolve("config.json"), "{}").toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return TestServer.start(env);
  }

  private static HttpResponse<Buffer> post(TestServer server, String path, String body) {
    return TestServer.await(server.request(HttpMethod.POST, path).sendBuffer(Buffer.buffer(body)));
  }

  private static JsonObject status(TestServer server) {
    return TestServer.await(server.request(HttpMethod.GET, "/v1/models/churn").send()).bodyAsJsonObject();
  }

  private static JsonArray index(TestServer server) {
    return post(server, "/v2/repository/index", "").bodyAsJsonArray();
  }

  private static String stateOf(TestServer server, String version) {
    for (Object o : index(server)) {
      JsonObject s = (JsonObject) o;
      if (s.getString("version").equals(version)) {
        return s.getString("state");
      }
    }
    return null;
  }

  /** Waits for a condition the server reaches by itself (a poll, a drain), checking every 50 ms for up to 30 s. */
  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  @Test
  void anExplicitLoadSwapsTheDefaultAndTheOldVersionIsUnloadedOnceDrained() throws Exception {
    version(1);
    try (TestServer server = start("MODEL_CONTROL_MODE", "explicit")) {
      version(2);
      assertThat(post(server, "/v2/repository/models/churn/load", "").statusCode()).isEqualTo(200);
      assertThat(status(server).getJsonArray("versions")).containsExactly("2");
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).bodyAsJsonObject().getString("model_version"))
          .isEqualTo("2");
      eventually(() -> "UNAVAILABLE".equals(stateOf(server, "1")));
      assertThat(index(server).getJsonObject(0).getString("reason")).isEqualTo("unloaded");
      assertThat(server.postJson("/v1/models/churn/versions/1:predict", "{\"instances\": [" + TestServer.EXAMPLE
          + "]}").statusCode()).isEqualTo(404);
      // The index can be asked for ready versions only.
      assertThat(post(server, "/v2/repository/index", "{\"ready\": true}").bodyAsJsonArray()).hasSize(1);
    }
  }

  @Test
  void aLoadMayMoveALabelAndTheDefaultFollowsIt() throws Exception {
    version(1);
    version(2);
    try (TestServer server = start("MODEL_CONTROL_MODE", "explicit", "MODEL_VERSION_POLICY", "all",
        "MODEL_LABELS", "stable=1")) {
      assertThat(status(server).getString("default_version")).isEqualTo("1");
      assertThat(post(server, "/v2/repository/models/churn/load",
          "{\"parameters\": {\"labels\": {\"stable\": 2, \"canary\": 1}}}").statusCode()).isEqualTo(200);
      assertThat(status(server).getString("default_version")).isEqualTo("2");
      assertThat(server.postJson("/v1/models/churn/versions/canary:predict", "{\"instances\": [" + TestServer.EXAMPLE
          + "]}").bodyAsJsonObject().getString("model_version")).isEqualTo("1");
      assertThat(post(server, "/v2/repository/models/churn/load", "{\"parameters\": {\"labels\": {\"9x\": 1}}}")
          .statusCode()).isEqualTo(400);
    }
  }

  @Test
  void aVersionThatFailsToLoadLeavesTheOldOneServing() throws Exception {
    version(1);
    try (TestServer server = start("MODEL_CONTROL_MODE", "explicit")) {
      version(2);
      Files.write(repo.resolve("churn/2/model.onnx"), new byte[] {1, 2, 3});
      HttpResponse<Buffer> failed = post(server, "/v2/repository/models/churn/load", "");
      assertThat(failed.statusCode()).isEqualTo(400);
      assertThat(failed.bodyAsJsonObject().getString("type")).endsWith("model-load-failed");
      assertThat(failed.bodyAsJsonObject().getString("detail")).contains("version 2", "not a valid ONNX model");
      assertThat(status(server).getJsonArray("versions")).containsExactly("1");
      assertThat(stateOf(server, "2")).isEqualTo("UNAVAILABLE");
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).bodyAsJsonObject().getString("model_version"))
          .isEqualTo("1");
      assertThat(TestServer.await(server.request(HttpMethod.GET, "/metrics").send()).bodyAsString())
          .contains("model_load_failures_total{model=\"churn\",version=\"2\"} 1.0");
    }
  }

  @Test
  void readinessFailsWhileTheRequiredModelHasNoVersionAndComesBackWithALoad() throws Exception {
    version(1);
    try (TestServer server = start("MODEL_CONTROL_MODE", "explicit")) {
      assertThat(post(server, "/v2/repository/models/churn/unload", "").statusCode()).isEqualTo(200);
      assertThat(server.get("/health/ready").statusCode()).isEqualTo(503);
      assertThat(server.get("/v2/health/ready").statusCode()).isEqualTo(503);
      HttpResponse<Buffer> refused = server.postJson("/predict", TestServer.EXAMPLE);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(status(server).getBoolean("ready")).isFalse();
      assertThat(post(server, "/v2/repository/models/churn/load", "").statusCode()).isEqualTo(200);
      assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void withoutExplicitModeTheApiRefusesAndTheIndexStillAnswers() throws Exception {
    version(1);
    try (TestServer server = start()) {
      HttpResponse<Buffer> refused = post(server, "/v2/repository/models/churn/load", "");
      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(refused.bodyAsJsonObject().getString("detail")).contains("MODEL_CONTROL_MODE=explicit");
      assertThat(post(server, "/v2/repository/models/churn/unload", "").statusCode()).isEqualTo(409);
      assertThat(index(server)).hasSize(1);
      assertThat(TestServer.await(server.client().post("/v2/repository/index").send()).statusCode()).isEqualTo(401);
    }
  }

  /**
   * A stream stays on the version its path names: once that version is unloaded, its next message is answered
   * in-band with a 404 and the stream stays open; a stream on the model's default moves to the new default.
   */
  @Test
  void aStreamOnAnUnloadedVersionAnswers404InBandAndStaysOpen() throws Exception {
    version(1);
    try (TestServer server = start("MODEL_CONTROL_MODE", "explicit")) {
      WebSocketClient client = server.vertx().createWebSocketClient();
      WebSocket pinned = TestServer.await(client.connect(streamOptions(server, "/v1/models/churn/versions/1/stream")));
      WebSocket followsDefault = TestServer.await(client.connect(streamOptions(server, "/v1/models/churn/stream")));
      BlockingQueue<JsonObject> pinnedAnswers = new LinkedBlockingQueue<>();
      BlockingQueue<JsonObject> defaultAnswers = new LinkedBlockingQueue<>();
      pinned.textMessageHandler(t -> StreamFrames.each(t, pinnedAnswers::add));
      followsDefault.textMessageHandler(t -> StreamFrames.each(t, defaultAnswers::add));
      String message = "{\"id\": \"a\", \"instance\": " + TestServer.EXAMPLE + "}";
      pinned.writeTextMessage(message);
      assertThat(pinnedAnswers.poll(30, TimeUnit.SECONDS).getJsonObject("prediction").getString("model_version"))
          .isEqualTo("1");
      version(2);
      assertThat(post(server, "/v2/repository/models/churn/load", "").statusCode()).isEqualTo(200);
      pinned.writeTextMessage(message);
      JsonObject gone = pinnedAnswers.poll(30, TimeUnit.SECONDS);
      assertThat(gone.getJsonObject("error").getInteger("status")).isEqualTo(404);
      followsDefault.writeTextMessage(message);
      assertThat(defaultAnswers.poll(30, TimeUnit.SECONDS).getJsonObject("prediction").getString("model_version"))
          .isEqualTo("2");
      assertThat(pinned.isClosed()).isFalse();
      TestServer.await(client.close());
    }
  }

  private static WebSocketConnectOptions streamOptions(TestServer server, String uri) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port()).setURI(uri)
        .addHeader("X-API-Key", TestServer.KEY);
  }

  /** How many times versions of churn were put in service, from {@code model_loads_total}. */
  private static long loads(TestServer server) {
    String metrics = TestServer.await(server.request(HttpMethod.GET, "/metrics").send()).bodyAsString();
    return metrics.lines().filter(l -> l.startsWith("model_loads_total{model=\"churn\"}"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
  }

  @Test
  void pollModeLoadsNewReloadsChangedAndUnloadsRemovedVersions() throws Exception {
    version(1);
    try (TestServer server = start("MODEL_CONTROL_MODE", "poll", "MODEL_POLL_INTERVAL_MS", "100")) {
      version(2);
      eventually(() -> status(server).getJsonArray("versions").equals(new JsonArray().add("2")));
      eventually(() -> "UNAVAILABLE".equals(stateOf(server, "1")));
      // A changed file reloads the version; it serves throughout.
      long reloadsBefore = loads(server);
      Path schema = repo.resolve("churn/2/schema.json");
      Files.writeString(schema, Files.readString(schema) + "\n");
      Files.setLastModifiedTime(schema, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
      eventually(() -> loads(server) > reloadsBefore);
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(200);
      // The reloaded version keeps its meters: the one it replaced did not take them along when released.
      Thread.sleep(300);
      assertThat(TestServer.await(server.request(HttpMethod.GET, "/metrics").send()).bodyAsString())
          .contains("inference_duration_seconds_count{model=\"churn\",version=\"2\"}");
      // Version 2's folder removed: the policy picks version 1 again.
      remove(2);
      eventually(() -> status(server).getJsonArray("versions").equals(new JsonArray().add("1")));
      assertThat(server.postJson("/predict", TestServer.EXAMPLE).bodyAsJsonObject().getString("model_version"))
          .isEqualTo("1");
    }
  }

  /**
   * Issue 15's swap guarantee: the default version changes 20 times while clients keep 32 requests in flight on
   * /predict and the batch route; every answer is counted, and every one is a 200.
   */
  @Test
  void twentySwapsUnderLoadFailNothing() throws Exception {
    version(1);
    try (TestServer server = start("MODEL_CONTROL_MODE", "explicit")) {
      WebClient client = server.client();
      AtomicBoolean running = new AtomicBoolean(true);
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
      AtomicInteger failures = new AtomicInteger();
      int lanes = 32;
      CountDownLatch stopped = new CountDownLatch(lanes);
      for (int lane = 0; lane < lanes; lane++) {
        boolean batch = lane % 4 == 0;
        sendUntilStopped(client, batch, running, statuses, versions, failures, stopped);
      }
      for (long v = 2; v <= 21; v++) {
        version(v);
        assertThat(post(server, "/v2/repository/models/churn/load", "").statusCode()).as("load " + v).isEqualTo(200);
        assertThat(status(server).getString("default_version")).isEqualTo(Long.toString(v));
        Thread.sleep(100);
      }
      running.set(false);
      assertThat(stopped.await(60, TimeUnit.SECONDS)).isTrue();
      int answered = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
      System.out.println("swap test: " + answered + " answers, statuses " + statuses + ", by version " + versions
          + ", transport failures " + failures.get());
      assertThat(failures.get()).isZero();
      assertThat(statuses.keySet()).containsExactly(200);
      assertThat(answered).isGreaterThan(1000);
      assertThat(versions.keySet()).hasSizeGreaterThan(10);
      // Every old version is drained and released; only the last serves.
      eventually(() -> index(server).stream().filter(o -> "READY".equals(((JsonObject) o).getString("state")))
          .count() == 1 && index(server).size() == 21 && index(server).stream()
          .allMatch(o -> !"UNLOADING".equals(((JsonObject) o).getString("state"))));
    }
  }

  private static void sendUntilStopped(WebClient client, boolean batch, AtomicBoolean running,
                                       Map<Integer, AtomicInteger> statuses, Map<String, AtomicInteger> versions,
                                       AtomicInteger failures, CountDownLatch stopped) {
    if (!running.get()) {
      stopped.countDown();
      return;
    }
    String path = batch ? "/v1/models/churn:predict" : "/predict";
    String body = batch ? "{\"instances\": [" + TestServer.EXAMPLE + "," + TestServer.EXAMPLE + "]}" : TestServer.EXAMPLE;
    client.post(path).putHeader("X-API-Key", TestServer.KEY).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)).onComplete(ar -> {
          if (ar.failed()) {
            failures.incrementAndGet();
          } else {
            statuses.computeIfAbsent(ar.result().statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (ar.result().statusCode() == 200) {
              versions.computeIfAbsent(ar.result().bodyAsJsonObject().getString("model_version"),
                  v -> new AtomicInteger()).incrementAndGet();
            }
          }
          sendUntilStopped(client, batch, running, statuses, versions, failures, stopped);
        });
  }
}
