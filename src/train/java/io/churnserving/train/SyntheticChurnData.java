package io.churnserving.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded generator of telecom customers whose churn follows a known logistic process: churn falls with tenure,
 * more products and longer contracts, and rises with monthly charges and fiber (the same process as the FastAPI
 * reference service's train.py):
 *
 * <pre>
 * logit = 1.2 - 0.035 tenure + 0.012 (charges - 70) - 0.25 (products - 1)
 *         + {one_year: -1.1, two_year: -2.2} + {Fiber: +0.45, None: -0.4}
 * churned ~ Bernoulli(sigmoid(logit))
 * </pre>
 * tenure uniform 1..120; charges uniform 18..150 rounded to cents; contract month-to-month/one_year/two_year .55/.25/.20;
 * products uniform 1..8; internet DSL/Fiber/None .35/.45/.20.
 */
final class SyntheticChurnData {
  private SyntheticChurnData() {
  }

  static List<ChurnRow> generate(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ChurnRow> out = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      int tenure = 1 + random.nextInt(120);
      double charges = Math.round((18 + random.nextDouble() * 132) * 100) / 100.0;
      double c = random.nextDouble();
      String contract = c < 0.55 ? "month-to-month" : c < 0.80 ? "one_year" : "two_year";
      int products = 1 + random.nextInt(8);
      double s = random.nextDouble();
      String internet = s < 0.35 ? "DSL" : s < 0.80 ? "Fiber" : "None";
      double logit = trueLogit(tenure, charges, contract, products, internet);
      boolean churned = random.nextDouble() < 1 / (1 + Math.exp(-logit));
      out.add(new ChurnRow(tenure, charges, contract, products, internet, churned));
    }
    return out;
  }

  /** The process's own log-odds for a row; ranking by it is the best any model can do on this data. */
  static double trueLogit(ChurnRow r) {
    return trueLogit(r.tenureMonths(), r.monthlyCharges(), r.contractType(), r.numProducts(), r.internetService());
  }

  /** The process's own log-odds. */
  static double trueLogit(int tenure, double charges, String contract, int products, String internet) {
    return 1.2 - 0.035 * tenure + 0.012 * (charges - 70) - 0.25 * (products - 1)
        + (contract.equals("one_year") ? -1.1 : contract.equals("two_year") ? -2.2 : 0)
        + (internet.equals("Fiber") ? 0.45 : internet.equals("None") ? -0.4 : 0);
  }
}
