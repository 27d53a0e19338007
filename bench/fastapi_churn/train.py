"""Train the reference's churn model (scaler + logistic regression) on synthetic data; pickle both.

For side-by-side measurement only. The data follow the same process as churn-serving's SyntheticChurnData (the
same coefficients), but these are numpy's draws and scikit-learn's fit, so the probabilities differ slightly from
models/churn/1/model.onnx: Debian 12 has no python3-onnxruntime to load that file. Either way a prediction is one
standardisation and a 9-weight dot product; the cost measured is the serving stack's.
"""
import os, pickle, numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

CONTRACTS = ["month-to-month", "one_year", "two_year"]
INTERNET = ["DSL", "Fiber", "None"]

def features(tenure, charges, contract, products, internet):
    return [tenure, charges, products] + [float(contract == c) for c in CONTRACTS] + [float(internet == i) for i in INTERNET]

def main():
    rng = np.random.default_rng(7)
    n = 20000
    tenure = rng.integers(1, 121, n); charges = rng.uniform(18, 150, n).round(2)
    contract = rng.choice(CONTRACTS, n, p=[.55, .25, .20]); products = rng.integers(1, 9, n)
    internet = rng.choice(INTERNET, n, p=[.35, .45, .20])
    logit = (1.2 - 0.035 * tenure + 0.012 * (charges - 70) - 0.25 * (products - 1)
             + np.select([contract == "one_year", contract == "two_year"], [-1.1, -2.2], 0.0)
             + np.where(internet == "Fiber", 0.45, 0.0) + np.where(internet == "None", -0.4, 0.0))
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    X = np.array([features(*r) for r in zip(tenure, charges, contract, products, internet)])
    scaler = StandardScaler().fit(X)
    model = LogisticRegression(max_iter=1000).fit(scaler.transform(X), y)
    os.makedirs("artifacts", exist_ok=True)
    pickle.dump(model, open("artifacts/model.pkl", "wb")); pickle.dump(scaler, open("artifacts/scaler.pkl", "wb"))
    print("train accuracy", model.score(scaler.transform(X), y))


# app/main.py imports features() from here: training must not run on that import, or every worker would
# retrain at start and rewrite the pickles while another worker is reading them.
if __name__ == "__main__":
    main()
