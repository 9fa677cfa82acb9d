"""Generate the small synthetic data sets of every corpus notebook.

Usage: ``python make_data.py [OUTPUT_ROOT]`` (default: the folder of this script). Each data set
is written where its notebook reads it, relative to OUTPUT_ROOT: ``titanic/data/train.csv``,
``shared_data/houses.csv`` (read as ``../shared_data/houses.csv``), ...

Standard library only, one fixed seed per data set, numbers written with explicit formats: the
output is byte-for-byte reproducible (tests/test_corpus.py checks that the committed files are
exactly what this script writes). Every row is made up.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import random
import sys
from pathlib import Path

DATASETS = {}  # relative path -> function(rng) -> (header, rows)


def dataset(path: str, seed: int):
    def register(function):
        DATASETS[path] = (seed, function)
        return function

    return register


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def blank(rng: random.Random, value, rate: float):
    """`value`, or an empty cell (a missing value) with probability `rate`."""
    return "" if rng.random() < rate else value


# -- titanic: survival classification ---------------------------------------------------------------

SURNAMES = ["Smith", "Brown", "Kelly", "Olsen", "Rossi", "Novak", "Dubois", "Meyer", "Walsh", "Larsen", "Moreau", "Byrne"]
FIRST = {"male": ["John", "William", "Karl", "Patrick", "Luigi", "Jan"], "female": ["Mary", "Anna", "Bridget", "Elin", "Maria", "Rose"]}


@dataset("titanic/data/train.csv", 1912)
def titanic(rng):
    header = ["PassengerId", "Survived", "Pclass", "Name", "Sex", "Age", "SibSp", "Parch", "Ticket", "Fare", "Cabin", "Embarked"]
    rows = []
    for i in range(1, 401):
        pclass = rng.choices([1, 2, 3], weights=[0.24, 0.21, 0.55])[0]
        sex = "male" if rng.random() < 0.64 else "female"
        age = max(0.5, min(78.0, rng.gauss({1: 38, 2: 30, 3: 25}[pclass], 13)))
        title = "Master" if sex == "male" and age < 13 else "Mr" if sex == "male" else "Miss" if age < 25 else "Mrs"
        if rng.random() < 0.03:
            title = rng.choice(["Dr", "Rev", "Col"])
        name = f"{rng.choice(SURNAMES)}, {title}. {rng.choice(FIRST[sex])}"
        sibsp = min(5, int(rng.expovariate(1.8)))
        parch = min(4, int(rng.expovariate(2.2)))
        fare = {1: 84.0, 2: 21.0, 3: 13.0}[pclass] * rng.uniform(0.5, 1.8) * (1 + 0.2 * (sibsp + parch))
        cabin = f"{rng.choice('ABCDE')}{rng.randint(1, 120)}" if pclass == 1 and rng.random() < 0.7 else ""
        embarked = rng.choices(["S", "C", "Q"], weights=[0.72, 0.19, 0.09])[0]
        logit = 1.1 + (2.4 if sex == "female" else 0.0) - 0.9 * (pclass - 1) - 0.025 * age - 0.3 * sibsp + rng.gauss(0, 0.6)
        survived = 1 if rng.random() < sigmoid(logit - 1.2) else 0
        rows.append([i, survived, pclass, name, sex, blank(rng, f"{age:.0f}", 0.18), sibsp, parch,
                     f"{rng.randint(1000, 399999)}", blank(rng, f"{fare:.2f}", 0.01), cabin, blank(rng, embarked, 0.01)])
    return header, rows


# -- house prices (read from ../shared_data) -------------------------------------------------------

NEIGHBORHOODS = ["NAmes", "CollgCr", "OldTown", "Edwards", "Somerst", "NridgHt", "Gilbert", "Sawyer"]


@dataset("shared_data/houses.csv", 1460)
def houses(rng):
    header = ["Id", "MSZoning", "LotFrontage", "LotArea", "Neighborhood", "OverallQual", "YearBuilt", "GrLivArea",
              "TotalBsmtSF", "GarageType", "GarageCars", "FireplaceQu", "FullBath", "SalePrice"]
    rows = []
    for i in range(1, 361):
        hood = rng.choice(NEIGHBORHOODS)
        premium = {"NridgHt": 0.35, "Somerst": 0.2, "CollgCr": 0.12, "Gilbert": 0.08}.get(hood, 0.0)
        quality = max(1, min(10, round(rng.gauss(6, 1.4))))
        year = rng.randint(1900, 2009)
        living = max(500.0, rng.lognormvariate(7.3, 0.3))
        if i in (57, 211):
            living = 4700.0 + 100 * (i % 5)  # the two famous outliers: huge and cheap
        lot = rng.lognormvariate(9.1, 0.45)
        bsmt = max(0.0, living * rng.uniform(0.4, 1.0)) if rng.random() > 0.03 else 0.0
        garage = rng.choices([0, 1, 2, 3], weights=[0.06, 0.26, 0.56, 0.12])[0]
        garage_type = "" if garage == 0 else rng.choice(["Attchd", "Detchd", "BuiltIn"])
        fireplace = blank(rng, rng.choice(["Gd", "TA", "Fa"]), 0.45)
        baths = max(1, min(3, round(living / 900)))
        log_price = 10.2 + 0.1 * quality + 0.45 * math.log(living / 1500) + 0.004 * (year - 1950) + 0.05 * garage + premium
        price = math.exp(log_price + rng.gauss(0, 0.12))
        if i in (57, 211):
            price = 160000.0 + 1000 * (i % 7)
        rows.append([i, rng.choices(["RL", "RM", "FV"], weights=[0.8, 0.15, 0.05])[0], blank(rng, f"{math.sqrt(lot) * 0.6:.0f}", 0.15),
                     f"{lot:.0f}", hood, quality, year, f"{living:.0f}", f"{bsmt:.0f}", garage_type, garage, fireplace, baths, f"{price:.0f}"])
    return header, rows


# -- churn with a feature builder class -------------------------------------------------------------

@dataset("churn_feature_builder/data/customers.csv", 404)
def customers(rng):
    header = ["customer_id", "tenure", "monthly_charges", "total_charges", "contract", "payment_method", "internet", "support_calls", "churn"]
    rows = []
    for i in range(380):
        contract = rng.choices(["monthly", "annual", "two_year"], weights=[0.55, 0.25, 0.2])[0]
        tenure = rng.randint(0, {"monthly": 36, "annual": 60, "two_year": 72}[contract])
        internet = rng.choice(["dsl", "fiber", "none"])
        monthly = max(18.0, rng.gauss({"dsl": 50, "fiber": 85, "none": 22}[internet], 8))
        payment = rng.choice(["card", "bank", "check"])
        calls = min(8, int(rng.expovariate(0.7)))
        total = "" if tenure == 0 else f"{monthly * tenure:.2f}"
        logit = -0.8 + (1.3 if contract == "monthly" else -0.8) + 0.6 * (internet == "fiber") + 0.4 * calls - 0.05 * tenure
        churn = "Yes" if rng.random() < sigmoid(logit + rng.gauss(0, 0.4)) else "No"
        rows.append([f"C{i:05d}", tenure, f"{monthly:.2f}", total, contract, payment, internet, calls, churn])
    return header, rows


# -- feature loops ----------------------------------------------------------------------------------

@dataset("feature_loops/data/sensors.csv", 77)
def sensors(rng):
    header = ["temp", "humidity", "pressure", "wind", "output"]
    rows = []
    for _ in range(360):
        temp, humidity = rng.uniform(-5, 35), rng.uniform(20, 95)
        pressure, wind = rng.gauss(1013, 8), rng.expovariate(0.25)
        output = 40 + 1.5 * temp - 0.02 * temp ** 2 + 0.1 * humidity - 0.004 * temp * humidity + 0.3 * (pressure - 1013) - 0.8 * wind
        rows.append([f"{temp:.2f}", f"{humidity:.1f}", f"{pressure:.1f}", f"{wind:.2f}", f"{output + rng.gauss(0, 2):.3f}"])
    return header, rows


# -- parameters cell --------------------------------------------------------------------------------

@dataset("parameters_cell/data/energy.csv", 2024)
def energy(rng):
    header = ["building_age", "floor_area", "occupants", "insulation", "outdoor_temp", "consumption"]
    rows = []
    for _ in range(360):
        age, area, occupants = rng.randint(1, 80), rng.uniform(50, 400), rng.randint(1, 8)
        insulation, outdoor = rng.randint(1, 5), rng.uniform(-10, 30)
        consumption = 2.0 * area ** 0.8 + 8 * occupants + 0.9 * age - 12 * insulation + 2.5 * max(0.0, 18 - outdoor) + rng.gauss(0, 10)
        rows.append([age, f"{area:.1f}", occupants, insulation, f"{outdoor:.1f}", f"{consumption:.2f}"])
    return header, rows


# -- sales, read from an f-string file name ---------------------------------------------------------

def _sales(rng, year: int):
    header = ["date", "store", "product", "price", "promo", "units"]
    rows = []
    start = datetime.date(year, 1, 1)
    for day in range(0, 364, 3):
        date = start + datetime.timedelta(days=day)
        for store in ("north", "south"):
            product = rng.choice(["widget", "gadget", "gizmo"])
            price = {"widget": 9.5, "gadget": 24.0, "gizmo": 4.25}[product] * rng.uniform(0.9, 1.1)
            promo = 1 if rng.random() < 0.2 else 0
            season = 1 + 0.3 * math.sin(2 * math.pi * day / 365)
            units = max(0, round((60 - 1.2 * price) * season * (1.4 if promo else 1.0) * (1.2 if store == "north" else 1.0) + rng.gauss(0, 4)))
            rows.append([date.isoformat(), store, product, f"{price:.2f}", promo, units])
    return header, rows


@dataset("sales_fstring/data/sales_2022.csv", 2022)
def sales_2022(rng):
    return _sales(rng, 2022)


@dataset("sales_fstring/data/sales_2023.csv", 2023)
def sales_2023(rng):
    return _sales(rng, 2023)


# -- in-place cleaning ------------------------------------------------------------------------------

@dataset("inplace_cleaning/data/orders.csv", 31)
def orders(rng):
    header = ["Order ID", "Order Date", "Customer Name", "Customer Segment", "Unit Price", "Quantity", "Discount", "Returned"]
    rows = []
    start = datetime.date(2022, 1, 1)
    for i in range(380):
        order_id = 10000 + (i if rng.random() > 0.04 else max(0, i - 1))  # a few duplicated orders
        segment = rng.choice(["Consumer", "Corporate", "Home Office"])
        price = rng.lognormvariate(3.2, 0.7)
        quantity = rng.randint(1, 12)
        discount = rng.choice([0.0, 0.0, 0.1, 0.2, 0.3])
        logit = -2.0 + 4.0 * discount + 0.02 * price + (0.5 if segment == "Consumer" else 0.0)
        returned = 1 if rng.random() < sigmoid(logit) else 0
        date = start + datetime.timedelta(days=rng.randint(0, 364))
        rows.append([order_id, date.isoformat(), f"Customer {rng.randint(1, 90)}", segment, blank(rng, f"{price:.2f}", 0.04),
                     quantity, blank(rng, f"{discount:.1f}", 0.08), returned])
    return header, rows


# -- categorical and datetime columns ---------------------------------------------------------------

@dataset("categorical_datetime/data/rentals.csv", 88)
def rentals(rng):
    header = ["timestamp", "station", "weather", "temp", "rentals"]
    rows = []
    start = datetime.datetime(2023, 3, 1, 6, 0)
    for i in range(400):
        when = start + datetime.timedelta(hours=7 * i + rng.randint(0, 3))
        station = rng.choice(["north", "south", "east", "west"])
        weather = rng.choices(["clear", "cloudy", "rain"], weights=[0.55, 0.3, 0.15])[0]
        temp = 8 + 12 * math.sin(2 * math.pi * (when.timetuple().tm_yday - 100) / 365) + rng.gauss(0, 3)
        peak = 1.8 if when.hour in (7, 8, 9, 16, 17, 18) else 1.0
        count = max(0, round((20 + 1.5 * temp) * peak * {"clear": 1.0, "cloudy": 0.8, "rain": 0.4}[weather]
                             * {"north": 1.3, "south": 1.0, "east": 0.9, "west": 0.7}[station] + rng.gauss(0, 5)))
        rows.append([when.strftime("%Y-%m-%d %H:%M:%S"), station, weather, f"{temp:.1f}", count])
    return header, rows


# -- helper functions -------------------------------------------------------------------------------

@dataset("helper_functions/data/insurance.csv", 1338)
def insurance(rng):
    header = ["age", "sex", "bmi", "children", "smoker", "region", "charges"]
    rows = []
    for _ in range(380):
        age, sex = rng.randint(18, 64), rng.choice(["male", "female"])
        bmi, children = rng.gauss(30.5, 6), rng.choices([0, 1, 2, 3, 4], weights=[0.43, 0.24, 0.18, 0.11, 0.04])[0]
        smoker = "yes" if rng.random() < 0.2 else "no"
        region = rng.choice(["northeast", "northwest", "southeast", "southwest"])
        charges = 250 * age + 320 * max(0.0, bmi - 25) + 450 * children + (23000 if smoker == "yes" else 0) + rng.gauss(0, 2500)
        rows.append([age, sex, f"{bmi:.2f}", children, smoker, region, f"{max(1100.0, charges):.2f}"])
    return header, rows


# -- customer segments (k-means) --------------------------------------------------------------------

@dataset("kmeans_segments/data/mall_customers.csv", 5)
def mall(rng):
    header = ["CustomerID", "Gender", "Age", "Annual Income (k$)", "Spending Score (1-100)"]
    centers = [(25, 20, 80), (45, 25, 20), (35, 55, 50), (30, 85, 82), (45, 88, 18)]
    rows = []
    for i in range(1, 301):
        age, income, score = rng.choice(centers)
        rows.append([i, rng.choice(["Male", "Female"]), max(18, round(rng.gauss(age, 6))), max(12, round(rng.gauss(income, 7))),
                     max(1, min(99, round(rng.gauss(score, 8))))])
    return header, rows


# -- text classification ----------------------------------------------------------------------------

POSITIVE = ["great", "excellent", "love", "wonderful", "perfect", "recommend", "happy", "fast", "friendly", "amazing"]
NEGATIVE = ["terrible", "awful", "broken", "refund", "slow", "worst", "disappointed", "rude", "waste", "poor"]
NEUTRAL = ["the", "product", "delivery", "service", "it", "was", "and", "this", "order", "package", "really", "very", "quite", "item"]


@dataset("text_tfidf/data/reviews.csv", 99)
def reviews(rng):
    header = ["review_id", "review", "sentiment"]
    rows = []
    for i in range(360):
        sentiment = rng.choice(["positive", "negative"])
        main, other = (POSITIVE, NEGATIVE) if sentiment == "positive" else (NEGATIVE, POSITIVE)
        words = rng.choices(NEUTRAL, k=rng.randint(4, 9)) + rng.choices(main, k=rng.randint(1, 3))
        if rng.random() < 0.25:
            words.append(rng.choice(other))
        rng.shuffle(words)
        text = " ".join(words).capitalize() + rng.choice([".", "!", "!!", "..."])
        rows.append([i, text, sentiment])
    return header, rows


# -- time series with lag features ------------------------------------------------------------------

@dataset("timeseries_lags/data/daily_demand.csv", 365)
def demand(rng):
    header = ["date", "demand", "temperature", "promo"]
    rows = []
    level = 100.0
    start = datetime.date(2023, 1, 1)
    for day in range(400):
        date = start + datetime.timedelta(days=day)
        temperature = 12 + 10 * math.sin(2 * math.pi * (day - 100) / 365) + rng.gauss(0, 2)
        promo = 1 if rng.random() < 0.1 else 0
        level = 0.8 * level + 0.2 * (100 + 0.05 * day) + rng.gauss(0, 2)
        weekly = 12 if date.weekday() >= 5 else 0
        rows.append([date.isoformat(), f"{level + weekly + 0.8 * temperature + 15 * promo + rng.gauss(0, 3):.2f}", f"{temperature:.1f}", promo])
    return header, rows


# -- sklearn Pipeline + ColumnTransformer -----------------------------------------------------------

@dataset("sklearn_pipeline/data/adult.csv", 1994)
def adult(rng):
    header = ["age", "workclass", "education", "education_num", "occupation", "hours_per_week", "capital_gain", "income"]
    education = [("HS-grad", 9), ("Some-college", 10), ("Bachelors", 13), ("Masters", 14), ("Doctorate", 16), ("11th", 7)]
    rows = []
    for _ in range(400):
        age = rng.randint(18, 75)
        edu, years = rng.choices(education, weights=[0.32, 0.22, 0.2, 0.1, 0.04, 0.12])[0]
        workclass = blank(rng, rng.choice(["Private", "Self-emp", "Gov"]), 0.05)
        occupation = blank(rng, rng.choice(["Tech", "Sales", "Craft", "Admin", "Exec"]), 0.06)
        hours = max(5, min(80, round(rng.gauss(41, 11))))
        gain = 0 if rng.random() < 0.9 else rng.randint(2000, 15000)
        logit = -7.5 + 0.04 * age + 0.35 * years + 0.03 * hours + (0.7 if occupation == "Exec" else 0.0) + gain / 5000
        income = ">50K" if rng.random() < sigmoid(logit) else "<=50K"
        rows.append([blank(rng, age, 0.03), workclass, edu, years, occupation, hours, gain, income])
    return header, rows


# -- model comparison with cross-validation ---------------------------------------------------------

@dataset("model_comparison/data/wine.csv", 1976)
def wine(rng):
    header = ["fixed_acidity", "volatile_acidity", "citric_acid", "residual_sugar", "chlorides", "alcohol", "sulphates", "quality_label"]
    rows = []
    for _ in range(360):
        label = rng.choices(["low", "medium", "high"], weights=[0.3, 0.45, 0.25])[0]
        shift = {"low": -1.0, "medium": 0.0, "high": 1.0}[label]
        rows.append([f"{rng.gauss(8.3, 1.5):.2f}", f"{rng.gauss(0.53 - 0.12 * shift, 0.12):.3f}", f"{max(0.0, rng.gauss(0.27 + 0.08 * shift, 0.15)):.3f}",
                     f"{rng.lognormvariate(0.9, 0.4):.2f}", f"{rng.gauss(0.087, 0.02):.4f}", f"{rng.gauss(10.4 + 0.9 * shift, 0.7):.2f}",
                     f"{rng.gauss(0.65 + 0.06 * shift, 0.12):.3f}", label])
    return header, rows


# -- legacy pandas: DataFrame.append ----------------------------------------------------------------

def _store(rng, store: str):
    header = ["week", "store", "price", "advertising", "units"]
    rows = []
    for week in range(1, 121):
        price = rng.uniform(2.0, 6.0)
        advertising = rng.uniform(0, 10)
        units = 200 - 22 * price + 6 * advertising + {"a": 10, "b": 0, "c": -15}[store] + rng.gauss(0, 8)
        rows.append([week, store, f"{price:.2f}", f"{advertising:.2f}", f"{units:.1f}"])
    return header, rows


@dataset("legacy_append/data/store_a.csv", 101)
def store_a(rng):
    return _store(rng, "a")


@dataset("legacy_append/data/store_b.csv", 102)
def store_b(rng):
    return _store(rng, "b")


@dataset("legacy_append/data/store_c.csv", 103)
def store_c(rng):
    return _store(rng, "c")


# -- gradient boosting libraries --------------------------------------------------------------------

@dataset("lightgbm_credit/data/credit.csv", 7)
def credit(rng):
    header = ["limit_bal", "age", "education", "marriage", "pay_delay", "bill_amt", "pay_amt", "default"]
    rows = []
    for _ in range(400):
        limit = rng.choice([10000, 20000, 50000, 80000, 120000, 200000])
        age, education = rng.randint(21, 70), rng.choice(["graduate", "university", "high_school"])
        delay = max(-1, min(6, round(rng.gauss(0.2, 1.3))))
        bill = limit * rng.uniform(0.05, 0.95)
        paid = bill * rng.uniform(0.0, 0.4)
        logit = -1.6 + 0.75 * delay + 1.2 * (bill / limit) - 1.5 * (paid / max(bill, 1.0)) - limit / 200000
        rows.append([limit, age, education, rng.choice(["married", "single"]), delay, f"{bill:.0f}", f"{paid:.0f}",
                     1 if rng.random() < sigmoid(logit) else 0])
    return header, rows


@dataset("xgboost_bikes/data/bikes.csv", 11)
def bikes(rng):
    header = ["season", "holiday", "workingday", "weather", "temp", "humidity", "windspeed", "hour", "count"]
    rows = []
    for _ in range(400):
        season, hour = rng.randint(1, 4), rng.randint(0, 23)
        workingday = 1 if rng.random() < 0.68 else 0
        weather = rng.choices([1, 2, 3], weights=[0.65, 0.26, 0.09])[0]
        temp, humidity, wind = rng.uniform(2, 36), rng.uniform(20, 100), rng.expovariate(0.08)
        rush = 2.5 if workingday and hour in (8, 17, 18) else 1.0
        count = max(1, round((30 + 6 * temp - 0.3 * humidity) * rush * (1.0 - 0.25 * (weather - 1)) + rng.gauss(0, 15)))
        rows.append([season, 1 if rng.random() < 0.03 else 0, workingday, weather, f"{temp:.2f}", f"{humidity:.0f}", f"{wind:.3f}", hour, count])
    return header, rows


# -- writing ----------------------------------------------------------------------------------------

def render(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    for relative, (seed, function) in DATASETS.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(*function(random.Random(seed))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
