"""Generate the synthetic house-price data set used by the housing example.

Run from anywhere: ``python make_data.py``. Writes ``data/houses.csv`` beside this
script. Only the standard library is used and the seed is fixed, so the output is
byte-for-byte reproducible. The data is entirely made up.
"""
import csv
import math
import random
from pathlib import Path

SEED = 7
N_ROWS = 2000
OUT = Path(__file__).resolve().parent / "data" / "houses.csv"

# neighborhood -> (price multiplier, typical distance to the centre in km)
NEIGHBORHOODS = {
    "Downtown": (1.45, 2.0),
    "Riverside": (1.20, 5.0),
    "Oak Hill": (1.10, 8.0),
    "Westfield": (0.95, 12.0),
    "Lakeview": (1.05, 15.0),
    "Old Mill": (0.80, 20.0),
}

COLUMNS = [
    "house_id", "neighborhood", "sqft_living", "lot_size", "bedrooms", "bathrooms",
    "floors", "year_built", "garage_spaces", "condition", "distance_to_center_km", "price",
]


def make_row(rng, i):
    hood = rng.choices(list(NEIGHBORHOODS), weights=[10, 18, 20, 22, 15, 15])[0]
    mult, dist_mu = NEIGHBORHOODS[hood]
    bedrooms = rng.choices([1, 2, 3, 4, 5, 6], weights=[5, 20, 38, 25, 9, 3])[0]
    sqft = max(450, int(rng.gauss(550 + 420 * bedrooms, 260)))
    # a few huge estates: the heavy right tail the notebook clips
    if rng.random() < 0.01:
        sqft *= 3
    bathrooms = max(1.0, min(bedrooms + 1.0, round(rng.gauss(bedrooms * 0.7, 0.6) * 2) / 2))
    floors = rng.choices([1, 1.5, 2, 3], weights=[45, 10, 40, 5])[0]
    lot = int(rng.lognormvariate(math.log(sqft * 2.2), 0.5))
    year = min(2022, max(1900, int(rng.gauss(1975, 25))))
    garage = rng.choices([0, 1, 2, 3], weights=[15, 35, 40, 10])[0]
    condition = rng.choices([1, 2, 3, 4, 5], weights=[3, 10, 50, 27, 10])[0]
    dist = round(max(0.3, rng.gauss(dist_mu, 2.5)), 1)
    price = (
        40000
        + 160 * sqft * mult
        + 4 * lot
        + 9000 * bathrooms
        + 12000 * garage
        + 15000 * (condition - 3)
        - 600 * (2023 - year)
        - 2500 * dist
    )
    price = int(round(max(60000.0, price * rng.lognormvariate(0.0, 0.12)), -2))
    return ["H%05d" % (i + 1), hood, sqft, lot, bedrooms, bathrooms, floors, year, garage,
            condition, dist, price]


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
