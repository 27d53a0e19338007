package io.churnserving.model;

import java.util.List;

/** Writes rows into the model's input matrix in the metadata's column order. Immutable and thread-safe. */
public final class FeatureEncoder {
  private final int width;
  private final String[] fields;
  /** The category a one-hot column stands for; null for a numeric column. */
  private final String[] categories;
  private final double[] means;
  private final double[] stds;

  FeatureEncoder(List<ModelMetadata.Column> columns) {
    width = columns.size();
    fields = new String[width];
    categories = new String[width];
    means = new double[width];
    stds = new double[width];
    for (int c = 0; c < width; c++) {
      ModelMetadata.Column column = columns.get(c);
      // Interned, like the field names and categories rows are looked up by and hold (string literals and the
      // schema's own instances), so that the per-value string comparisons succeed on identity: they were most of
      // the time of encoding a batch.
      fields[c] = column.field().intern();
      if (column.oneHot()) {
        categories[c] = column.equals().intern();
      } else {
        means[c] = column.mean();
        stds[c] = column.std();
      }
    }
  }

  /** Number of input columns. */
  public int width() {
    return width;
  }

  /** Row-major {@code rows.size() x width()} matrix. */
  public float[] encode(List<? extends FeatureRow> rows) {
    float[] out = new float[rows.size() * width];
    for (int r = 0; r < rows.size(); r++) {
      encode(rows.get(r), out, r * width);
    }
    return out;
  }

  /** Writes one row's {@link #width()} columns into {@code out} from {@code offset}. */
  public void encode(FeatureRow row, float[] out, int offset) {
    for (int c = 0, at = offset; c < width; c++, at++) {
      String category = categories[c];
      out[at] = category != null
          ? (category.equals(row.category(fields[c])) ? 1f : 0f)
          : (float) ((row.number(fields[c]) - means[c]) / stds[c]);
    }
  }
}
