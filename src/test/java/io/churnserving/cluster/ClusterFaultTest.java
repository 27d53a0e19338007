package io.churnserving.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.ClusterNodes;
import io.churnserving.support.Faults;
import io.churnserving.support.ServerProcess;
import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 17's faults, with real JVMs on loopback: one HTTP node and scoring nodes that are killed, stopped and added
 * while clients send predictions. Every request is counted and every answer checked against the answer the same row
 * got before any fault: no request lost, none answered wrong, none failed while a scoring node was left.
 *
 * <p>One cluster for the whole class, the faults in order (each leaves the cluster as the next one needs it), so
 * that only four JVMs start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultTest {
  private static final int ROWS = 40;
  private static final int CLIENTS = 4;

  private static ClusterNodes cluster;
  private static ServerProcess http;
  private static ServerProcess first;
  private static ServerProcess second;
  private static ServerProcess third;
  private static final Map<Integer, String> REFERENCE = new HashMap<>();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new ClusterNodes();
    // A deadline far longer than any failover, so an answer that waited for a dead node's batch would show.
    http = cluster.http("SCORING_TIMEOUT_MS", "10000");
    first = cluster.scoring();
    second = cluster.scoring();
    Faults.eventually(() -> joined() == 2);
    assertThat(http.status("/health/ready")).isEqualTo(200);
    // The HTTP node read the versions' metadata and schema only: ONNX Runtime's library is mapped by the scoring
    // nodes alone.
    assertThat(maps(http)).doesNotContain("onnxruntime");
    assertThat(maps(first)).contains("onnxruntime");
    for (int row = 0; row < ROWS; row++) {
      Answer a = predict(row);
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      REFERENCE.put(row, probability(a.body()));
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (ServerProcess p : new ServerProcess[] {first, second, third, http}) {
      if (p != null) {
        p.close();
      }
    }
  }

  @Test
  @Order(1)
  void aScoringNodeKilledUnderLoadLosesNoRequestAndAnswersNoneWrong() throws Exception {
    Load load = Load.start();
    load.awaitAnswers(200);
    first.process().destroyForcibly(); // SIGKILL
    Faults.eventually(() -> http.stdout().contains("Scoring node left the cluster"));
    load.awaitAnswers(load.answered() + 400);
    load.stopAndCheck();
  }

  @Test
  @Order(2)
  void aScoringNodeThatJoinsTakesLoadWithinSeconds() throws Exception {
    third = cluster.scoring();
    Faults.eventually(() -> joined() == 3);
    Load load = Load.start();
    // Faults.eventually gives it 30 s; it takes batches as soon as the HTTP node heard its announcement.
    Faults.eventually(() -> third.metric("batch_size_count") > 0);
    load.awaitAnswers(load.answered() + 200);
    load.stopAndCheck();
  }

  @Test
  @Order(3)
  void aScoringNodeGivenSigtermAnswersWhatItTookLeavesAndExitsZero() throws Exception {
    Load load = Load.start();
    load.awaitAnswers(200);
    assertThat(second.terminate()).as(second.stderr()).isZero();
    assertThat(http.stdout()).contains("Scoring node is leaving");
    load.awaitAnswers(load.answered() + 400);
    load.stopAndCheck();
  }

  @Test
  @Order(4)
  void withNoScoringNodeLeftTheHttpNodeIsNotReadyAndAnswers503WithRetryAfter() throws Exception {
    third.process().destroyForcibly();
    Faults.eventually(() -> http.status("/health/ready") == 503);
    HttpResponse<String> refused = CLIENT.send(post(0), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(new JsonObject(refused.body()).getString("type")).endsWith("model-unavailable");
    ServerProcess.Answer health = http.get("/health");
    assertThat(health.status()).isEqualTo(503);
    assertThat(new JsonObject(health.body()).getJsonObject("checks").getJsonObject("model_loaded")
        .getJsonArray("models_without_scoring_node").getList()).containsExactly("churn");
    HttpResponse<String> modelReady = CLIENT.send(HttpRequest.newBuilder(uri("/v2/models/churn/ready"))
        .header("X-API-Key", TestServer.KEY).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(modelReady.statusCode()).as(modelReady.body()).isEqualTo(503);
    assertThat(modelReady.body()).contains("no live scoring node");
  }

  private static String maps(ServerProcess node) throws java.io.IOException {
    return java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(node.process().pid()), "maps"));
  }

  private static long joined() {
    return http.stdout().lines().filter(l -> l.contains("Scoring node joined")).count();
  }

  private record Answer(int status, String body) {
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + http.port() + path);
  }

  private static HttpRequest post(int row) {
    String body = new JsonObject(TestServer.EXAMPLE).put("tenure_months", row + 1).encode();
    return HttpRequest.newBuilder(uri("/predict")).timeout(Duration.ofSeconds(30))
        .header("X-API-Key", TestServer.KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static Answer predict(int row) {
    try {
      HttpResponse<String> r = CLIENT.send(post(row), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (Exception e) {
      return new Answer(-1, e.toString());
    }
  }

  private static String probability(String body) {
    JsonObject answer = new JsonObject(body);
    return answer.getValue("churn_probability") + "/" + answer.getString("model_version");
  }

  /** Clients sending predictions of the reference rows one after the other, each outcome recorded. */
  private static final class Load {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger sent = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ok = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    static Load start() {
      Load load = new Load();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread t = new Thread(() -> {
          for (int i = client; !load.stop.get(); i += CLIENTS) {
            int row = i % ROWS;
            load.sent.incrementAndGet();
            Answer a = predict(row);
            if (a.status() == 200 && probability(a.body()).equals(REFERENCE.get(row))) {
              load.ok.incrementAndGet();
            } else {
              load.wrong.add("row " + row + ": " + a.status() + " " + a.body());
            }
          }
        }, "load-" + c);
        t.start();
        load.threads.add(t);
      }
      return load;
    }

    int answered() {
      return ok.get() + wrong.size();
    }

    void awaitAnswers(int n) {
      Faults.eventually(() -> answered() >= n);
    }

    void stopAndCheck() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
      assertThat(wrong).as("failed or wrong answers").isEmpty();
      assertThat(ok.get()).as("every request sent was answered").isEqualTo(sent.get());
    }
  }
}
