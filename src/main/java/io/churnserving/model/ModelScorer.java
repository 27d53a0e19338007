package io.churnserving.model;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;

/**
 * Runs the model on one thread with its own DJL predictor: an encoded input matrix in, the model's own output matrix
 * out. What the outputs mean (which column is the positive label, the thresholds) is the edge's business, not this
 * class's. Not thread-safe.
 */
public final class ModelScorer implements AutoCloseable {
  private final Predictor<FeatureMatrix, float[]> predictor;
  private final int inputColumns;
  private final int outputColumns;

  ModelScorer(Predictor<FeatureMatrix, float[]> predictor, int inputColumns, int outputColumns) {
    this.predictor = predictor;
    this.inputColumns = inputColumns;
    this.outputColumns = outputColumns;
  }

  /** Number of input columns the model takes. */
  public int inputColumns() {
    return inputColumns;
  }

  /** Number of output columns per row: one per label. */
  public int outputColumns() {
    return outputColumns;
  }

  /**
   * One model call.
   *
   * @param features row-major {@code rows x inputColumns()} matrix, as {@link FeatureEncoder} writes it; not kept
   * @return row-major {@code rows x outputColumns()} matrix: the probability of every label of every row
   */
  public float[] outputs(float[] features, int rows) throws TranslateException {
    float[] out = predictor.predict(new FeatureMatrix(features, rows, inputColumns));
    if (out.length != rows * outputColumns) {
      throw new TranslateException("the model gave " + out.length + " outputs for " + rows + " rows of "
          + outputColumns + " labels");
    }
    return out;
  }

  @Override
  public void close() {
    predictor.close();
  }
}
