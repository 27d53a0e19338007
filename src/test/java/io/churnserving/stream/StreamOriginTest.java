package io.churnserving.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Which web pages may open the stream ({@code STREAM_ALLOWED_ORIGINS}), with a real WebSocket client sending the
 * {@code Origin} a browser would: a foreign page is refused with a 403 problem before the upgrade, even with a
 * good key, so a page on any site cannot use a local server with the public {@code dev-key}.
 */
class StreamOriginTest {
  private static final String PATH = "/v1/models/churn/stream";

  /** Connects with this Origin (null: none at all), sends one message and returns its answer's id. */
  private static String streamOnce(TestServer server, WebSocketClient client, String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
        .setURI(PATH).addHeader("X-API-Key", TestServer.KEY);
    // Vert.x's client sends its own same-origin Origin unless told not to.
    options.setAllowOriginHeader(origin != null);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    WebSocket ws = TestServer.await(client.connect(options));
    Promise<JsonObject> reply = Promise.promise();
    ws.textMessageHandler(text -> reply.tryComplete(new JsonObject(text)));
    ws.writeTextMessage(new JsonObject().put("id", "o-1").put("instance", new JsonObject(TestServer.EXAMPLE))
        .encode());
    JsonObject answer = TestServer.await(reply.future());
    assertThat(answer.getJsonObject("prediction")).as(answer.encode()).isNotNull();
    TestServer.await(ws.close());
    return answer.getString("id");
  }

  /** Asserts the upgrade with this Origin is refused with a 403 problem; returns the problem. */
  private static JsonObject refused(TestServer server, WebSocketClient client, String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
        .setURI(PATH).addHeader("X-API-Key", TestServer.KEY).addHeader("Origin", origin);
    Throwable failure = client.connect(options).toCompletionStage().toCompletableFuture()
        .handle((ws, e) -> e).join();
    assertThat(failure).as(origin).isInstanceOf(UpgradeRejectedException.class);
    UpgradeRejectedException rejected = (UpgradeRejectedException) failure;
    assertThat(rejected.getStatus()).isEqualTo(403);
    assertThat(rejected.getHeaders().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(rejected.getHeaders().get("Access-Control-Allow-Origin")).isNull();
    JsonObject problem = rejected.getBody().toJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(403);
    assertThat(problem.getString("type")).isEqualTo("urn:problem:churn-serving:forbidden");
    assertThat(problem.getString("correlation_id")).isEqualTo(rejected.getHeaders().get("X-Request-ID"));
    return problem;
  }

  @Test
  void byDefaultSameOriginAndNoOriginAreAllowedAndAForeignPageIsRefused() {
    try (TestServer server = TestServer.start()) {
      WebSocketClient client = server.vertx().createWebSocketClient();
      assertThat(streamOnce(server, client, null)).isEqualTo("o-1");
      assertThat(streamOnce(server, client, "http://127.0.0.1:" + server.port())).isEqualTo("o-1");
      // Vert.x's client's own header is the same origin as well.
      WebSocket own = TestServer.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
          .setPort(server.port()).setURI(PATH).addHeader("X-API-Key", TestServer.KEY)));
      TestServer.await(own.close());

      JsonObject problem = refused(server, client, "https://evil.example");
      assertThat(problem.getString("detail")).isEqualTo("Origin 'https://evil.example' may not open this stream: "
          + "only pages of this server's own origin may (STREAM_ALLOWED_ORIGINS lists others)");
      // Same host, another port or scheme, is another origin; so is a sandboxed page's opaque origin.
      refused(server, client, "http://127.0.0.1:" + (server.port() == 65535 ? 1 : server.port() + 1));
      refused(server, client, "https://127.0.0.1:" + server.port());
      refused(server, client, "null");
      refused(server, client, "not an origin");
      // The refusal comes before the key check: no key, foreign page, still 403 rather than 401.
      Throwable noKey = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
          .setURI(PATH).addHeader("Origin", "https://evil.example")).toCompletionStage().toCompletableFuture()
          .handle((ws, e) -> e).join();
      assertThat(((UpgradeRejectedException) noKey).getStatus()).isEqualTo(403);
      TestServer.await(client.close());
    }
  }

  @Test
  void aListAllowsOnlyItsOriginsAndClientsWithoutOrigin() {
    try (TestServer server = TestServer.start("STREAM_ALLOWED_ORIGINS",
        " https://app.example, http://localhost:3000")) {
      WebSocketClient client = server.vertx().createWebSocketClient();
      assertThat(streamOnce(server, client, "https://app.example")).isEqualTo("o-1");
      assertThat(streamOnce(server, client, "HTTPS://App.Example:443")).isEqualTo("o-1");
      assertThat(streamOnce(server, client, "http://localhost:3000")).isEqualTo("o-1");
      assertThat(streamOnce(server, client, null)).isEqualTo("o-1");

      assertThat(refused(server, client, "https://evil.example").getString("detail"))
          .isEqualTo("Origin 'https://evil.example' may not open this stream: it is not in STREAM_ALLOWED_ORIGINS");
      refused(server, client, "http://app.example");
      refused(server, client, "http://localhost:3001");
      // The list replaces the same-origin default.
      refused(server, client, "http://127.0.0.1:" + server.port());
      TestServer.await(client.close());
    }
  }

  @Test
  void aStarAllowsEveryPage() {
    try (TestServer server = TestServer.start("STREAM_ALLOWED_ORIGINS", "*")) {
      WebSocketClient client = server.vertx().createWebSocketClient();
      assertThat(streamOnce(server, client, "https://evil.example")).isEqualTo("o-1");
      assertThat(streamOnce(server, client, "null")).isEqualTo("o-1");
      refused(server, client, "not an origin");
      TestServer.await(client.close());
    }
  }

  @Test
  void aBadListStopsTheStartNamingTheEntry() {
    var env = TestServer.baseEnv();
    env.put("STREAM_ALLOWED_ORIGINS", "https://app.example,https://app.example/page");
    assertThat(TestServer.startFailure(env).getMessage()).isEqualTo("environment variable STREAM_ALLOWED_ORIGINS: "
        + "entry 2 'https://app.example/page' is not an origin: write scheme://host[:port] with scheme http or "
        + "https and no path, or * alone");
    env.put("STREAM_ALLOWED_ORIGINS", "*,https://app.example");
    assertThat(TestServer.startFailure(env).getMessage()).isEqualTo("environment variable STREAM_ALLOWED_ORIGINS: "
        + "'*' allows every origin, so it must be the only entry");
  }
}
