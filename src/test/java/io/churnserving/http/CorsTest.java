package io.churnserving.http;

import static io.churnserving.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * CORS for the HTTP API ({@code CORS_ALLOWED_ORIGINS}) on the real server, with a real HTTP client sending what a
 * browser sends: off by default, then preflights answered without a key, allowed pages' answers marked for the
 * browser, other pages refused.
 */
class CorsTest {
  private static final String PAGE = "https://app.example";

  private static HttpResponse<Buffer> preflight(TestServer server, String origin) {
    return TestServer.await(server.client().request(HttpMethod.OPTIONS, "/predict").putHeader("Origin", origin)
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "content-type,x-api-key").send());
  }

  private static HttpResponse<Buffer> predictFrom(TestServer server, String origin) {
    return TestServer.await(server.request(HttpMethod.POST, "/predict").putHeader("Origin", origin)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
  }

  private static boolean anyCorsHeader(HttpResponse<Buffer> response) {
    return response.headers().names().stream().anyMatch(n -> n.toLowerCase().startsWith("access-control-"));
  }

  @Test
  void offByDefaultNoAnswerCarriesACorsHeader() {
    try (TestServer server = TestServer.start()) {
      HttpResponse<Buffer> answer = predictFrom(server, PAGE);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(anyCorsHeader(answer)).as(answer.headers().toString()).isFalse();
      HttpResponse<Buffer> preflight = preflight(server, PAGE);
      assertProblem(preflight, 405);
      assertThat(anyCorsHeader(preflight)).isFalse();
    }
  }

  @Test
  void onAPreflightIsAnsweredWithoutAKeyAndAnAllowedPagesAnswersAreMarked() {
    try (TestServer server = TestServer.start("CORS_ALLOWED_ORIGINS", PAGE + ",http://localhost:3000")) {
      HttpResponse<Buffer> preflight = preflight(server, PAGE);
      assertThat(preflight.statusCode()).isEqualTo(204);
      assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo(PAGE);
      assertThat(preflight.getHeader("Access-Control-Allow-Methods").split(","))
          .contains("GET", "HEAD", "POST", "OPTIONS");
      assertThat(preflight.getHeader("Access-Control-Allow-Headers").split(","))
          .contains("Content-Type", "X-API-Key", "X-Request-ID", "X-Request-Timeout-Ms", "traceparent");
      assertThat(preflight.getHeader("Access-Control-Max-Age")).isEqualTo("600");
      assertThat(preflight.getHeader("X-Request-ID")).isNotBlank();

      HttpResponse<Buffer> answer = predictFrom(server, PAGE);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.getHeader("Access-Control-Allow-Origin")).isEqualTo(PAGE);
      assertThat(answer.getHeader("Vary")).containsIgnoringCase("Origin");
      assertThat(answer.getHeader("Access-Control-Expose-Headers").split(","))
          .contains("X-Request-ID", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset");
      // The same page written with the default port and in capitals is the same origin.
      assertThat(predictFrom(server, "HTTPS://APP.EXAMPLE:443").getHeader("Access-Control-Allow-Origin"))
          .isNotNull();
      // Errors are readable by the page too: a 401 for a page that sent no key.
      HttpResponse<Buffer> noKey = TestServer.await(server.client().post("/predict").putHeader("Origin", PAGE)
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
      assertProblem(noKey, 401);
      assertThat(noKey.getHeader("Access-Control-Allow-Origin")).isEqualTo(PAGE);
      // Requests without Origin (not from a browser) are served as ever, with no CORS header.
      HttpResponse<Buffer> plain = server.postJson("/predict", TestServer.EXAMPLE);
      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(plain.getHeader("Access-Control-Allow-Origin")).isNull();
    }
  }

  @Test
  void aPageNotOnTheListIsRefusedWithA403ProblemAndNoCorsHeader() {
    try (TestServer server = TestServer.start("CORS_ALLOWED_ORIGINS", PAGE)) {
      for (HttpResponse<Buffer> refused : new HttpResponse[] {preflight(server, "https://evil.example"),
          predictFrom(server, "https://evil.example"), predictFrom(server, "null")}) {
        assertThat(assertProblem(refused, 403).getString("detail")).endsWith("is not in CORS_ALLOWED_ORIGINS");
        assertThat(anyCorsHeader(refused)).isFalse();
      }
      // The connection stays usable: the refusal did not read or spoil the body.
      assertThat(predictFrom(server, PAGE).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aStarAllowsEveryPageAndTheStreamKeepsItsOwnRule() {
    try (TestServer server = TestServer.start("CORS_ALLOWED_ORIGINS", "*")) {
      HttpResponse<Buffer> answer = predictFrom(server, "https://anywhere.example");
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
      assertThat(preflight(server, "https://anywhere.example").statusCode()).isEqualTo(204);
      // CORS does not govern WebSockets: a foreign page's upgrade is still the stream's to refuse.
      var refused = server.vertx().createWebSocketClient().connect(new WebSocketConnectOptions()
              .setHost("127.0.0.1").setPort(server.port()).setURI("/v1/models/churn/stream")
              .addHeader("X-API-Key", TestServer.KEY).addHeader("Origin", "https://anywhere.example"))
          .toCompletionStage().toCompletableFuture().handle((ws, e) -> e).join();
      assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(403);
    }
  }
}
