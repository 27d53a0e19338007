package io.churnserving.repository;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository folder: {@code <name>/<version>/}, versions being positive integers, as in Triton and TF Serving, so
 * that "newest" means the highest number. Anything else in it is skipped with a log line. Reads the file system:
 * call it off the event loop.
 */
public final class ModelRepository {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

  private final Path root;

  public ModelRepository(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The folder of one version. */
  public Path versionDir(String name, long version) {
    return root.resolve(name).resolve(Long.toString(version));
  }

  /**
   * Every model and its version folders, by name.
   *
   * @throws IOException the root cannot be listed
   */
  public Map<String, NavigableSet<Long>> scan() throws IOException {
    Map<String, NavigableSet<Long>> out = new TreeMap<>();
    try (DirectoryStream<Path> models = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path model : models) {
        String name = model.getFileName().toString();
        if (!validName(name)) {
          LOG.atWarn().addKeyValue("folder", model.toString())
              .log("Skipping a folder of the model repository whose name is not a model name ([A-Za-z0-9_.-])");
          continue;
        }
        NavigableSet<Long> versions = new TreeSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(model, Files::isDirectory)) {
          for (Path dir : dirs) {
            try {
              versions.add(version(dir.getFileName().toString()));
            } catch (IllegalArgumentException e) {
              LOG.atWarn().addKeyValue("folder", dir.toString())
                  .log("Skipping a model folder whose name is not a version (a positive integer)");
            }
          }
        }
        out.put(name, versions);
      }
    }
    return out;
  }

  /**
   * One model as it is to be served: its settings and the versions its policy picks of those present.
   *
   * @param name     the model
   * @param settings how it is served
   * @param versions the versions to load, lowest first
   */
  public record Planned(String name, ModelSettings settings, NavigableSet<Long> versions) {
  }

  /**
   * Every model of the repository with the versions its policy picks.
   *
   * @param settingsFor each model's settings, by name
   * @throws IOException the root cannot be listed
   */
  public List<Planned> plan(Function<String, ModelSettings> settingsFor) throws IOException {
    List<Planned> out = new ArrayList<>();
    for (Map.Entry<String, NavigableSet<Long>> model : scan().entrySet()) {
      ModelSettings settings = settingsFor.apply(model.getKey());
      out.add(new Planned(model.getKey(), settings, settings.policy().select(model.getValue())));
    }
    return out;
  }

  /** A model name as routes and the repository take it. */
  public static boolean validName(String name) {
    return !name.isEmpty() && name.length() <= 128 && !name.startsWith(".")
        && name.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-' || c == '.');
  }

  /**
   * A version as written in a folder or a route: a positive integer without sign or leading zeros.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static long version(String text) {
    if (text.isEmpty() || text.length() > 18 || text.charAt(0) == '0' || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("'" + text + "' is not a version (a positive integer)");
    }
    return Long.parseLong(text);
  }
}
