package io.churnserving.cluster;

import io.churnserving.scoring.ScoringBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * How scoring nodes say which model versions they serve: each publishes
 * {@code {"node": id, "versions": ["model/version", ...], "leaving": false}} on {@link #NODES} every
 * {@link #INTERVAL_MS}, at once when an HTTP node says hello on {@link #HELLO}, and once with {@code leaving} true
 * when it starts to drain.
 *
 * <p>Why announcements on the bus rather than a Hazelcast-backed {@code AsyncMap} of who serves what: what an HTTP
 * node needs is who serves a version <em>and is alive now</em>. A map entry outlives a node killed with
 * {@code kill -9} until someone removes it, and {@code AsyncMap} has no entry listener, so HTTP nodes would poll it
 * anyway. A periodic announcement carries both facts in one message and goes stale by itself when its sender stops;
 * the membership event of a node that left (Hazelcast's) cuts a killed node off before its announcements would
 * have expired.
 */
public final class Announcements {
  /** Where scoring nodes publish what they serve. */
  public static final String NODES = "churn.scoring.nodes";
  /** Where an HTTP node, once started, asks every scoring node to announce now. */
  public static final String HELLO = "churn.scoring.hello";
  /** How often a scoring node announces. */
  public static final long INTERVAL_MS = 500;
  /** An announcement older than this no longer counts: a node that stopped announcing gets no batch. */
  static final long EXPIRY_MS = 4 * INTERVAL_MS;

  private Announcements() {
  }

  /** The key of a version in an announcement. */
  public static String key(String model, String version) {
    return model + "/" + version;
  }

  /** Where one node's workers of a version take batches: the version's address, made that node's own. */
  public static String nodeAddress(String model, String version, String nodeId) {
    return ScoringBus.address(model, version) + "@" + nodeId;
  }

  static JsonObject announcement(String nodeId, Collection<String> versions, boolean leaving) {
    return new JsonObject().put("node", nodeId).put("versions", new JsonArray(versions.stream().sorted().toList()))
        .put("leaving", leaving);
  }

  /** The versions of an announcement; empty for one that is malformed. */
  static Set<String> versions(JsonObject announcement) {
    Set<String> out = new HashSet<>();
    JsonArray versions = announcement.getJsonArray("versions", new JsonArray());
    for (Object v : versions) {
      if (v instanceof String s) {
        out.add(s);
      }
    }
    return out;
  }
}
