package io.churnserving.oip;

import io.churnserving.config.ServerConfig;
import io.churnserving.errors.ClientProblem;
import io.churnserving.repository.ModelRepository;
import io.churnserving.repository.ModelSettings;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The repository extension's load and unload requests, for REST and gRPC alike: allowed only in the explicit control
 * mode (as Triton's), and a load's labels checked.
 */
public final class RepositoryRequests {
  private RepositoryRequests() {
  }

  /**
   * @throws ClientProblem 409 unless {@code MODEL_CONTROL_MODE} is {@code explicit}
   */
  public static void requireExplicit(ServerConfig.ControlMode mode) {
    if (mode != ServerConfig.ControlMode.EXPLICIT) {
      throw ClientProblem.of(409, "Loading and unloading through the API needs MODEL_CONTROL_MODE=explicit; this "
          + "server runs with " + mode.name().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * The labels a load moves: label to version number.
   *
   * @param given the request's {@code labels} parameter, an object of versions by label
   * @throws ClientProblem 400 naming a label or version that is not one
   */
  public static Map<String, Long> labels(Object given) {
    if (!(given instanceof Map<?, ?> map)) {
      throw ClientProblem.of(400, "parameters.labels must be an object of versions by label");
    }
    Map<String, Long> labels = new TreeMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String label = String.valueOf(e.getKey());
      try {
        labels.put(ModelSettings.label(label), ModelRepository.version(String.valueOf(e.getValue())));
      } catch (IllegalArgumentException bad) {
        throw ClientProblem.of(400, "parameters.labels." + label + ": " + bad.getMessage());
      }
    }
    return labels;
  }
}
