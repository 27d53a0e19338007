package io.churnserving.model;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;

/** Scores batches of rows on one thread with its own DJL predictor. Not thread-safe. */
public final class ModelScorer implements AutoCloseable {
  private final Predictor<FeatureMatrix, float[]> predictor;
  private final FeatureEncoder encoder;
  private final PredictionPolicy policy;

  ModelScorer(Predictor<FeatureMatrix, float[]> predictor, FeatureEncoder encoder, PredictionPolicy policy) {
    this.predictor = predictor;
    this.encoder = encoder;
    this.policy = policy;
  }

  /** Churn probabilities of the rows, in order, from one model call. */
  public float[] probabilities(List<? extends FeatureRow> rows) throws TranslateException {
    return predictor.predict(new FeatureMatrix(encoder.encode(rows), rows.size(), encoder.width()));
  }

  /** Predictions for the rows, in order, from one model call, all stamped with {@code predictedAt}. */
  public List<Prediction> score(List<? extends FeatureRow> rows, String predictedAt) throws TranslateException {
    float[] p = probabilities(rows);
    List<Prediction> out = new ArrayList<>(p.length);
    for (float probability : p) {
      out.add(policy.describe(probability, predictedAt));
    }
    return out;
  }

  @Override
  public void close() {
    predictor.close();
  }
}
