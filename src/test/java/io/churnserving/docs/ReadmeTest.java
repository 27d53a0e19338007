package io.churnserving.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README documents every setting and starts with the three commands CI and users run. */
class ReadmeTest {
  @Test
  void everySettingIsInTheConfigurationTable() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting s : Setting.values()) {
      assertThat(readme).as(s.name()).contains("| `" + s.env() + "` | `" + s.key() + "` |");
    }
  }

  /**
   * A JVM that ran out of memory can live on answering nothing; the flag makes it exit so a supervisor restarts it.
   * The server's own handler catches only what reaches it, so the documented command carries the flag: the first
   * command of the first {@code bash} block, and every other documented command that serves.
   */
  @Test
  void theStartCommandsExitOnOutOfMemory() throws Exception {
    List<String> bashLines = new ArrayList<>();
    boolean inBash = false;
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      if (line.startsWith("```")) {
        inBash = !inBash && line.equals("```bash");
      } else if (inBash) {
        bashLines.add(line);
      }
    }
    assertThat(bashLines).isNotEmpty();
    assertThat(bashLines.get(0)).as("the first command of README").contains("-jar target/churn-serving.jar")
        .contains("-XX:+ExitOnOutOfMemoryError");
    List<String> serving = bashLines.stream().filter(l -> l.contains("java ") && l.contains("churn-serving.jar"))
        .filter(l -> !l.contains("churn-serving.jar bench")).toList();
    assertThat(serving).allSatisfy(l -> assertThat(l).contains("-XX:+ExitOnOutOfMemoryError"));
  }

  /**
   * A new user runs the README's second command on a machine with only Java and Maven: the script installs the
   * programs the tests drive, then runs Maven. CI runs that same script, so the two cannot drift apart.
   */
  @Test
  void theTestCommandAtTheTopIsTheOneCiRuns() throws Exception {
    String top = Files.readString(Path.of("README.md")).lines().limit(6).reduce("", (a, b) -> a + b + "\n");
    assertThat(top).contains("-jar target/churn-serving.jar").contains("\nsrc/test/verify.sh ");
    assertThat(Files.readString(Path.of(".ci/run")).lines().filter(l -> !l.startsWith("#")))
        .contains("bash src/test/verify.sh").noneMatch(l -> l.contains("mvn") || l.contains("apt-get"));
    Path script = Path.of("src/test/verify.sh");
    assertThat(Files.isExecutable(script)).as("src/test/verify.sh is executable").isTrue();
    String text = Files.readString(script);
    assertThat(text).contains("mvn -B verify \"$@\"").contains("exec src/test/image.sh")
        .contains("command -v promtool").contains("prometheus")
        .contains("/usr/bin/chromium").contains("/usr/bin/chromedriver").contains("chromium-driver")
        .contains("src/test/redocly/package-lock.json").contains("npm ci");
  }

  /**
   * README's image command is the one the image test builds with, and the test command runs that test: the image
   * README tells people to build is the image that was started, scored and stopped.
   */
  @Test
  void theImageCommandAtTheTopIsTheOneCiTests() throws Exception {
    assertThat(Files.readString(Path.of("README.md"))).contains("\nsrc/main/container/build-image.sh ");
    assertThat(Files.readString(Path.of("src/test/verify.sh")).lines().filter(l -> !l.startsWith("#")))
        .anySatisfy(l -> assertThat(l).contains("exec src/test/image.sh"));
    for (String script : List.of("src/test/image.sh", "src/main/container/build-image.sh",
        "src/main/container/make-base.sh")) {
      assertThat(Files.isExecutable(Path.of(script))).as(script + " is executable").isTrue();
    }
    assertThat(Files.readString(Path.of("src/test/image.sh"))).contains("src/main/container/build-image.sh \"$@\"")
        .contains("--runtime runc").contains("/health/ready").contains("/predict").contains("id -u")
        .contains("podman stop");
  }
}
