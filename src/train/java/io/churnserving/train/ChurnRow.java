package io.churnserving.train;

import java.util.List;
import java.util.Locale;

/** One labelled customer, in the columns of the CSV format and of the API. */
record ChurnRow(int tenureMonths, double monthlyCharges, String contractType, int numProducts, String internetService,
                boolean churned) {

  static final String CSV_HEADER = "tenure_months,monthly_charges,contract_type,num_products,internet_service,churned";
  static final List<String> CONTRACT_TYPES = List.of("month-to-month", "one_year", "two_year");
  static final List<String> INTERNET_SERVICES = List.of("DSL", "Fiber", "None");

  String toCsv() {
    return tenureMonths + "," + String.format(Locale.ROOT, "%.2f", monthlyCharges) + "," + contractType + ","
        + numProducts + "," + internetService + "," + churned;
  }

  static ChurnRow fromCsv(String line, int lineNumber) {
    String[] f = line.split(",", -1);
    if (f.length != 6) {
      throw new IllegalArgumentException("line " + lineNumber + ": expected 6 columns, got " + f.length);
    }
    String label = f[5].trim().toLowerCase(Locale.ROOT);
    boolean churned = label.equals("true") || label.equals("1");
    if (!churned && !(label.equals("false") || label.equals("0"))) {
      throw new IllegalArgumentException("line " + lineNumber + ": churned must be true/false or 1/0, got '" + f[5]
          + "'");
    }
    String contract = f[2].trim();
    if (!CONTRACT_TYPES.contains(contract)) {
      throw new IllegalArgumentException("line " + lineNumber + ": contract_type must be one of " + CONTRACT_TYPES
          + ", got '" + f[2] + "'");
    }
    String internet = f[4].trim();
    if (!INTERNET_SERVICES.contains(internet)) {
      throw new IllegalArgumentException("line " + lineNumber + ": internet_service must be one of "
          + INTERNET_SERVICES + ", got '" + f[4] + "'");
    }
    try {
      double charges = Double.parseDouble(f[1].trim());
      if (!Double.isFinite(charges)) {
        throw new NumberFormatException("not finite");
      }
      return new ChurnRow(Integer.parseInt(f[0].trim()), charges, contract, Integer.parseInt(f[3].trim()), internet,
          churned);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("line " + lineNumber + ": tenure_months and num_products must be integers"
          + " and monthly_charges a number (" + e.getMessage() + ")", e);
    }
  }
}
