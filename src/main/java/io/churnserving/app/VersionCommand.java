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
import java.util.List;
import java.io.IOException;
import java.nio.file.Path;
import io.churnserving.repository.ModelRepository;

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
      model.requireModelDir();
      ModelRepository repository = new ModelRepository(model.dir());
      for (ModelRepository.Planned planned : repository.plan(model::settingsFor)) {
        for (long v : planned.versions()) {
          Path dir = repository.versionDir(planned.name(), v);
          ModelMetadata metadata = ModelLoader.readMetadata(dir);
          out.println("model " + metadata.name() + " version " + metadata.version() + " (" + dir + ")"
              + labelsOf(planned, v));
        }
      }
      return 0;
    } catch (ConfigException | ModelLoadException | IOException e) {
      err.println("Cannot tell the model version: " + e.getMessage());
      return 1;
    }
  }

  private static String labelsOf(ModelRepository.Planned planned, long version) {
    List<String> labels = planned.settings().labels().entrySet().stream().filter(e -> e.getValue() == version)
        .map(Map.Entry::getKey).sorted().toList();
    return labels.isEmpty() ? "" : " labels " + String.join(",", labels);
  }
}
