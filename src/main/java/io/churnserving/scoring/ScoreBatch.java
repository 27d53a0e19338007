package io.churnserving.scoring;

/**
 * One event-bus message to a scoring worker: rows from one or many requests, already encoded, each with its
 * request's correlation ID and the time it had left. Plain data, so it can cross a wire ({@link ScoreBatchCodec}):
 * the time left travels rather than a deadline, because a {@link System#nanoTime()} means nothing in another JVM.
 *
 * <p>Immutable by convention: neither sender nor worker writes to the arrays after the batch is sent; within one
 * JVM the worker reads the very arrays the sender made.
 *
 * @param model          the model's name
 * @param version        the model version the rows are for
 * @param features       row-major {@code rows x columns} input matrix, as the version's encoder writes it
 * @param columns        input columns per row
 * @param correlationIds one per row
 * @param timeLeftNanos  one per row: how long the row had left when sent; past it the row is dropped unscored
 * @param sentNanos      the reading JVM's {@link System#nanoTime()} at send (the wire decoder puts its own time of
 *                       decoding here): each row's deadline is {@code sentNanos + timeLeftNanos[i]}
 */
public record ScoreBatch(String model, String version, float[] features, int columns, String[] correlationIds,
                         long[] timeLeftNanos, long sentNanos) {

  /** Number of rows. */
  public int rows() {
    return correlationIds.length;
  }

  /** Row {@code i}'s deadline on this JVM's {@link System#nanoTime()} clock. */
  public long deadline(int i) {
    return sentNanos + timeLeftNanos[i];
  }
}
