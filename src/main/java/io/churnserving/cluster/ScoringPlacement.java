package io.churnserving.cluster;

import io.churnserving.scoring.BatchDispatch;
import io.churnserving.serving.Placement;

/**
 * A scoring node's placement: every version loaded and its workers deployed here, on an address of this node's own
 * ({@link Announcements#nodeAddress}), which HTTP nodes send to once they have heard this node announce it. A
 * version reloaded under its own number keeps that address: in a cluster a version's files are not meant to change
 * under its number.
 */
public record ScoringPlacement(String nodeId) implements Placement {
  @Override
  public boolean loadsModels() {
    return true;
  }

  @Override
  public boolean runsWorkers() {
    return true;
  }

  @Override
  public String workerAddress(String model, String version, long load) {
    return Announcements.nodeAddress(model, version, nodeId);
  }

  @Override
  public BatchDispatch dispatch(String model, String version, String workerAddress) {
    return BatchDispatch.local(workerAddress);
  }
}
