package io.churnserving.model;

import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;

/**
 * A loaded model: the ONNX Runtime session shared by every worker, and what its metadata says. Each worker thread
 * takes its own {@link ModelScorer}; the model itself is closed once, at shutdown.
 */
public final class ChurnModel implements AutoCloseable {
  private final ZooModel<FeatureMatrix, float[]> model;
  private final ModelMetadata metadata;
  private final ModelEdge edge;
  private final Path directory;
  private final long loadMillis;

  ChurnModel(ZooModel<FeatureMatrix, float[]> model, ModelMetadata metadata, Path directory, long loadMillis) {
    this.model = model;
    this.metadata = metadata;
    this.edge = ModelEdge.of(metadata);
    this.directory = directory;
    this.loadMillis = loadMillis;
  }

  /**
   * A version described by its metadata alone, with no ONNX session: what an HTTP node of a cluster holds, which
   * encodes rows and makes answers while scoring nodes run the model. Asking it for a scorer is a programming error.
   */
  public static ChurnModel described(ModelMetadata metadata, Path directory) {
    return new ChurnModel(null, metadata, directory, 0);
  }

  /** Whether this holds an ONNX session (false for {@link #described}). */
  public boolean isLoaded() {
    return model != null;
  }

  public String name() {
    return metadata.name();
  }

  public String version() {
    return metadata.version();
  }

  public ModelMetadata metadata() {
    return metadata;
  }

  public Path directory() {
    return directory;
  }

  /** How long loading and warming took. */
  public long loadMillis() {
    return loadMillis;
  }

  /** What the edge needs to send this model rows and to answer from its outputs. */
  public ModelEdge edge() {
    return edge;
  }

  /** A scorer for the calling thread; not thread-safe, close it when the thread is done. */
  public ModelScorer newScorer() {
    if (model == null) {
      throw new IllegalStateException("model " + name() + " version " + version() + " is not loaded on this node");
    }
    return new ModelScorer(model.newPredictor(), edge.encoder().width(), edge.outputColumns());
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}
