package io.churnserving.train;

/** One labelled customer, in the columns of the CSV format and of the API. */
record ChurnRow(int tenureMonths, double monthlyCharges, String contractType, int numProducts, String internetService,
                boolean churned) {

  static final String CSV_HEADER = "tenure_months,monthly_charges,contract_type,num_products,internet_service,churned";

  String toCsv() {
    return tenureMonths + "," + monthlyCharges + "," + contractType + "," + numProducts + "," + internetService + ","
        + churned;
  }

  static ChurnRow fromCsv(String line, int lineNumber) {
    String[] f = line.split(",", -1);
    if (f.length != 6) {
      throw new IllegalArgumentException("line " + lineNumber + ": expected 6 columns, got " + f.length);
    }
    String label = f[5].trim().toLowerCase();
    boolean churned = label.equals("true") || label.equals("1") || label.equals("yes");
    if (!churned && !(label.equals("false") || label.equals("0") || label.equals("no"))) {
      throw new IllegalArgumentException("line " + lineNumber + ": churned must be true/false or 1/0, got " + f[5]);
    }
    return new ChurnRow(Integer.parseInt(f[0].trim()), Double.parseDouble(f[1].trim()), f[2].trim(),
        Integer.parseInt(f[3].trim()), f[4].trim(), churned);
  }
}
