package io.churnserving.scoring;

import io.churnserving.model.Prediction;
import java.util.List;

/**
 * A worker's answer to a {@link ScoreBatch}: one outcome per row, in order. A row whose scoring failed has a
 * {@code null} prediction and an error, so only its own request fails.
 */
public record ScoreResult(List<Prediction> predictions, List<String> errors) {

  /** The outcome of row {@code i}: its prediction, or a {@link ScoringException.Failed}. */
  public RowOutcome outcome(int i) {
    Prediction p = predictions.get(i);
    return p != null ? new RowOutcome(p, null) : new RowOutcome(null, new ScoringException.Failed(errors.get(i)));
  }

  /** A prediction or the failure that replaced it. */
  public record RowOutcome(Prediction prediction, ScoringException failure) {
  }
}
