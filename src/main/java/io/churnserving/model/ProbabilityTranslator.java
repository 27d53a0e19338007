package io.churnserving.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * Feeds a feature matrix to the model and reads back its whole output matrix (the softmax probability of every
 * label of every row, row-major). Picking the positive label's column is left to the edge, which knows what the
 * answer is to be.
 */
final class ProbabilityTranslator implements NoBatchifyTranslator<FeatureMatrix, float[]> {

  /**
   * @param positiveColumn unused here since the edge picks the column; kept so the loader's call stands unchanged
   * @param outputColumns  labels per row
   */
  ProbabilityTranslator(int positiveColumn, int outputColumns) {
  }

  @Override
  public NDList processInput(TranslatorContext ctx, FeatureMatrix input) {
    return new NDList(ctx.getNDManager().create(input.values(), new Shape(input.rows(), input.columns())));
  }

  @Override
  public float[] processOutput(TranslatorContext ctx, NDList list) {
    return list.head().toFloatArray();
  }
}
