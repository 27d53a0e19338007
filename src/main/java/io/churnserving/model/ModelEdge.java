package io.churnserving.model;

import java.util.List;

/**
 * What the edge of the scoring core needs of one model version: the encoder that turns rows into the model's input
 * matrix before they are sent to a worker, and the policy that turns the model's outputs into the answer once they
 * come back. Workers need neither: they see floats in and floats out, so they could run in another JVM. Immutable.
 */
public final class ModelEdge {
  private final String name;
  private final String version;
  private final FeatureEncoder encoder;
  private final PredictionPolicy policy;
  private final int positiveColumn;
  private final int outputColumns;

  private ModelEdge(ModelMetadata metadata) {
    this.name = metadata.name();
    this.version = metadata.version();
    this.encoder = new FeatureEncoder(metadata.input().columns());
    this.policy = new PredictionPolicy(metadata);
    List<String> labels = metadata.output().labels();
    this.positiveColumn = labels.indexOf(metadata.output().positiveLabel());
    this.outputColumns = labels.size();
  }

  /** The edge of the version {@code metadata} describes; the metadata must have passed the loader's checks. */
  public static ModelEdge of(ModelMetadata metadata) {
    return new ModelEdge(metadata);
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public FeatureEncoder encoder() {
    return encoder;
  }

  /** Number of output columns per row: one per label. */
  public int outputColumns() {
    return outputColumns;
  }

  /** The column of the output that holds the positive label's probability ({@code output.positive_label}). */
  public int positiveColumn() {
    return positiveColumn;
  }

  /**
   * The answer for row {@code row} of a row-major output matrix, stamped with {@code predictedAt}.
   */
  public Prediction answer(float[] outputs, int row, String predictedAt) {
    return policy.describe(outputs[row * outputColumns + positiveColumn], predictedAt);
  }
}
