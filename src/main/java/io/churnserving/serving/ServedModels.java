package io.churnserving.serving;

import io.churnserving.scoring.ScoringException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every served model, by name, and the repository index. Read by every event loop on every request, so it is an
 * immutable snapshot behind a volatile field: a lookup costs a read and two map lookups, and a change of versions
 * swaps the snapshot whole.
 */
public final class ServedModels {
  private record Snapshot(Map<String, ServedModel> models, List<VersionStatus> index) {
  }

  private final String defaultModel;
  private volatile Snapshot snapshot;

  /**
   * @param defaultModel the model routes without a model name serve
   * @param models       the served models, by name
   * @param index        every version found or asked for, with its state
   */
  public ServedModels(String defaultModel, Map<String, ServedModel> models, List<VersionStatus> index) {
    this.defaultModel = defaultModel;
    this.snapshot = new Snapshot(Map.copyOf(models), List.copyOf(index));
  }

  public String defaultModel() {
    return defaultModel;
  }

  /** Swaps the served set and the index in one write; for {@link ModelControl}. */
  void publish(Map<String, ServedModel> models, List<VersionStatus> index) {
    snapshot = new Snapshot(Map.copyOf(models), List.copyOf(index));
  }

  /** The served models, by name. */
  public Collection<ServedModel> models() {
    return new TreeMap<>(snapshot.models()).values();
  }

  /** Every version found or asked for, with its state, by model and version. */
  public List<VersionStatus> index() {
    return snapshot.index();
  }

  /**
   * A model by name.
   *
   * @throws ModelNotFound when it is not served
   */
  public ServedModel model(String name) {
    ServedModel m = snapshot.models().get(name);
    if (m == null) {
      throw new ModelNotFound("model " + name + " is not served");
    }
    return m;
  }

  /**
   * The version a route names: {@code version} may be a number, a label, or null for the model's default.
   *
   * @throws ModelNotFound                      when the model, version or label is not served
   * @throws ScoringException.ModelUnavailable  when the model is served but has no ready version
   */
  public ServedVersion resolve(String model, String version) {
    ServedModel m = model(model);
    if (version != null) {
      return m.version(version);
    }
    ServedVersion v = m.defaultVersion();
    if (v == null) {
      throw new ScoringException.ModelUnavailable("model " + model + " has no ready version");
    }
    return v;
  }

  /** The default model's default version, what {@code POST /predict} scores with. */
  public ServedVersion defaultVersion() {
    return resolve(defaultModel, null);
  }

  /**
   * The required models that have no ready version, or (on an HTTP node) no version a live scoring node serves, by
   * name; empty when the server can be ready.
   */
  public List<String> missingRequired() {
    List<String> missing = new ArrayList<>();
    for (ServedModel m : snapshot.models().values()) {
      // On an HTTP node a version is loaded but scores only while a scoring node serves it.
      if (m.settings().required() && m.versions().values().stream().noneMatch(v -> v.scorers().reachable())) {
        missing.add(m.name());
      }
    }
    return missing;
  }
}
