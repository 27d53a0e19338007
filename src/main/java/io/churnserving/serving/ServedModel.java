package io.churnserving.serving;

import io.churnserving.repository.ModelSettings;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One model: its settings and its served versions, by number. Immutable: a change of versions makes a new one.
 *
 * @param name     the model's name
 * @param settings its policy, labels and whether it is required
 * @param versions its ready versions, by number
 */
public record ServedModel(String name, ModelSettings settings, NavigableMap<Long, ServedVersion> versions) {

  public ServedModel {
    versions = java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(versions));
  }

  /**
   * The version a route without one gets: the {@code stable} label's, when it is set and that version is served,
   * else the newest served version; null when none is served.
   */
  public ServedVersion defaultVersion() {
    Long version = settings.defaultOf(versions.navigableKeySet());
    return version == null ? null : versions.get(version);
  }

  /**
   * The version a route names: a version number or a label.
   *
   * @throws ModelNotFound when it is neither served nor a label of a served version
   */
  public ServedVersion version(String versionOrLabel) {
    Long number = settings.labels().get(versionOrLabel);
    if (number == null) {
      try {
        number = io.churnserving.repository.ModelRepository.version(versionOrLabel);
      } catch (IllegalArgumentException e) {
        throw new ModelNotFound("model " + name + " has no version or label '" + versionOrLabel + "'");
      }
    }
    ServedVersion v = versions.get(number);
    if (v == null) {
      throw new ModelNotFound("version " + versionOrLabel + " of model " + name + " is not served");
    }
    return v;
  }
}
