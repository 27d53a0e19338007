package io.churnserving.validation;

import io.churnserving.model.FeatureRow;

/**
 * A validated customer: every field present, in range, charges rounded to cents, internet service defaulted.
 */
public record CustomerInstance(int tenureMonths, double monthlyCharges, String contractType, int numProducts,
                               String internetService) implements FeatureRow {

  @Override
  public double number(String field) {
    return switch (field) {
      case "tenure_months" -> tenureMonths;
      case "monthly_charges" -> monthlyCharges;
      case "num_products" -> numProducts;
      default -> throw new IllegalArgumentException("not a numeric field: " + field);
    };
  }

  @Override
  public String category(String field) {
    return switch (field) {
      case "contract_type" -> contractType;
      case "internet_service" -> internetService;
      default -> throw new IllegalArgumentException("not a categorical field: " + field);
    };
  }
}
