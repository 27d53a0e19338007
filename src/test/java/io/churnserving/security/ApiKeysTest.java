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
}
