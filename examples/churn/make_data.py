"""Generate the synthetic customer-churn data set used by the churn example.

Run from anywhere: ``python make_data.py``. Writes ``data/churn.csv`` beside this
script. Only the standard library is used and the seed is fixed, so the output is
byte-for-byte reproducible. The data is entirely made up (no real customers).
"""
import csv
import math
import random
from pathlib import Path

SEED = 20240611
N_ROWS = 1800
OUT = Path(__file__).resolve().parent / "data" / "churn.csv"

CONTRACTS = ["Month-to-month", "One year", "Two year"]
INTERNET = ["DSL", "Fiber optic", "No"]
PAYMENT = ["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"]

COLUMNS = [
    "customer_id", "gender", "senior_citizen", "partner", "dependents", "tenure_months",
    "contract", "internet_service", "payment_method", "paperless_billing",
    "num_support_calls", "monthly_charges", "total_charges", "churn",
]


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def make_row(rng, i):
    gender = rng.choice(["Female", "Male"])
    senior = 1 if rng.random() < 0.16 else 0
    partner = "Yes" if rng.random() < 0.48 else "No"
    dependents = "Yes" if rng.random() < (0.45 if partner == "Yes" else 0.12) else "No"
    contract = rng.choices(CONTRACTS, weights=[0.55, 0.21, 0.24])[0]
    max_tenure = {"Month-to-month": 40, "One year": 60, "Two year": 72}[contract]
    # new customers (tenure 0) have no total charge yet: blank, as in real telco exports
    tenure = 0 if rng.random() < 0.01 else rng.randint(1, max_tenure)
    internet = rng.choices(INTERNET, weights=[0.34, 0.44, 0.22])[0]
    payment = rng.choice(PAYMENT)
    paperless = "Yes" if rng.random() < 0.59 else "No"
    base = {"DSL": 45.0, "Fiber optic": 80.0, "No": 21.0}[internet]
    monthly = max(18.25, round(rng.gauss(base, 9.0), 2))
    calls = min(9, int(rng.expovariate(0.8)))
    total = " " if tenure == 0 else "%.2f" % (monthly * tenure * rng.uniform(0.95, 1.05))
    logit = (
        -1.2
        + {"Month-to-month": 1.4, "One year": -0.4, "Two year": -1.6}[contract]
        + (0.8 if internet == "Fiber optic" else 0.0)
        + (0.5 if payment == "Electronic check" else 0.0)
        + 0.35 * senior
        + 0.3 * (paperless == "Yes")
        - 0.04 * tenure
        + 0.35 * calls
        - 0.3 * (partner == "Yes")
        + rng.gauss(0.0, 0.5)
    )
    churn = "Yes" if rng.random() < sigmoid(logit) else "No"
    return [
        "C%05d" % (10001 + i), gender, senior, partner, dependents, tenure, contract,
        internet, payment, paperless, calls, "%.2f" % monthly, total, churn,
    ]


def main():
    rng = random.Random(SEED)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for i in range(N_ROWS):
            w.writerow(make_row(rng, i))
    print("wrote %s (%d rows)" % (OUT, N_ROWS))


if __name__ == "__main__":
    main()
