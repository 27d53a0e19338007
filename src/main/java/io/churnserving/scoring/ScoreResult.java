package io.churnserving.scoring;

/**
 * A worker's answer to a {@link ScoreBatch}: the model's own outputs and one {@link RowCode} per row, in order.
 * Plain data, so it can cross a wire ({@link ScoreResultCodec}); the edge turns it into answers and failures. A row
 * that was not scored has zeros for outputs and a code saying why, so only its own request fails. Immutable by
 * convention, as {@link ScoreBatch} is.
 *
 * @param outputs       row-major {@code rows x outputColumns}: e.g. the probability of every label
 * @param outputColumns outputs per row
 * @param codes         one {@link RowCode#value()} per row
 * @param modelFailed   whether the model call itself failed for every row it was given (what the breaker counts)
 * @param workNanos     how long the worker spent on the batch, from taking it to answering: what admission's
 *                      scoring rate is measured from
 */
public record ScoreResult(float[] outputs, int outputColumns, byte[] codes, boolean modelFailed, long workNanos) {

  /** Number of rows. */
  public int rows() {
    return codes.length;
  }

  /** Row {@code i}'s outcome. */
  public RowCode code(int i) {
    return RowCode.of(codes[i]);
  }
}
