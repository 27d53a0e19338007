package io.churnserving.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README documents every setting and starts with the two commands CI and users run. */
class ReadmeTest {
  @Test
  void everySettingIsInTheConfigurationTable() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting s : Setting.values()) {
      assertThat(readme).as(s.name()).contains("| `" + s.env() + "` | `" + s.key() + "` |");
    }
  }

  @Test
  void theTestCommandAtTheTopIsTheOneCiRuns() throws Exception {
    String top = Files.readString(Path.of("README.md")).lines().limit(6).reduce("", (a, b) -> a + b + "\n");
    assertThat(top).contains("-jar target/churn-serving.jar").contains("mvn -B verify");
    assertThat(Files.readString(Path.of(".ci/run"))).contains("mvn -B verify");
  }
}
