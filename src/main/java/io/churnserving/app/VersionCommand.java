package io.churnserving.app;

import io.churnserving.apidocs.ServerVersion;
import io.churnserving.config.ConfigException;
import io.churnserving.config.ConfigLoader;
import io.churnserving.config.ServerConfig;
import io.churnserving.model.ModelLoadException;
import io.churnserving.model.ModelLoader;
import io.churnserving.model.ModelMetadata;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code --version}: this build's version, then the model the configuration would serve, read from its
 * {@code metadata.json} without loading the model (no ONNX Runtime, no port), so it answers in a moment.
 */
final class VersionCommand {
  private VersionCommand() {
  }

  /**
   * Prints the version lines.
   *
   * @return 0; 1 when the model cannot be told (a bad config, no model where the config points), said on {@code err}
   */
  static int print(Map<String, String> env, PrintStream out, PrintStream err) {
    ServerVersion server = ServerVersion.load();
    out.println(server.name() + " " + server.version());
    try {
      ServerConfig.Model model = ConfigLoader.load(env).model();
      ModelMetadata metadata = ModelLoader.readMetadata(model.requireVersionDir());
      out.println("model " + metadata.name() + " version " + metadata.version() + " (" + model.versionDir() + ")");
      return 0;
    } catch (ConfigException | ModelLoadException e) {
      err.println("Cannot tell the model version: " + e.getMessage());
      return 1;
    }
  }
}
