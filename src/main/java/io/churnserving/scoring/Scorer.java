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
  /**
   * The deadline of a request that arrives now and asks for {@code timeoutMs}, capped at the server's default.
   * Pass {@link Long#MAX_VALUE} for the default.
   */
  long deadline(long timeoutMs);

  /** Scores one row, batched with whatever else arrives together, by the {@link #deadline} given. */
  Future<Prediction> score(FeatureRow row, long deadline);

  /** Scores many rows by the deadline given; the predictions come back in order. */
  Future<List<Prediction>> scoreAll(List<? extends FeatureRow> rows, long deadline);

  /**
   * Scores rows that arrive already encoded as the model's input, for protocols whose clients send the model's own
   * tensor: no validation and no encoding, the rows go to the workers as they are, in chunks as
   * {@link #scoreAll} sends them.
   *
   * @param features row-major {@code rows x width} matrix, {@code width} the model's input columns
   * @return the model's outputs and the answers made from them, row by row
   * @throws IllegalArgumentException when the matrix is not {@code rows} rows of the model's width
   */
  Future<EncodedScores> scoreEncoded(float[] features, int rows, long deadline);

  /** {@link #score(FeatureRow, long)} with the default deadline. */
  default Future<Prediction> score(FeatureRow row) {
    return score(row, deadline(Long.MAX_VALUE));
  }

  /** Stops this scorer's timers, once its version is unloaded and it has nothing left to answer. */
  default void close() {
  }
}
