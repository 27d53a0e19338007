package io.churnserving.model;

import java.util.List;

/** Writes rows into the model's input matrix in the metadata's column order. Immutable and thread-safe. */
public final class FeatureEncoder {
  private final List<ModelMetadata.Column> columns;

  FeatureEncoder(List<ModelMetadata.Column> columns) {
    this.columns = List.copyOf(columns);
  }

  /** Number of input columns. */
  public int width() {
    return columns.size();
  }

  /** Row-major {@code rows.size() x width()} matrix. */
  public float[] encode(List<? extends FeatureRow> rows) {
    int width = columns.size();
    float[] out = new float[rows.size() * width];
    for (int r = 0; r < rows.size(); r++) {
      FeatureRow row = rows.get(r);
      for (int c = 0; c < width; c++) {
        ModelMetadata.Column column = columns.get(c);
        out[r * width + c] = column.oneHot()
            ? (column.equals().equals(row.category(column.field())) ? 1f : 0f)
            : (float) ((row.number(column.field()) - column.mean()) / column.std());
      }
    }
    return out;
  }
}
