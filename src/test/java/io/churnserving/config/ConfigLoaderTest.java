package io.churnserving.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private Path file(String json) throws Exception {
    Path p = dir.resolve("config.json");
    Files.writeString(p, json);
    return p;
  }

  @Test
  void builtInDefaultsApplyWhenTheDefaultFileIsAbsent() {
    ServerConfig c = ConfigLoader.load(Map.of("CONFIG_PATH", ""));
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.apiKeys()).containsExactly("dev-key");
    assertThat(c.scoring().maxInstances()).isEqualTo(1000);
  }

  @Test
  void theFileOverridesDefaultsAndTheEnvironmentOverridesTheFile() throws Exception {
    Path f = file("{\"http\": {\"port\": 9001, \"instances\": 3}, \"security\": {\"api_keys\": [\"file-key\"]},"
        + " \"logging\": {\"level\": \"warn\"}}");
    ServerConfig fromFile = ConfigLoader.load(Map.of("CONFIG_PATH", f.toString()));
    assertThat(fromFile.http().port()).isEqualTo(9001);
    assertThat(fromFile.http().instances()).isEqualTo(3);
    assertThat(fromFile.apiKeys()).containsExactly("file-key");
    assertThat(fromFile.logLevel()).isEqualTo("WARN");
    assertThat(fromFile.http().maxBodyBytes()).isEqualTo(65536);

    ServerConfig fromEnv = ConfigLoader.load(Map.of("CONFIG_PATH", f.toString(), "HTTP_PORT", "9002",
        "API_KEYS", "a, b", "LOG_LEVEL", "debug", "MODELS_DIR", "/srv/models"));
    assertThat(fromEnv.http().port()).isEqualTo(9002);
    assertThat(fromEnv.http().instances()).isEqualTo(3);
    assertThat(fromEnv.apiKeys()).containsExactly("a", "b");
    assertThat(fromEnv.logLevel()).isEqualTo("DEBUG");
    assertThat(fromEnv.model().dir()).isEqualTo(Path.of("/srv/models"));
    assertThat(fromEnv.model().settingsFor("churn").policy()).hasToString("latest:1");
  }

  @Test
  void anUnknownKeyIsNamed() throws Exception {
    Path f = file("{\"http\": {\"prot\": 1}}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", f.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'http.prot'")
        .hasMessageContaining(f.toString());
  }

  @Test
  void aValueOfTheWrongTypeOrRangeIsNamed() throws Exception {
    Path f = file("{\"http\": {\"port\": \"eighty\"}}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", f.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("key 'http.port'");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", "", "HTTP_PORT", "70000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("HTTP_PORT");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", "", "LOG_LEVEL", "LOUD")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("LOG_LEVEL");
  }

  @Test
  void malformedJsonAndAMissingNamedFileAreNamed() throws Exception {
    Path f = file("{\"http\": ");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", f.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("is not valid JSON (line 1, column");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", dir.resolve("nope.json").toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("config file not found");
  }

  @Test
  void theDevelopmentKeyAloneIsRefusedOnANonLoopbackAddress() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", "", "HTTP_HOST", "0.0.0.0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no API key configured")
        .hasMessageContaining("set API_KEYS");
    assertThat(ConfigLoader.load(Map.of("CONFIG_PATH", "", "HTTP_HOST", "0.0.0.0", "API_KEYS", "prod-key"))
        .apiKeys()).isEqualTo(List.of("prod-key"));
    assertThat(ConfigLoader.load(Map.of("CONFIG_PATH", "", "HTTP_HOST", "localhost")).http().host())
        .isEqualTo("localhost");
  }

  @Test
  void theRepoConfigListsNoKeySoTheDevelopmentKeyIsTheFallbackOnLoopback() throws Exception {
    assertThat(Files.readString(Path.of("conf/config.json"))).doesNotContain(ServerConfig.DEV_KEY);
    ServerConfig c = ConfigLoader.load(Map.of("CONFIG_PATH", "conf/config.json"));
    assertThat(c.apiKeys()).containsExactly(ServerConfig.DEV_KEY);
    assertThat(c.security().keysFile()).isNull();
  }

  @Test
  void aKeyFileAloneReplacesTheDevelopmentKeyAndMayBindAnyAddress() throws Exception {
    Path keys = dir.resolve("keys.json");
    ServerConfig c = ConfigLoader.load(Map.of("CONFIG_PATH", "conf/config.json", "API_KEYS_FILE", keys.toString(),
        "HTTP_HOST", "0.0.0.0"));
    assertThat(c.apiKeys()).isEmpty();
    assertThat(c.security().keysFile()).isEqualTo(keys);
    assertThat(c.http().host()).isEqualTo("0.0.0.0");
  }

  @Test
  void anEmptyApiKeysVariableIsRefusedRatherThanMeaningTheDevelopmentKey() {
    for (String blank : new String[] {"", " ", " , "}) {
      assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", "", "API_KEYS", blank)))
          .as("API_KEYS='%s'", blank).isInstanceOf(ConfigException.class)
          .hasMessage("environment variable API_KEYS is set but holds no key: unset it, or list your keys");
    }
  }

  @Test
  void theDevelopmentKeyBesideOtherKeysIsRefusedOnANonLoopbackAddress() {
    String digest = "sha256:7e9f8fd111802be56c379d597842e29b2cebd35ff2133d431a49fa556a18704e"; // of dev-key
    for (String devKey : new String[] {"dev-key", digest}) {
      assertThat(ConfigLoader.load(Map.of("CONFIG_PATH", "", "API_KEYS", "own-key," + devKey)).apiKeys())
          .containsExactly("own-key", devKey);
      assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", "", "HTTP_HOST", "0.0.0.0",
          "API_KEYS", "own-key," + devKey))).isInstanceOf(ConfigException.class)
          .hasMessageContaining("public development key 'dev-key' among the accepted keys");
    }
  }

  @Test
  void keyErrorsNameTheEntryButNeverShowAKey() throws Exception {
    String secret = "Sup3rSecretKey";
    Path list = file("{\"security\": {\"api_keys\": [\"" + secret + "\", 7]}}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", list.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("key 'security.api_keys' in config file " + list + ": entry 2 must be a non-empty string, "
            + "got a number");
    Path notAList = file("{\"security\": {\"api_keys\": \"" + secret + "\"}}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", notAList.toString())))
        .isInstanceOf(ConfigException.class).hasMessageEndingWith("must be a list of non-empty strings, got a string");
    Path wrongPlace = file("{\"security\": {\"api_keys_file\": [\"" + secret + "\"]}}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", wrongPlace.toString())))
        .isInstanceOf(ConfigException.class).hasMessageEndingWith("must be a string, got a list");
    Path unquoted = file("{\"security\": {\n  \"api_keys\": [" + secret + "]}}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", unquoted.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file " + unquoted + " is not valid JSON (line 2, column 30)"); // where Jackson stopped reading
  }

  @Test
  void aConfigFileThatIsNotOneJsonObjectIsNamedWithItsPlace() throws Exception {
    Path array = file("[1]");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", array.toString())))
        .hasMessage("config file " + array + " is not a JSON object (line 1, column 1)");
    Path trailing = file("{}\n{\"x\": 1}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", trailing.toString())))
        .hasMessage("config file " + trailing + " has more after its JSON object (line 2, column 1)");
  }

  /** A key written twice would have the second silently win; an empty file is not a JSON object. Both say where. */
  @Test
  void aKeyWrittenTwiceAndAnEmptyFileAreRefusedWithTheirPlace() throws Exception {
    Path twice = file("{\"http\": {\"port\": 9001},\n \"http\": {\"port\": 9002}}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", twice.toString())))
        .hasMessage("config file " + twice + " has the same key twice in one object (line 2, column 8)");
    Path empty = file("\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", empty.toString())))
        .hasMessage("config file " + empty + " is empty: it must hold a JSON object, {} at least");
  }

  /**
   * A value with quotes where none belong is shown with its quotes: a JSON string where a number or a boolean is
   * wanted in double quotes, as JSON writes it; an environment variable whose quotes were kept (docker --env-file
   * keeps them) as it came, with a word on the quotes. Strings that can never be quoted (a host, a path) are
   * refused at once rather than failing later further from their cause.
   */
  @Test
  void aQuotedValueIsShownWithItsQuotes() throws Exception {
    Path f = file("{\"http\": {\"port\": \"8080\"}}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", f.toString())))
        .hasMessage("key 'http.port' in config file " + f + " must be an integer from 0 to 65535, got \"8080\", "
            + "a string: write the number without quotes");
    Path g = file("{\"metrics\": {\"enabled\": \"false\"}}");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", g.toString())))
        .hasMessage("key 'metrics.enabled' in config file " + g + " must be true or false, got \"false\", a string: "
            + "write true or false without quotes");
    String hint = ": the quotes are part of the value (an env file read by docker --env-file keeps them); remove them";
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", "", "HTTP_PORT", "\"8080\"")))
        .hasMessage("environment variable HTTP_PORT must be an integer from 0 to 65535, got '\"8080\"'" + hint);
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", "", "METRICS_ENABLED", "'true'")))
        .hasMessage("environment variable METRICS_ENABLED must be true or false, got ''true''" + hint);
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", "", "HTTP_HOST", "\"127.0.0.1\"")))
        .hasMessage("environment variable HTTP_HOST is '\"127.0.0.1\"'" + hint);
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", "", "MODELS_DIR", "\"/srv/models\"")))
        .hasMessage("environment variable MODELS_DIR is '\"/srv/models\"'" + hint);
    // Without quotes, the value is still shown as it came.
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_PATH", "", "HTTP_PORT", "eighty")))
        .hasMessage("environment variable HTTP_PORT must be an integer from 0 to 65535, got 'eighty'");
  }

  /**
   * The model's folder is looked for where the settings say, and a relative MODELS_DIR (the default) is read from
   * the working directory: the message gives both, and the absolute path that was looked for.
   */
  @Test
  void aMissingModelFolderNamesTheWorkingDirectoryAndModelsDir() throws Exception {
    ServerConfig relative = ConfigLoader.load(Map.of("CONFIG_PATH", "", "MODELS_DIR", "no-such-models"));
    Path cwd = Path.of("").toAbsolutePath();
    assertThatThrownBy(() -> relative.model().requireModelDir()).isInstanceOf(ConfigException.class)
        .hasMessage("model directory not found: " + cwd.resolve("no-such-models/churn") + " (MODELS_DIR "
            + "'no-such-models' is read relative to the working directory " + cwd + ", MODEL_NAME 'churn'): "
            + "start the server from the folder that holds no-such-models, or set MODELS_DIR to an absolute path");
    ServerConfig absolute = ConfigLoader.load(Map.of("CONFIG_PATH", "", "MODELS_DIR", dir.toString(),
        "MODEL_NAME", "other"));
    assertThatThrownBy(() -> absolute.model().requireModelDir())
        .hasMessage("model directory not found: " + dir.resolve("other") + " (MODELS_DIR '" + dir
            + "', MODEL_NAME 'other')");
    assertThat(ConfigLoader.load(Map.of("CONFIG_PATH", "")).model().requireModelDir())
        .isEqualTo(Path.of("models/churn"));
  }
}
