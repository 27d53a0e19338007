package io.churnserving.cluster;

import io.churnserving.scoring.BatchDispatch;
import io.churnserving.scoring.ScoringBus;
import io.churnserving.serving.Placement;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP node's view of the scoring nodes: which node serves which version, from their announcements, and every
 * batch in flight to each, so that when a node leaves the cluster (killed, cut off) its batches fail at once and are
 * sent again elsewhere rather than wait out their deadline. As a {@link Placement}, it loads no model and gives
 * each version a {@link RemoteDispatch}.
 *
 * <p>Why each batch goes to a node's own address rather than to one address all scoring nodes consume (where the
 * event bus would round-robin by itself): the bus does not say which node took a message, and nothing fails a
 * request whose node vanished before its reply until the request times out. Knowing the node is what makes the
 * fail-fast retry possible; the round robin is done here instead, over the nodes serving the version.
 *
 * <p>Read from every event loop, written from this verticle's context and from Hazelcast's membership thread:
 * concurrent maps only.
 */
public final class ScoringNodes extends VerticleBase implements Placement {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringNodes.class);

  /** A node as last announced. */
  private record Node(Set<String> versions, long seenNanos) {
  }

  /** One batch sent to a node and not yet answered. */
  record InFlight(String node, Context context, Promise<?> answer) {
  }

  /** The node a batch was on left the cluster before answering: the batch may be sent again elsewhere. */
  static final class NodeLost extends RuntimeException {
    NodeLost(String node) {
      super("scoring node " + node + " left the cluster", null, false, false);
    }
  }

  private final Map<String, Node> nodes = new ConcurrentHashMap<>();
  private final Map<String, Set<InFlight>> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  private MessageConsumer<JsonObject> consumer;

  /** Call once the cluster is joined: nodes that leave are cut off from then on. */
  public ScoringNodes(HazelcastCluster cluster) {
    cluster.onNodeLeft(this::lost);
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Announcements.NODES, m -> heard(m.body()));
    return consumer.completion().onSuccess(v -> vertx.eventBus().publish(Announcements.HELLO, new JsonObject()));
  }

  private void heard(JsonObject announcement) {
    String node = announcement.getString("node");
    if (node == null) {
      return;
    }
    if (announcement.getBoolean("leaving", false)) {
      // No new batch goes there; those already sent are answered by it.
      if (nodes.remove(node) != null) {
        LOG.atInfo().addKeyValue("node", node).log("Scoring node is leaving; no more batches go to it");
      }
      return;
    }
    Node before = nodes.put(node, new Node(Announcements.versions(announcement), System.nanoTime()));
    if (before == null) {
      LOG.atInfo().addKeyValue("node", node).addKeyValue("versions", announcement.getJsonArray("versions").encode())
          .log("Scoring node joined");
    }
  }

  /** A node left the cluster: no batch goes there any more, and those on it are sent again. */
  private void lost(String node) {
    nodes.remove(node);
    Set<InFlight> lost = inFlight.remove(node);
    LOG.atWarn().addKeyValue("node", node).addKeyValue("batches_in_flight", lost == null ? 0 : lost.size())
        .log("Scoring node left the cluster; its batches in flight go to another node");
    if (lost != null) {
      NodeLost failure = new NodeLost(node);
      for (InFlight f : lost) {
        f.context().runOnContext(v -> f.answer().tryFail(failure));
      }
    }
  }

  /** Stops sending to a node that refused a connection, until it announces again. */
  void suspect(String node) {
    nodes.remove(node);
  }

  /** The live nodes serving a version, in a stable order. */
  List<String> serving(String model, String version) {
    String key = Announcements.key(model, version);
    long now = System.nanoTime();
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Node> e : nodes.entrySet()) {
      Node n = e.getValue();
      if (n.versions().contains(key) && now - n.seenNanos() < Announcements.EXPIRY_MS * 1_000_000) {
        out.add(e.getKey());
      }
    }
    out.sort(null);
    return out;
  }

  /** The next live node serving a version, round robin, other than {@code not}; null when there is none. */
  String pick(String model, String version, String not) {
    List<String> candidates = serving(model, version);
    candidates.remove(not);
    if (candidates.isEmpty()) {
      return null;
    }
    return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
  }

  InFlight track(String node, Context context, Promise<?> answer) {
    InFlight f = new InFlight(node, context, answer);
    inFlight.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(f);
    return f;
  }

  void untrack(InFlight f) {
    Set<InFlight> set = inFlight.get(f.node());
    if (set != null) {
      set.remove(f);
    }
  }

  @Override
  public boolean loadsModels() {
    return false;
  }

  @Override
  public boolean runsWorkers() {
    return false;
  }

  @Override
  public String workerAddress(String model, String version, long load) {
    return ScoringBus.address(model, version);
  }

  @Override
  public BatchDispatch dispatch(String model, String version, String workerAddress) {
    return new RemoteDispatch(this, model, version);
  }
}
