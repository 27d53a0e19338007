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
    assertThat(keys.accepts("plain-key")).isTrue();
    assertThat(keys.accepts("hashed-key")).isTrue();
    assertThat(keys.accepts(ApiKeys.hashEntry("hashed-key"))).isFalse();
    assertThat(keys.accepts("plain-key ")).isFalse();
    assertThat(keys.accepts("")).isFalse();
    assertThat(keys.accepts(null)).isFalse();
  }

  @Test
  void aMalformedDigestIsAConfigError() {
    assertThatThrownBy(() -> ApiKeys.of(List.of("sha256:abc"))).isInstanceOf(ConfigException.class);
  }
}
