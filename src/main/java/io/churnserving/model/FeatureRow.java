package io.churnserving.model;

/**
 * One validated input row, read by field name. The model's metadata says which fields become which columns, so the
 * encoder needs nothing more than this.
 */
public interface FeatureRow {
  /** A numeric field's value; only called for fields the metadata marks numeric. */
  double number(String field);

  /** A categorical field's value; only called for fields the metadata marks one-hot. */
  String category(String field);
}
