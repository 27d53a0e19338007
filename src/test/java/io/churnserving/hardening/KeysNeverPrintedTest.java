package io.churnserving.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.app.Main;
import io.churnserving.support.JavaProcess;
import io.churnserving.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server process, started with a key in a configuration it refuses: the refusal names the file and the
 * place at fault in one line, and no key reaches stdout or stderr.
 */
class KeysNeverPrintedTest {
  private static final String SECRET = "Sup3rSecretKey";

  @TempDir
  Path dir;

  private static JavaProcess.Result run(String... env) throws Exception {
    Map<String, String> vars = TestServer.baseEnv();
    for (int i = 0; i < env.length; i += 2) {
      vars.put(env[i], env[i + 1]);
    }
    return JavaProcess.run(Main.class.getName(), vars);
  }

  /** Exit 1 with one "Cannot start:" line, as README promises, and the secret nowhere. */
  private static String refusal(JavaProcess.Result result) {
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout()).doesNotContain(SECRET);
    assertThat(result.stderr()).doesNotContain(SECRET);
    var lines = result.stderr().lines().filter(l -> l.startsWith("Cannot start:")).toList();
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void aKeyListWithAWrongEntryIsNamedByPosition() throws Exception {
    Path config = write("config.json", "{\"security\": {\"api_keys\": [\"" + SECRET + "\", 7]}}");
    assertThat(refusal(run("CONFIG_PATH", config.toString()))).isEqualTo("Cannot start: key 'security.api_keys' "
        + "in config file " + config + ": entry 2 must be a non-empty string, got a number");
  }

  @Test
  void aConfigFileThatIsNotJsonIsNamedByLineAndColumn() throws Exception {
    Path config = write("config.json", "{\"security\": {\n  \"api_keys\": [" + SECRET + "]}}");
    assertThat(refusal(run("CONFIG_PATH", config.toString())))
        .isEqualTo("Cannot start: config file " + config + " is not valid JSON (line 2, column 30)");
  }

  @Test
  void aKeyFileThatIsNotJsonIsNamedByLineAndColumn() throws Exception {
    Path keys = write("keys.json", "{\"keys\": [" + SECRET + "]}");
    assertThat(refusal(run("API_KEYS_FILE", keys.toString())))
        .isEqualTo("Cannot start: key file is not valid JSON (line 1, column 25)");
  }

  @Test
  void aKeyFileWithAKeyWhereAScopeGoesIsNamedByPosition() throws Exception {
    Path keys = write("keys.json", "{\"keys\": [{\"name\": \"crm\", \"sha256\": \"" + "a".repeat(64)
        + "\", \"scopes\": [\"" + SECRET + "\"]}]}");
    assertThat(refusal(run("API_KEYS_FILE", keys.toString())))
        .isEqualTo("Cannot start: key 'crm' in the key file: scope 1 is unknown; use \"predict\" or \"admin\"");
  }

  @Test
  void anApiKeysVariableSetButEmptyIsRefusedInOneLine() throws Exception {
    assertThat(refusal(run("API_KEYS", ""))).isEqualTo("Cannot start: environment variable API_KEYS is set but "
        + "holds no key: unset it, or list your keys");
  }
}
