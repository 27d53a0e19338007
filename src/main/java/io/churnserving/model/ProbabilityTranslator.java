package io.churnserving.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/** Feeds a feature matrix to the model and reads back the positive label's column of its softmax output. */
final class ProbabilityTranslator implements NoBatchifyTranslator<FeatureMatrix, float[]> {
  private final int positiveColumn;
  private final int outputColumns;

  ProbabilityTranslator(int positiveColumn, int outputColumns) {
    this.positiveColumn = positiveColumn;
    this.outputColumns = outputColumns;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, FeatureMatrix input) {
    return new NDList(ctx.getNDManager().create(input.values(), new Shape(input.rows(), input.columns())));
  }

  @Override
  public float[] processOutput(TranslatorContext ctx, NDList list) {
    NDArray output = list.head();
    float[] all = output.toFloatArray();
    int rows = all.length / outputColumns;
    float[] positive = new float[rows];
    for (int r = 0; r < rows; r++) {
      positive[r] = all[r * outputColumns + positiveColumn];
    }
    return positive;
  }
}
