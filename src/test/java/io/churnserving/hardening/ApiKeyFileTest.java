package io.churnserving.hardening;

import static io.churnserving.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.security.ApiKeys;
import io.churnserving.support.Faults;
import io.churnserving.support.LogCapture;
import io.churnserving.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named, hashed keys with scopes and limits from a key file that reloads while the server runs. */
class ApiKeyFileTest {
  private static final String CRM = "crm-secret-value-1";
  private static final String OPS = "ops-secret-value-2";

  /** A key file entry: the key's digest, never the key. */
  static String entry(String name, String key, String scopes, String extra) {
    return "{\"name\":\"" + name + "\",\"sha256\":\"" + ApiKeys.hashEntry(key).substring("sha256:".length())
        + "\",\"scopes\":" + scopes + extra + "}";
  }

  private static HttpResponse<Buffer> predict(TestServer server, String key) {
    return TestServer.await(server.client().post("/predict").putHeader("X-API-Key", key)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(TestServer.EXAMPLE)));
  }

  private static HttpResponse<Buffer> monitor(TestServer server, String key) {
    return TestServer.await(server.client().request(HttpMethod.GET, "/v1/models/churn/monitor")
        .putHeader("X-API-Key", key).send());
  }

  @Test
  void scopesLimitsAndReloadWithoutRestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys.json");
    Files.writeString(file, "{\"keys\":[" + entry("crm-import", CRM, "[\"predict\"]", ",\"rate_limit_per_second\":1,"
        + "\"rate_limit_burst\":2") + "]}");
    try (LogCapture logs = new LogCapture();
         TestServer server = TestServer.start("API_KEYS_FILE", file.toString(), "API_KEYS_RELOAD_S", "1")) {
      assertThat(predict(server, CRM).statusCode()).isEqualTo(200);
      assertThat(predict(server, CRM).getHeader("RateLimit-Limit")).isEqualTo("2");
      assertProblem(monitor(server, CRM), 403);
      assertProblem(predict(server, OPS), 401);
      assertProblem(predict(server, TestServer.KEY), 401); // a key file replaces the development key

      // Revoke crm-import and add an admin key, without a restart.
      Files.writeString(file, "{\"keys\":[" + entry("ops", OPS, "[\"admin\"]", "") + "]}");
      Faults.eventually(() -> predict(server, CRM).statusCode() == 401);
      assertThat(monitor(server, OPS).statusCode()).isEqualTo(200);
      assertProblem(predict(server, OPS), 403);

      // A broken file leaves the keys in force.
      Files.writeString(file, "{\"keys\": [ not json");
      Faults.eventually(() -> logs.raw().stream().anyMatch(l -> l.contains("Key file not reloaded")));
      assertThat(monitor(server, OPS).statusCode()).isEqualTo(200);

      assertThat(logs.raw()).anyMatch(l -> l.contains("API keys reloaded") && l.contains("ops"));
      assertThat(logs.raw()).noneMatch(l -> l.contains(CRM) || l.contains(OPS));
    }
  }

  @Test
  void aKeyFileAloneReplacesTheDevelopmentKeyAndMayServeEveryAddress(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys.json");
    Files.writeString(file, "{\"keys\":[" + entry("ops", OPS, "[\"admin\", \"predict\"]", "") + "]}");
    try (TestServer server = TestServer.start("API_KEYS_FILE", file.toString(), "HTTP_HOST", "0.0.0.0")) {
      assertThat(predict(server, OPS).statusCode()).isEqualTo(200);
      assertProblem(predict(server, TestServer.KEY), 401);
      assertProblem(monitor(server, TestServer.KEY), 401);
    }
  }

  @Test
  void keysListedAndKeysInTheFileBothCountAndTheDevelopmentKeyDoesNot(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys.json");
    Files.writeString(file, "{\"keys\":[" + entry("crm-import", CRM, "[\"predict\"]", "") + "]}");
    try (TestServer server = TestServer.start("API_KEYS_FILE", file.toString(), "API_KEYS", OPS)) {
      assertThat(predict(server, CRM).statusCode()).isEqualTo(200);
      assertThat(monitor(server, OPS).statusCode()).isEqualTo(200);
      assertProblem(predict(server, TestServer.KEY), 401);
    }
  }

  @Test
  void aReloadThatFailsIsLoggedWithoutWhatTheFileHolds(@TempDir Path dir) throws Exception {
    String secret = "Sup3rSecretKey";
    Path file = dir.resolve("keys.json");
    Files.writeString(file, "{\"keys\":[" + entry("ops", OPS, "[\"predict\"]", "") + "]}");
    try (LogCapture logs = new LogCapture();
         TestServer server = TestServer.start("API_KEYS_FILE", file.toString(), "API_KEYS_RELOAD_S", "1")) {
      // A key pasted where a scope goes, then the key itself as an unquoted token. Each file is moved into place
      // whole, so no reload reads it half-written.
      replace(file, "{\"keys\":[" + entry("ops", OPS, "[\"" + secret + "\"]", "") + "]}");
      Faults.eventually(() -> notReloaded(logs).anyMatch(l -> l.contains("scope")));
      replace(file, "{\"keys\":[" + secret + "]}");
      Faults.eventually(() -> notReloaded(logs).anyMatch(l -> l.contains("JSON")));
      assertThat(predict(server, OPS).statusCode()).isEqualTo(200);
      assertThat(logs.raw()).noneMatch(l -> l.contains(secret) || l.contains(OPS));
    }
  }

  private static Stream<String> notReloaded(LogCapture logs) {
    return logs.raw().stream().filter(l -> l.contains("Key file not reloaded"));
  }

  private static void replace(Path file, String text) throws Exception {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, text);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aMalformedKeyFileStopsTheStart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys.json");
    Files.writeString(file, "{\"keys\":[{\"name\":\"x\",\"sha256\":\"abc\",\"scopes\":[\"predict\"]}]}");
    var env = TestServer.baseEnv();
    env.put("API_KEYS_FILE", file.toString());
    assertThat(TestServer.startFailure(env)).hasMessageContaining("'sha256' must be 64 hex digits");
  }
}
