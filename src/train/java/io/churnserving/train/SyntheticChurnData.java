package io.churnserving.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded generator of telecom customers whose churn follows a known logistic process. Version 1's inputs (the
 * same process as the FastAPI reference service's train.py): churn falls with tenure, more products and longer
 * contracts, and rises with monthly charges and fiber:
 *
 * <pre>
 * logit = 1.2 - 0.035 tenure + 0.012 (charges - 70) - 0.25 (products - 1)
 *         + {one_year: -1.1, two_year: -2.2} + {Fiber: +0.45, None: -0.4}
 * churned ~ Bernoulli(sigmoid(logit))
 * </pre>
 * tenure uniform 1..120; charges uniform 18..150 rounded to cents; contract month-to-month/one_year/two_year .55/.25/.20;
 * products uniform 1..8; internet DSL/Fiber/None .35/.45/.20.
 *
 * <p>Version 2's inputs draw the same five first (so version 1's data stays exactly what it was), then support calls
 * (Poisson with mean 2, at most 30) and payment method (electronic_check/mailed_check/bank_transfer/credit_card
 * .34/.23/.22/.21), which add to the logit: each call above 2 raises churn, an electronic check raises it,
 * automatic payments lower it:
 *
 * <pre>
 * logit2 = logit + 0.3 (calls - 2) + {electronic_check: +0.5, bank_transfer: -0.3, credit_card: -0.3}
 * </pre>
 */
final class SyntheticChurnData {
  static final double MEAN_SUPPORT_CALLS = 2;
  static final int MAX_SUPPORT_CALLS = 30;

  private SyntheticChurnData() {
  }

  static List<ChurnRow> generate(ChurnInputs inputs, int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ChurnRow> out = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("tenure_months", 1 + random.nextInt(120));
      v.put("monthly_charges", Math.round((18 + random.nextDouble() * 132) * 100) / 100.0);
      double c = random.nextDouble();
      v.put("contract_type", c < 0.55 ? "month-to-month" : c < 0.80 ? "one_year" : "two_year");
      v.put("num_products", 1 + random.nextInt(8));
      double s = random.nextDouble();
      v.put("internet_service", s < 0.35 ? "DSL" : s < 0.80 ? "Fiber" : "None");
      if (inputs == ChurnInputs.V2) {
        v.put("support_calls", Math.min(MAX_SUPPORT_CALLS, poisson(random, MEAN_SUPPORT_CALLS)));
        double p = random.nextDouble();
        v.put("payment_method", p < 0.34 ? "electronic_check" : p < 0.57 ? "mailed_check" : p < 0.79
            ? "bank_transfer" : "credit_card");
      }
      ChurnRow unlabelled = new ChurnRow(v, false);
      boolean churned = random.nextDouble() < 1 / (1 + Math.exp(-trueLogit(inputs, unlabelled)));
      out.add(new ChurnRow(v, churned));
    }
    return out;
  }

  /** The process's own log-odds for a row; ranking by it is the best any model can do on this data. */
  static double trueLogit(ChurnInputs inputs, ChurnRow r) {
    String contract = r.category("contract_type");
    String internet = r.category("internet_service");
    double logit = 1.2 - 0.035 * r.number("tenure_months") + 0.012 * (r.number("monthly_charges") - 70)
        - 0.25 * (r.number("num_products") - 1)
        + (contract.equals("one_year") ? -1.1 : contract.equals("two_year") ? -2.2 : 0)
        + (internet.equals("Fiber") ? 0.45 : internet.equals("None") ? -0.4 : 0);
    if (inputs == ChurnInputs.V2) {
      String payment = r.category("payment_method");
      logit += 0.3 * (r.number("support_calls") - MEAN_SUPPORT_CALLS)
          + (payment.equals("electronic_check") ? 0.5 : payment.equals("mailed_check") ? 0 : -0.3);
    }
    return logit;
  }

  /** The process in words, for the metadata's training.data. */
  static String process(ChurnInputs inputs) {
    String v1 = "1.2 - 0.035 tenure + 0.012 (charges - 70) - 0.25 (products - 1) - 1.1 one_year - 2.2 two_year"
        + " + 0.45 Fiber - 0.4 None";
    if (inputs == ChurnInputs.V1) {
      return "churn ~ Bernoulli(sigmoid(" + v1 + "))";
    }
    return String.format(Locale.ROOT, "churn ~ Bernoulli(sigmoid(%s + 0.3 (support_calls - 2) + 0.5 electronic_check"
        + " - 0.3 bank_transfer - 0.3 credit_card)), support_calls ~ min(%d, Poisson(%.0f)), payment_method"
        + " electronic_check/mailed_check/bank_transfer/credit_card .34/.23/.22/.21", v1, MAX_SUPPORT_CALLS,
        MEAN_SUPPORT_CALLS);
  }

  /** Knuth's method: fine for a small mean. */
  private static int poisson(SplittableRandom random, double mean) {
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int k = 0;
    while (product > limit) {
      k++;
      product *= random.nextDouble();
    }
    return k;
  }
}
