package io.churnserving.http;

import io.churnserving.config.ServerConfig;
import io.churnserving.errors.ClientProblem;
import io.churnserving.oip.RepositoryRequests;
import io.churnserving.serving.ModelControl;
import io.churnserving.serving.VersionState;
import io.churnserving.serving.VersionStatus;
import io.churnserving.validation.JsonBodyParser;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * The Open Inference Protocol's model repository extension, admin scope: {@code POST /v2/repository/index} lists
 * every version found or asked for with its state; {@code POST /v2/repository/models/{model}/load} and
 * {@code .../unload} change what is served, only when {@code MODEL_CONTROL_MODE} is {@code explicit} (as Triton's
 * explicit mode). A load may move the model's labels: {@code {"parameters": {"labels": {"stable": 2}}}}.
 */
final class RepositoryHandlers {
  private RepositoryHandlers() {
  }

  static Handler<RoutingContext> index(ModelControl control) {
    return ctx -> {
      Boolean readyOnly = null;
      Buffer body = ctx.body().buffer();
      if (body != null && body.length() > 0) {
        Map<?, ?> request = object(body);
        if (request.get("ready") instanceof Boolean b) {
          readyOnly = b;
        }
      }
      JsonArray out = new JsonArray();
      for (VersionStatus s : control.index()) {
        if (readyOnly == null || readyOnly == (s.state() == VersionState.READY)) {
          out.add(new JsonObject().put("name", s.name()).put("version", s.version()).put("state", s.state().name())
              .put("reason", s.reason()));
        }
      }
      Responses.body(ctx, Responses.JSON, out.toBuffer());
    };
  }

  static Handler<RoutingContext> load(ModelControl control, ServerConfig.ControlMode mode) {
    return ctx -> {
      RepositoryRequests.requireExplicit(mode);
      Map<String, Long> labels = labels(ctx.body().buffer());
      control.load(ctx.pathParam("model"), labels)
          .onSuccess(v -> Responses.body(ctx, Responses.JSON, Buffer.buffer("{}")))
          .onFailure(ctx::fail);
    };
  }

  static Handler<RoutingContext> unload(ModelControl control, ServerConfig.ControlMode mode) {
    return ctx -> {
      RepositoryRequests.requireExplicit(mode);
      control.unload(ctx.pathParam("model"))
          .onSuccess(v -> Responses.body(ctx, Responses.JSON, Buffer.buffer("{}")))
          .onFailure(ctx::fail);
    };
  }

  private static Map<?, ?> object(Buffer body) {
    Object parsed = JsonBodyParser.parse(body.getBytes());
    if (!(parsed instanceof Map<?, ?> map)) {
      throw ClientProblem.of(400, "The body must be a JSON object");
    }
    return map;
  }

  /** The labels a load sets, or null when the body sets none. */
  private static Map<String, Long> labels(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    Map<?, ?> request = object(body);
    if (!(request.get("parameters") instanceof Map<?, ?> parameters) || !parameters.containsKey("labels")) {
      return null;
    }
    return RepositoryRequests.labels(parameters.get("labels"));
  }
}
