package io.churnserving.support;

import io.churnserving.model.FeatureRow;
import io.vertx.core.json.JsonObject;

/** Test rows for scoring directly, without HTTP. */
public final class Rows {
  private Rows() {
  }

  /** A row read from a valid instance JSON, with the documented default for internet_service. */
  public static FeatureRow of(JsonObject instance) {
    return new FeatureRow() {
      @Override
      public double number(String field) {
        return instance.getNumber(field).doubleValue();
      }

      @Override
      public String category(String field) {
        return instance.getString(field, field.equals("internet_service") ? "DSL" : null);
      }
    };
  }
}
