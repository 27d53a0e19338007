package io.churnserving.scoring;

import io.churnserving.model.FeatureRow;
import io.churnserving.model.Prediction;
import io.vertx.core.Future;
import java.util.List;

/**
 * How a transport asks for scores. An instance belongs to one event loop (one transport verticle): call it only
 * from that verticle's context. Failures are {@link ScoringException}s.
 */
public interface Scorer {
  /** Scores one row, batched with whatever else arrives together. */
  Future<Prediction> score(FeatureRow row);

  /** Scores many rows; the predictions come back in order. */
  Future<List<Prediction>> scoreAll(List<? extends FeatureRow> rows);
}
