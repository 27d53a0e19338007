package io.churnserving.http;

import io.churnserving.serving.ModelNotFound;
import io.churnserving.serving.ServedModel;
import io.churnserving.serving.ServedModels;
import io.churnserving.serving.ServedVersion;
import io.churnserving.serving.VersionState;
import io.churnserving.serving.VersionStatus;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * KServe V1 status: {@code GET /v1/models} lists the served models; {@code GET /v1/models/{model}} and
 * {@code GET /v1/models/{model}/versions/{version}} say whether one is ready, with its versions, labels and the
 * version a route without one gets. A version found in the repository but not serving is listed with its state and
 * reason; one never found is a 404.
 */
final class ModelStatusHandler {
  private ModelStatusHandler() {
  }

  static Handler<RoutingContext> list(ServedModels models) {
    return ctx -> {
      JsonArray names = new JsonArray();
      JsonArray details = new JsonArray();
      for (ServedModel m : models.models()) {
        names.add(m.name());
        details.add(model(models, m));
      }
      Responses.body(ctx, Responses.JSON, new JsonObject().put("models", names).put("details", details).toBuffer());
    };
  }

  static Handler<RoutingContext> model(ServedModels models) {
    return ctx -> {
      String name = ctx.pathParam("model");
      String version = ctx.pathParam("version");
      ServedModel m = models.model(name);
      Responses.body(ctx, Responses.JSON, (version == null ? model(models, m) : version(models, m, version)).toBuffer());
    };
  }

  private static JsonObject model(ServedModels models, ServedModel m) {
    JsonArray versions = new JsonArray();
    m.versions().keySet().forEach(v -> versions.add(Long.toString(v)));
    JsonArray unavailable = new JsonArray();
    for (VersionStatus s : models.index()) {
      if (s.name().equals(m.name()) && s.state() != VersionState.READY) {
        unavailable.add(status(s));
      }
    }
    ServedVersion def = m.defaultVersion();
    JsonObject labels = new JsonObject();
    for (Map.Entry<String, Long> l : m.settings().labels().entrySet()) {
      labels.put(l.getKey(), Long.toString(l.getValue()));
    }
    return new JsonObject().put("name", m.name()).put("versions", versions)
        .put("state", def != null ? VersionState.READY.name() : VersionState.UNAVAILABLE.name())
        .put("ready", def != null).put("default_version", def == null ? null : def.version())
        .put("labels", labels).put("policy", m.settings().policy().toString())
        .put("unavailable", unavailable);
  }

  private static JsonObject version(ServedModels models, ServedModel m, String version) {
    try {
      ServedVersion v = m.version(version);
      return new JsonObject().put("name", m.name()).put("version", v.version())
          .put("state", VersionState.READY.name()).put("ready", true);
    } catch (ModelNotFound notServed) {
      for (VersionStatus s : models.index()) {
        if (s.name().equals(m.name()) && s.version().equals(version)) {
          return status(s).put("ready", false);
        }
      }
      throw notServed;
    }
  }

  private static JsonObject status(VersionStatus s) {
    JsonObject out = new JsonObject().put("name", s.name()).put("version", s.version()).put("state", s.state().name());
    return s.reason().isEmpty() ? out : out.put("reason", s.reason());
  }
}
