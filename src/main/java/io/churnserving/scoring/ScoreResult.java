package io.churnserving.scoring;

import io.churnserving.model.Prediction;
import java.util.List;

/**
 * A worker's answer to a {@link ScoreBatch}: one outcome per row, in order. A row that was not scored has a
 * {@code null} prediction and its failure, so only its own request fails.
 *
 * @param predictions one per row, null where the row failed
 * @param failures    one per row, null where the row was scored
 * @param modelFailed whether the model call itself failed for every row it was given (what the breaker counts)
 * @param workNanos   how long the worker spent on the batch, from taking it to answering: what admission's
 *                    scoring rate is measured from
 */
public record ScoreResult(List<Prediction> predictions, List<ScoringException> failures, boolean modelFailed,
                          long workNanos) {

  /** The outcome of row {@code i}. */
  public RowOutcome outcome(int i) {
    return new RowOutcome(predictions.get(i), failures.get(i));
  }

  /** A prediction or the failure that replaced it. */
  public record RowOutcome(Prediction prediction, ScoringException failure) {
  }
}
