package io.churnserving.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.churnserving.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  @Test
  void acceptsPlainAndHashedKeysOnly() {
    ApiKeys keys = ApiKeys.of(List.of("plain-key", ApiKeys.hashEntry("hashed-key")));
    assertThat(keys.find("plain-key")).isNotNull();
    assertThat(keys.find("hashed-key")).isNotNull();
    assertThat(keys.find(ApiKeys.hashEntry("hashed-key"))).isNull();
    assertThat(keys.find("plain-key ")).isNull();
    assertThat(keys.find("")).isNull();
    assertThat(keys.find(null)).isNull();
  }

  @Test
  void aMalformedDigestIsAConfigError() {
    assertThatThrownBy(() -> ApiKeys.of(List.of("sha256:abc"))).isInstanceOf(ConfigException.class);
  }

  @Test
  void keyFileErrorsNameThePlaceButNeverWhatIsThere() {
    String secret = "Sup3rSecretKey";
    String hex = "a".repeat(64);
    assertThatThrownBy(() -> ApiKeys.of(List.of(), "{\"keys\": [\n" + secret + "]}"))
        .isInstanceOf(ConfigException.class).hasMessage("key file is not valid JSON (line 2, column 15)");
    assertThatThrownBy(() -> ApiKeys.of(List.of(), "{\"keys\": [{\"name\": \"crm\", \"sha256\": \"" + hex
        + "\", \"scopes\": [\"predict\", \"" + secret + "\"]}]}"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("key 'crm' in the key file: scope 2 is unknown; use \"predict\" or \"admin\"");
    assertThatThrownBy(() -> ApiKeys.of(List.of(), "{\"keys\": [{\"name\": \"crm\", \"" + secret + "\": 1}]}"))
        .isInstanceOf(ConfigException.class).message().doesNotContain(secret).contains("unknown field");
    assertThatThrownBy(() -> ApiKeys.of(List.of(), "{\"keys\": [{\"name\": \"crm\", \"sha256\": \"" + secret
        + "\", \"scopes\": [\"predict\"]}]}"))
        .isInstanceOf(ConfigException.class).message().doesNotContain(secret).contains("'sha256' must be");
  }

  @Test
  void aMalformedConfiguredDigestIsNamedByItsPosition() {
    assertThatThrownBy(() -> ApiKeys.of(List.of("own-key", "sha256:Sup3rSecretKey")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("API key entry 2 starts with 'sha256:' but is not 64 hex digits after it");
  }
}
