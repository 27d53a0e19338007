package io.churnserving.cluster;

import io.churnserving.serving.ServedModel;
import io.churnserving.serving.ServedModels;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scoring node's voice: announces the versions it serves now (read from the served set on each announcement, so a
 * version loaded or unloaded later is announced too), and that it is leaving once it drains. See
 * {@link Announcements}.
 */
public final class NodeAnnouncer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAnnouncer.class);

  private final String nodeId;
  private final ServedModels models;
  private volatile boolean leaving;
  private MessageConsumer<Object> hello;

  public NodeAnnouncer(String nodeId, ServedModels models) {
    this.nodeId = nodeId;
    this.models = models;
  }

  @Override
  public Future<?> start() {
    hello = vertx.eventBus().consumer(Announcements.HELLO, m -> announce());
    vertx.setPeriodic(Announcements.INTERVAL_MS, id -> announce());
    return hello.completion().onSuccess(v -> announce());
  }

  /**
   * Says this node takes no more batches: HTTP nodes stop sending to it on receipt. Batches already sent are still
   * answered; thread-safe.
   */
  public void leave() {
    leaving = true;
    LOG.atInfo().addKeyValue("node", nodeId).log("Leaving: announced that this scoring node takes no more batches");
    vertx.eventBus().publish(Announcements.NODES, Announcements.announcement(nodeId, List.of(), true));
  }

  private void announce() {
    if (leaving) {
      vertx.eventBus().publish(Announcements.NODES, Announcements.announcement(nodeId, List.of(), true));
      return;
    }
    List<String> versions = new ArrayList<>();
    for (ServedModel m : models.models()) {
      m.versions().values().forEach(v -> versions.add(Announcements.key(v.name(), v.version())));
    }
    vertx.eventBus().publish(Announcements.NODES, Announcements.announcement(nodeId, versions, false));
  }
}
