package io.churnserving.bench;

import io.churnserving.validation.RequestValidator;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The request schema of the model version a run aims at, read from {@code --schema}: the harness draws its bodies
 * from it ({@link RequestValidator#sample}), so it knows no model's fields and sends whatever that version accepts.
 * Read once, on the command line's thread, before any load: never on an event loop.
 */
public final class SchemaFile {
  /** The repository's first churn version; relative, like every {@code --schema}, to the working directory. */
  public static final Path DEFAULT = Path.of("models", "churn", "1", "schema.json");
  static final String NAME = "schema.json";

  private SchemaFile() {
  }

  /**
   * Reads and compiles the schema in {@code file}, or in {@code file/schema.json} when {@code file} is a model
   * version's folder.
   *
   * @throws IllegalArgumentException with a message fit for the user, naming the file (and, for a relative path,
   *                                  the working directory it was looked up in), when it is missing, unreadable,
   *                                  not JSON, or not a schema the server can compile
   */
  public static RequestValidator read(Path file) {
    Path path = Files.isDirectory(file) ? file.resolve(NAME) : file;
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--schema " + path + ": no such file" + where(path)
          + "; give a model version's schema, models/<name>/<version>/schema.json");
    } catch (IOException e) {
      throw new IllegalArgumentException("--schema " + path + ": cannot be read" + where(path) + ": " + e);
    }
    JsonObject schema;
    try {
      schema = new JsonObject(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--schema " + path + " is not a JSON object: " + e.getMessage());
    }
    try {
      // The batch bound plays no part in drawing bodies; the validator is used here as a sampler only.
      return RequestValidator.of(schema, RequestValidator.DEFAULT_MAX_INSTANCES);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--schema " + path + " is not a request schema the server takes: "
          + e.getMessage());
    }
  }

  private static String where(Path path) {
    return path.isAbsolute() ? "" : " (working directory " + Path.of("").toAbsolutePath() + ")";
  }
}
