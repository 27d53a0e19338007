package io.churnserving.scoring;

import io.vertx.core.buffer.Buffer;

/**
 * The {@link ScoreBatch} codec. Within one JVM the batch passes by reference ({@link #transform}): it is immutable by
 * convention, its arrays never written after it is sent. Across a wire it is written whole, in this order (ints and
 * longs big-endian, floats as IEEE 754 bits, a string as an int UTF-8 byte length, {@code -1} for null, then the
 * bytes):
 *
 * <pre>
 * byte     format version, 1
 * string   model
 * string   version
 * int      columns
 * int      rows
 * float    features[rows * columns], row-major
 * string   correlationIds[rows]
 * long     timeLeftNanos[rows]
 * </pre>
 *
 * <p>{@code sentNanos} is not written: a {@link System#nanoTime()} of another JVM means nothing here, so the decoder
 * puts its own time of decoding in its place, and each row's deadline, {@code sentNanos + timeLeftNanos[i]}, counts
 * from arrival. Time spent on the wire is not counted against the rows; the sender's request timeout still is.
 *
 * <p>Decoding checks every length against the bytes left before allocating: a truncated or garbled message is an
 * {@link IllegalArgumentException}.
 */
final class ScoreBatchCodec extends ReferenceCodec<ScoreBatch> {
  static final byte FORMAT = 1;
  static final String NAME = "churn.scoring.ScoreBatch";

  ScoreBatchCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, ScoreBatch b) {
    int rows = b.rows();
    buffer.appendByte(FORMAT);
    WireReader.writeString(buffer, b.model());
    WireReader.writeString(buffer, b.version());
    buffer.appendInt(b.columns()).appendInt(rows);
    for (float f : b.features()) {
      buffer.appendFloat(f);
    }
    for (String id : b.correlationIds()) {
      WireReader.writeString(buffer, id);
    }
    for (long t : b.timeLeftNanos()) {
      buffer.appendLong(t);
    }
  }

  @Override
  public ScoreBatch decodeFromWire(int pos, Buffer buffer) {
    WireReader in = new WireReader(buffer, pos, "ScoreBatch");
    in.version(FORMAT);
    String model = in.readString("model");
    String version = in.readString("version");
    int columns = in.readCount("columns");
    int rows = in.readCount("rows");
    float[] features = in.readFloats((long) rows * columns, "features");
    // Each id takes at least its 4-byte length and each time left 8 bytes: checked before the arrays are made.
    in.needEach(rows, 4 + 8, "correlationIds and timeLeftNanos");
    String[] ids = new String[rows];
    for (int i = 0; i < rows; i++) {
      ids[i] = in.readString("correlationIds[" + i + "]");
    }
    long[] timeLeft = new long[rows];
    for (int i = 0; i < rows; i++) {
      timeLeft[i] = in.readLong("timeLeftNanos[" + i + "]");
    }
    return new ScoreBatch(model, version, features, columns, ids, timeLeft, System.nanoTime());
  }
}
