package io.churnserving.scoring;

/**
 * How one row of a {@link ScoreBatch} fared on the worker. The byte values are the wire form: never renumber one,
 * only add.
 */
public enum RowCode {
  /** Scored: its outputs are in the result. */
  OK(0),
  /** Its deadline passed before it reached the model; not scored. */
  EXPIRED(1),
  /** The model call failed for this row (alone, on the row-by-row retry). */
  FAILED(2);

  private static final RowCode[] BY_VALUE = {OK, EXPIRED, FAILED};

  private final byte value;

  RowCode(int value) {
    this.value = (byte) value;
  }

  /** The stable wire value. */
  public byte value() {
    return value;
  }

  /** The code with wire value {@code value}; an unknown value is an {@link IllegalArgumentException}. */
  public static RowCode of(byte value) {
    if (value < 0 || value >= BY_VALUE.length) {
      throw new IllegalArgumentException("unknown row code " + value);
    }
    return BY_VALUE[value];
  }
}
