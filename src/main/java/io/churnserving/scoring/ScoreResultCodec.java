package io.churnserving.scoring;

import io.vertx.core.buffer.Buffer;

/**
 * The {@link ScoreResult} codec. Within one JVM the result passes by reference ({@link #transform}): it is immutable
 * by convention, its arrays never written after it is sent. Across a wire it is written whole, in this order (ints
 * and longs big-endian, floats as IEEE 754 bits):
 *
 * <pre>
 * byte     format version, 1
 * int      rows
 * int      outputColumns
 * float    outputs[rows * outputColumns], row-major
 * byte     codes[rows], each a {@link RowCode#value()}
 * byte     modelFailed, 0 or 1
 * long     workNanos
 * </pre>
 *
 * <p>Decoding checks every length against the bytes left before allocating, and every code: a truncated or garbled
 * message is an {@link IllegalArgumentException}.
 */
final class ScoreResultCodec extends ReferenceCodec<ScoreResult> {
  static final byte FORMAT = 1;
  static final String NAME = "churn.scoring.ScoreResult";

  ScoreResultCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, ScoreResult r) {
    buffer.appendByte(FORMAT).appendInt(r.rows()).appendInt(r.outputColumns());
    for (float f : r.outputs()) {
      buffer.appendFloat(f);
    }
    buffer.appendBytes(r.codes()).appendByte((byte) (r.modelFailed() ? 1 : 0)).appendLong(r.workNanos());
  }

  @Override
  public ScoreResult decodeFromWire(int pos, Buffer buffer) {
    WireReader in = new WireReader(buffer, pos, "ScoreResult");
    in.version(FORMAT);
    int rows = in.readCount("rows");
    int columns = in.readCount("outputColumns");
    float[] outputs = in.readFloats((long) rows * columns, "outputs");
    byte[] codes = in.readBytes(rows, "codes");
    for (byte code : codes) {
      RowCode.of(code); // an unknown code is refused here, not when the edge reads it
    }
    byte failed = in.readByte("modelFailed");
    if (failed != 0 && failed != 1) {
      throw new IllegalArgumentException("ScoreResult on the wire: modelFailed is " + failed + ", not 0 or 1");
    }
    long workNanos = in.readLong("workNanos");
    return new ScoreResult(outputs, columns, codes, failed == 1, workNanos);
  }
}
