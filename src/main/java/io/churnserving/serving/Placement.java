package io.churnserving.serving;

import io.churnserving.scoring.BatchDispatch;
import io.churnserving.scoring.ScoringBus;

/**
 * Where a node's model versions run, by its role: in one process both the transports and the workers; on an HTTP
 * node only the transports, which send each batch to a scoring node; on a scoring node only the workers, on an
 * address of that node's own. {@link ModelControl} asks it how to load and deploy each version.
 */
public interface Placement {
  /** Whether versions load their ONNX model here; an HTTP node only reads their metadata and schema. */
  boolean loadsModels();

  /** Whether versions get scoring workers here. */
  boolean runsWorkers();

  /** The address this node's workers of one load of a version take batches on. */
  String workerAddress(String model, String version, long load);

  /** How this node's transports reach a version's workers ({@code workerAddress} when they run here). */
  BatchDispatch dispatch(String model, String version, String workerAddress);

  /** One process: workers beside the transports, on an address per load, reached in this JVM only. */
  static Placement local() {
    return new Placement() {
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
        return ScoringBus.address(model, version, load);
      }

      @Override
      public BatchDispatch dispatch(String model, String version, String workerAddress) {
        return BatchDispatch.local(workerAddress);
      }
    };
  }
}
