package io.churnserving.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Admission by time: a burst of full batch requests, about a tenth of a second of scoring, is all admitted on an
 * idle server with the default settings, and so is one whose bodies arrive while the server drains for SIGTERM.
 */
class BatchBurstAdmissionTest {
  static final String PATH = "/v1/models/churn:predict";
  static final int REQUESTS = 100;
  static final int INSTANCES = 1000;

  static Buffer batchBody() {
    JsonArray instances = new JsonArray();
    for (int i = 0; i < INSTANCES; i++) {
      instances.add(new JsonObject(TestServer.EXAMPLE).put("tenure_months", 1 + i % 120)
          .put("num_products", 1 + i % 8));
    }
    return new JsonObject().put("instances", instances).toBuffer();
  }

  private static HttpClient client(Vertx vertx, TestServer server) {
    return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()),
        new PoolOptions().setHttp1MaxSize(REQUESTS));
  }

  private static Future<HttpClientRequest> open(HttpClient client, Buffer body) {
    return client.request(HttpMethod.POST, PATH).map(request -> request.putHeader("X-API-Key", TestServer.KEY)
        .putHeader("Content-Type", "application/json").putHeader("Content-Length", String.valueOf(body.length())));
  }

  /** Sends the body and reads the answer: its status, and the number of predictions in it. */
  private static Future<int[]> finish(HttpClientRequest request, Buffer body) {
    return request.send(body).compose(response -> response.body().map(answer -> new int[] {
        response.statusCode(),
        response.statusCode() == 200 ? new JsonObject(answer).getJsonArray("predictions").size() : 0}));
  }

  private static void assertAllAnsweredInFull(List<Future<int[]>> answers) {
    Map<Integer, Long> statuses = TestServer.await(Future.all(answers)).<int[]>list().stream()
        .collect(Collectors.groupingBy(a -> a[0], Collectors.counting()));
    assertThat(statuses).containsExactlyEntriesOf(Map.of(200, (long) REQUESTS));
    assertThat(answers).allSatisfy(a -> assertThat(a.result()[1]).isEqualTo(INSTANCES));
  }

  @Test
  void aHundredConcurrentThousandInstanceBatchesAreAllAnsweredOnAnIdleServer() {
    Vertx clients = Vertx.vertx();
    try (TestServer server = TestServer.start()) {
      HttpClient client = client(clients, server);
      Buffer body = batchBody();
      List<Future<int[]>> answers = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        answers.add(open(client, body).compose(request -> finish(request, body)));
      }
      assertAllAnsweredInFull(answers);
      Faults.eventually(() -> ClosedStreamAdmissionTest.inFlight(server) == 0);
    } finally {
      TestServer.await(clients.close());
    }
  }

  @Test
  void aBurstWhoseBodiesArriveDuringTheDrainIsAllAnswered() {
    Vertx clients = Vertx.vertx();
    try (TestServer server = TestServer.start()) {
      HttpClient client = client(clients, server);
      Buffer body = batchBody();
      // Every request's head is in and its connection accepted before the drain begins; the bodies follow.
      List<HttpClientRequest> requests = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        requests.add(TestServer.await(open(client, body).compose(r -> r.sendHead().map(r))));
      }
      Faults.eventually(() -> server.get("/metrics").bodyAsString()
          .contains("vertx_http_server_active_requests " + (REQUESTS + 1) + ".0")); // the scrape is one
      Future<Void> drained = server.root().drain();

      List<Future<int[]>> answers = new ArrayList<>();
      for (HttpClientRequest request : requests) {
        answers.add(finish(request, body));
      }
      assertAllAnsweredInFull(answers);
      TestServer.await(drained);
    } finally {
      TestServer.await(clients.close());
    }
  }

  @Test
  void aRequestWhoseDeadlineTheRowsAheadCannotMakeIsRefusedAtOnceWhileOneThatCanWaitIsAdmitted() {
    Faults faults = new Faults();
    Vertx clients = Vertx.vertx();
    try (TestServer server = TestServer.startWithFaults(faults, "SCORING_TIMEOUT_MS", "60000")) {
      HttpClient client = client(clients, server);
      Buffer body = batchBody();
      faults.stall();
      List<Future<int[]>> queued = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        queued.add(open(client, body).compose(request -> finish(request, body)));
      }
      Faults.eventually(() -> ClosedStreamAdmissionTest.inFlight(server) == 50 * INSTANCES);

      // 50,000 rows ahead take far longer than 10 ms at any rate a model call could measure.
      var hurried = TestServer.await(server.request(HttpMethod.POST, "/predict")
          .putHeader("Content-Type", "application/json").putHeader("X-Request-Timeout-Ms", "10")
          .sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
      assertThat(io.churnserving.support.Problems.assertProblem(hurried, 503).getString("type"))
          .endsWith(":overloaded");
      assertThat(hurried.getHeader("Retry-After")).isEqualTo("1");
      var patient = server.request(HttpMethod.POST, "/predict").putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer(TestServer.EXAMPLE));
      Faults.eventually(() -> ClosedStreamAdmissionTest.inFlight(server) == 50 * INSTANCES + 1);

      faults.release();
      assertThat(TestServer.await(patient).statusCode()).isEqualTo(200);
      assertThat(TestServer.await(Future.all(queued)).<int[]>list()).allSatisfy(a -> assertThat(a[0]).isEqualTo(200));
    } finally {
      TestServer.await(clients.close());
    }
  }
}
