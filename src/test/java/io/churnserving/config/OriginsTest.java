package io.churnserving.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Origins as RFC 6454 compares them: scheme, host and port, case-insensitively, the default port implied. */
class OriginsTest {
  @Test
  void theCanonicalFormIsLowerCaseWithoutTheDefaultPort() {
    assertThat(Origins.canonical("HTTPS://App.Example:443")).isEqualTo("https://app.example");
    assertThat(Origins.canonical("http://app.example:80")).isEqualTo("http://app.example");
    assertThat(Origins.canonical("http://app.example:443")).isEqualTo("http://app.example:443");
    assertThat(Origins.canonical("http://[::1]:8080")).isEqualTo("http://[::1]:8080");
    assertThat(Origins.canonical("http://127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
    for (String notAnOrigin : List.of("null", "app.example", "ftp://app.example", "https://app.example/",
        "https://app.example/page", "https://user@app.example", "https://app.example:0", "https://app.example:99999",
        "https://app example", "")) {
      assertThat(Origins.canonical(notAnOrigin)).as(notAnOrigin).isNull();
    }
  }

  @Test
  void aListAllowsItsOriginsInAnySpellingAndAStarAllowsEveryWellFormedOne() {
    Origins listed = Origins.parse(List.of("https://app.example", "http://localhost:3000"), "test");
    assertThat(listed.allows("https://APP.example:443")).isTrue();
    assertThat(listed.allows("http://localhost:3000")).isTrue();
    assertThat(listed.allows("http://app.example")).isFalse();
    assertThat(listed.allows("null")).isFalse();
    assertThat(listed.allows("garbage")).isFalse();
    assertThat(listed.allows(null)).isFalse();
    Origins any = Origins.parse(List.of("*"), "test");
    assertThat(any.allows("https://anywhere.example")).isTrue();
    assertThat(any.allows("null")).isTrue();
    assertThat(any.allows("garbage")).isFalse();
    assertThat(Origins.NONE.isSet()).isFalse();
  }

  @Test
  void theFileTakesAListOrACommaSeparatedString() throws Exception {
    var dir = Files.createTempDirectory("origins");
    var file = Files.writeString(dir.resolve("config.json"), "{\"http\": {\"cors_allowed_origins\": "
        + "[\"https://a.example\"]}, \"stream\": {\"allowed_origins\": \"https://b.example, https://c.example\"}}");
    ServerConfig config = ConfigLoader.load(Map.of("CONFIG_PATH", file.toString()));
    assertThat(config.http().corsOrigins().listed()).containsExactly("https://a.example");
    assertThat(config.stream().allowedOrigins().listed()).containsExactlyInAnyOrder("https://b.example",
        "https://c.example");
    Files.writeString(file, "{\"stream\": {\"allowed_origins\": [\"https://b.example\", 7]}}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", file.toString())))
        .hasMessage("key 'stream.allowed_origins' in config file " + file + ": entry 2 must be a non-empty origin, "
            + "got 7");
  }
}
