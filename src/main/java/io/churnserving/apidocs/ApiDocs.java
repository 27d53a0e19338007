package io.churnserving.apidocs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * What the server says about itself: the OpenAPI document, Swagger UI and this build's version, held in memory: a few
 * hundred KB read from the jar once, off the event loop, so serving them never touches the file system.
 *
 * @param openApi the OpenAPI 3.1 document
 * @param page    the {@code /docs} page
 * @param assets  Swagger UI's script and style, and the page's own script, by file name
 * @param server  this build's name and version
 */
public record ApiDocs(JsonObject openApi, Buffer page, Map<String, Buffer> assets, ServerVersion server) {
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String PLACEHOLDER = "__INSTANCE_SCHEMA__";

  /**
   * Reads everything from the classpath, with the default model version's instance schema put in its place.
   * Blocking: call it on a worker thread.
   */
  public static ApiDocs load(JsonObject instanceSchema) {
    JsonObject doc = new JsonObject(read("openapi/openapi.json"));
    JsonObject instance = instanceSchema.copy();
    // The schema file is a standalone document; inside OpenAPI it is one component among others.
    instance.remove("$schema");
    instance.remove("$id");
    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
    if (!PLACEHOLDER.equals(schemas.getValue("CustomerInstance"))) {
      throw new IllegalStateException("openapi.json must hold the instance schema placeholder");
    }
    schemas.put("CustomerInstance", instance);
    ServerVersion server = ServerVersion.load();
    doc.getJsonObject("info").put("version", server.version());
    String version = webjarVersion();
    return new ApiDocs(doc, read("openapi/docs.html"), Map.of(
        "swagger-ui.css", read(WEBJAR + version + "/swagger-ui.css"),
        "swagger-ui-bundle.js", read(WEBJAR + version + "/swagger-ui-bundle.js"),
        "init.js", read("openapi/docs-init.js")), server);
  }

  /**
   * The same, with a path the server does not serve left out of the document: {@code /metrics} when metrics are off
   * or on the management port, so the document lists exactly what this listener answers.
   */
  public ApiDocs withoutPath(String path) {
    if (!openApi.getJsonObject("paths").containsKey(path)) {
      return this;
    }
    JsonObject doc = openApi.copy();
    doc.getJsonObject("paths").remove(path);
    return new ApiDocs(doc, page, assets, server);
  }

  private static String webjarVersion() {
    Properties p = new Properties();
    try (InputStream in = resource("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  private static Buffer read(String path) {
    try (InputStream in = resource(path)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String path) {
    InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("missing from the jar: " + path);
    }
    return in;
  }
}
