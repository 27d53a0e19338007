package io.churnserving.apidocs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * This build's name and version, as Maven wrote them into {@code churn-serving/build.properties} (a filtered
 * resource, so the same on the test classpath as in the shaded jar, where a manifest entry would not be).
 *
 * @param name    {@code churn-serving}
 * @param version the project version, e.g. {@code 0.1.0-SNAPSHOT}
 */
public record ServerVersion(String name, String version) {
  static final String RESOURCE = "churn-serving/build.properties";

  /** Reads the resource from the classpath. Blocking: call it off the event loop. */
  public static ServerVersion load() {
    Properties p = new Properties();
    try (InputStream in = ServerVersion.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing from the jar: " + RESOURCE);
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = p.getProperty("version", "");
    if (version.isBlank() || version.startsWith("${")) {
      // Only when the resource was copied unfiltered (an IDE's own build, say): say so rather than print "${...}".
      version = "unknown";
    }
    return new ServerVersion(p.getProperty("name", "churn-serving"), version);
  }
}
