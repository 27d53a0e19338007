package io.churnserving.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refusals over HTTP/2 (h2c, prior knowledge) are problems with an {@code X-Request-ID}, as over HTTP/1.1, and end
 * only their own stream: the other streams of the connection carry on.
 */
class Http2RefusalsTest {
  private static TestServer server;
  private HttpClient h2;
  private final AtomicBoolean connectionClosed = new AtomicBoolean();

  @BeforeAll
  static void start() {
    server = TestServer.start("HTTP_BODY_TIMEOUT_MS", "500", "HTTP_MAX_HEADER_BYTES", "8192");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void connect() {
    // One connection: every stream of a test shares it.
    h2 = server.vertx().httpClientBuilder().with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(server.port()))
        .with(new PoolOptions().setHttp2MaxSize(1))
        .withConnectHandler(connection -> connection.closeHandler(v -> connectionClosed.set(true))).build();
  }

  @AfterEach
  void disconnect() {
    TestServer.await(h2.close());
  }

  private Answer send(HttpMethod method, String path, String body, String... headers) {
    HttpClientRequest request = TestServer.await(h2.request(method, path));
    for (int i = 0; i < headers.length; i += 2) {
      request.headers().add(headers[i], headers[i + 1]);
    }
    // The answer's body is asked for before the request goes out: asked for once send()'s future completes, a short
    // answer (a refusal written before the body was read) could already have ended, and its body never came.
    Future<Answer> answer = request.response().compose(response -> response.body()
        .map(read -> new Answer(response, read)));
    if (body == null) {
      request.end();
    } else {
      request.end(body);
    }
    return TestServer.await(answer);
  }

  private record Answer(HttpClientResponse response, Buffer body) {
    void assertProblem(int status) {
      assertThat(response.statusCode()).as(body.toString()).isEqualTo(status);
      assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      JsonObject problem = new JsonObject(body);
      assertThat(problem.getInteger("status")).isEqualTo(status);
      assertThat(problem.getString("correlation_id")).isNotBlank().isEqualTo(response.getHeader("X-Request-ID"));
    }
  }

  private void predictionStillWorks() {
    Answer ok = send(HttpMethod.POST, "/predict", TestServer.EXAMPLE, "X-API-Key", TestServer.KEY,
        "Content-Type", "application/json");
    assertThat(ok.response().statusCode()).isEqualTo(200);
    assertThat(connectionClosed).as("the connection stayed open").isFalse();
  }

  @Test
  void refusalsAreProblemsAndLeaveTheConnectionOpen() {
    send(HttpMethod.GET, "/nowhere", null).assertProblem(404);
    send(HttpMethod.POST, "/predict", TestServer.EXAMPLE, "Content-Type", "application/json").assertProblem(401);
    send(HttpMethod.DELETE, "/predict", null).assertProblem(405);
    send(HttpMethod.POST, "/predict", TestServer.EXAMPLE, "X-API-Key", TestServer.KEY).assertProblem(415);
    send(HttpMethod.POST, "/predict", "{", "X-API-Key", TestServer.KEY, "Content-Type", "application/json")
        .assertProblem(400);
    send(HttpMethod.GET, "/v1/models/churn/monitor", null, "X-API-Key", TestServer.KEY, "X-API-Key", "other")
        .assertProblem(400);
    predictionStillWorks();
  }

  @Test
  void a408EndsItsOwnStreamAndTheConnectionServesOn() {
    HttpClientRequest slow = TestServer.await(h2.request(HttpMethod.POST, "/predict"));
    slow.putHeader("X-API-Key", TestServer.KEY).putHeader("Content-Type", "application/json")
        .putHeader("Content-Length", "1000").exceptionHandler(e -> { });
    TestServer.await(slow.write("{\"tenure_months\": 24, "));
    TestServer.await(slow.response().compose(response -> response.body().map(read -> new Answer(response, read))))
        .assertProblem(408);
    predictionStillWorks();
  }
}
