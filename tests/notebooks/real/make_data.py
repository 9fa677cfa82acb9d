"""Generate small stand-in data for the real notebooks whose repositories do not ship theirs.

Usage: ``python make_data.py [OUTPUT_ROOT]`` (default: the folder of this script). Each file is
written where its notebook reads it, relative to OUTPUT_ROOT (``kaggle_learn/input/...`` is the
``../input`` of every Kaggle Learn notebook).

The columns, types, value ranges, category labels and missing-value patterns follow the real
data sets (Kaggle's Melbourne housing snapshot, Titanic, ...); every row is made up. Standard
library only, one fixed seed per data set, numbers written with explicit formats: the output is
byte-for-byte reproducible (tests/test_real_corpus.py checks the committed files against it).
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import random
import sys
from pathlib import Path

# relative path -> (seed, function(rng) -> (header or None, rows), field delimiter)
DATASETS: dict[str, tuple[int, object, str]] = {}


def dataset(path: str, seed: int, delimiter: str = ","):
    def register(function):
        DATASETS[path] = (seed, function, delimiter)
        return function

    return register


def blank(rng: random.Random, value, rate: float):
    """`value`, or an empty cell (a missing value) with probability `rate`."""
    return "" if rng.random() < rate else value


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# -- Melbourne housing snapshot (Kaggle Learn: Intro to ML, Intermediate ML) ----------------------

SUBURBS = [("Abbotsford", 3067, 2.5, "Yarra City Council", "Northern Metropolitan", 4019, -37.80, 144.99),
           ("Brunswick", 3056, 5.2, "Moreland City Council", "Northern Metropolitan", 11918, -37.77, 144.96),
           ("Richmond", 3121, 2.6, "Yarra City Council", "Northern Metropolitan", 14949, -37.82, 145.00),
           ("Reservoir", 3073, 11.2, "Darebin City Council", "Northern Metropolitan", 21650, -37.71, 145.01),
           ("Bentleigh East", 3165, 13.9, "Glen Eira City Council", "Southern Metropolitan", 10969, -37.92, 145.07),
           ("Glen Iris", 3146, 9.2, "Boroondara City Council", "Southern Metropolitan", 10412, -37.86, 145.06),
           ("Essendon", 3040, 8.0, "Moonee Valley City Council", "Western Metropolitan", 9264, -37.75, 144.91),
           ("Footscray", 3011, 5.1, "Maribyrnong City Council", "Western Metropolitan", 7570, -37.80, 144.90),
           ("Box Hill", 3128, 13.1, "Whitehorse City Council", "Eastern Metropolitan", 4605, -37.82, 145.13),
           ("Frankston", 3199, 38.0, "Frankston City Council", "South-Eastern Metropolitan", 17055, -38.14, 145.13)]
STREETS = ["Station St", "Hope St", "Park Rd", "High St", "Church St", "Albert St", "Victoria Pde", "Gold St"]
SELLERS = ["Nelson", "Jellis", "Barry", "hockingstuart", "Ray", "Marshall", "Biggin", "Buxton"]


@dataset("kaggle_learn/input/melbourne-housing-snapshot/melb_data.csv", 3067)
def melbourne(rng):
    header = ["Suburb", "Address", "Rooms", "Type", "Price", "Method", "SellerG", "Date", "Distance", "Postcode",
              "Bedroom2", "Bathroom", "Car", "Landsize", "BuildingArea", "YearBuilt", "CouncilArea", "Lattitude",
              "Longtitude", "Regionname", "Propertycount"]
    rows = []
    for _ in range(400):
        suburb, postcode, distance, council, region, count, lat, lon = rng.choice(SUBURBS)
        kind = rng.choices(["h", "u", "t"], weights=[0.7, 0.2, 0.1])[0]
        rooms = max(1, min(7, int(rng.gauss({"h": 3.2, "u": 1.9, "t": 2.8}[kind], 0.9) + 0.5)))
        bathroom = max(1, min(4, rooms - rng.choice([1, 1, 2]) + rng.choice([0, 0, 1])))
        car = max(0, min(4, rooms - 1 + rng.choice([-1, 0, 0, 1])))
        landsize = 0 if kind == "u" and rng.random() < 0.4 else int(rng.lognormvariate(6.1, 0.5))
        area = max(30.0, rng.gauss(45 * rooms, 25))
        year = int(min(2017, max(1850, rng.gauss(1965, 35))))
        price = (180000 * rooms + 2400 * area + 300 * min(landsize, 1500) - 22000 * distance
                 + (3000 * (1990 - year) if year < 1990 else 0) + rng.gauss(0, 120000))
        price = max(145000, round(price, -3))
        date = datetime.date(2016, 1, 28) + datetime.timedelta(days=rng.randrange(0, 600))
        rows.append([suburb, f"{rng.randint(1, 199)} {rng.choice(STREETS)}", rooms, kind, f"{price:.1f}",
                     rng.choices(["S", "SP", "PI", "VB", "SA"], weights=[0.66, 0.12, 0.12, 0.08, 0.02])[0],
                     rng.choice(SELLERS), f"{date.day}/{date.month}/{date.year}", f"{distance:.1f}", f"{postcode:.1f}",
                     f"{rooms + rng.choice([0, 0, 0, -1, 1]):.1f}", f"{bathroom:.1f}", blank(rng, f"{car:.1f}", 0.01),
                     f"{landsize:.1f}", blank(rng, f"{area:.2f}", 0.47), blank(rng, f"{year:.1f}", 0.40),
                     blank(rng, council, 0.10), f"{lat + rng.uniform(-0.02, 0.02):.5f}",
                     f"{lon + rng.uniform(-0.02, 0.02):.5f}", region, f"{count:.1f}"])
    return header, rows


# -- concrete compressive strength (Kaggle Learn: Feature Engineering) -----------------------------


@dataset("kaggle_learn/input/fe-course-data/concrete.csv", 1030)
def concrete(rng):
    header = ["Cement", "BlastFurnaceSlag", "FlyAsh", "Water", "Superplasticizer", "CoarseAggregate", "FineAggregate",
              "Age", "CompressiveStrength"]
    rows = []
    for _ in range(200):
        cement = rng.uniform(102, 540)
        slag = 0.0 if rng.random() < 0.45 else rng.uniform(11, 359)
        ash = 0.0 if rng.random() < 0.55 else rng.uniform(24, 200)
        water = rng.uniform(122, 247)
        plasticizer = 0.0 if rng.random() < 0.37 else rng.uniform(1.7, 32.2)
        coarse, fine = rng.uniform(801, 1145), rng.uniform(594, 993)
        age = rng.choice([3, 7, 14, 28, 28, 28, 56, 90, 180, 365])
        strength = max(2.3, 0.11 * cement + 0.08 * slag + 0.05 * ash - 0.16 * water + 0.3 * plasticizer
                       + 9 * math.log(age) - 12 + rng.gauss(0, 5))
        rows.append([f"{cement:.1f}", f"{slag:.1f}", f"{ash:.1f}", f"{water:.1f}", f"{plasticizer:.1f}",
                     f"{coarse:.1f}",
                     f"{fine:.1f}", age, f"{strength:.2f}"])
    return header, rows


# -- credit card applications (Kaggle Learn: Intermediate ML, data leakage) ------------------------


@dataset("kaggle_learn/input/aer-credit-card-data/AER_credit_card_data.csv", 1319)
def credit_cards(rng):
    header = ["card", "reports", "age", "income", "share", "expenditure", "owner", "selfemp", "dependents", "months",
              "majorcards", "active"]
    rows = []
    for _ in range(300):
        reports = min(14, int(rng.expovariate(2.2)))
        income = max(0.21, rng.lognormvariate(1.1, 0.45))
        card = rng.random() < sigmoid(2.2 - 1.4 * reports + 0.2 * income)
        expenditure = rng.lognormvariate(4.6, 1.1) if card and rng.random() > 0.02 else 0.0
        rows.append(["yes" if card else "no", reports, f"{max(18.0, rng.gauss(33.2, 10.1)):.5f}", f"{income:.4f}",
                     f"{expenditure / (income * 10000 / 12) + 0.0001:.7f}", f"{expenditure:.5f}",
                     "yes" if rng.random() < 0.44 else "no", "yes" if rng.random() < 0.07 else "no",
                     min(6, int(rng.expovariate(1.0))), int(rng.expovariate(1 / 55)),
                     1 if rng.random() < 0.82 else 0, int(rng.expovariate(1 / 7))])
    return header, rows


# -- wine reviews (Kaggle Learn: Pandas) -----------------------------------------------------------

WINES = [("Italy", "Sicily & Sardinia", "Etna", "", "Nerello Mascalese"),
         ("Portugal", "Douro", "", "", "Portuguese Red"),
         ("US", "Oregon", "Willamette Valley", "Willamette Valley", "Pinot Noir"),
         ("US", "California", "Napa Valley", "Napa", "Cabernet Sauvignon"),
         ("France", "Alsace", "Alsace", "", "Riesling"),
         ("Spain", "Northern Spain", "Rioja", "", "Tempranillo"), ("", "", "", "", "Red Blend")]
TASTERS = [("Kerin O’Keefe", "@kerinokeefe"), ("Roger Voss", "@vossroger"), ("Paul Gregutt", "@paulgwine "),
           ("Michael Schachner", "@wineschach"), ("", "")]


@dataset("kaggle_learn/input/wine-reviews/winemag-data-130k-v2.csv", 130)
def wine_reviews(rng):
    header = ["", "country", "description", "designation", "points", "price", "province", "region_1", "region_2",
              "taster_name", "taster_twitter_handle", "title", "variety", "winery"]
    rows = []
    for i in range(300):
        country, province, region_1, region_2, variety = rng.choice(WINES)
        taster, handle = rng.choice(TASTERS)
        estate = rng.choice(['Quinta', 'Domaine', 'Bodega', 'Tenuta', 'Cellars'])
        winery = f"{estate} {rng.choice(['Alta', 'Rossi', 'Stone', 'Vale'])}"
        points = rng.randint(80, 100)
        aroma = rng.choice(['cherry', 'plum', 'citrus', 'oak'])
        rows.append([i, country, f"Aromas of {aroma} with a {rng.choice(['crisp', 'dense', 'soft'])} finish.",
                     rng.choice(["", "Reserve", "Estate", "Vulkà Bianco"]), points,
                     blank(rng, f"{max(4.0, rng.lognormvariate(3.3, 0.6)):.1f}", 0.07), province, region_1, region_2,
                     taster, handle, f"{winery} {2000 + rng.randint(0, 16)} {variety} ({province or 'Unknown'})",
                     variety, winery])
    return header, rows


# -- California housing (Kaggle Learn: Feature Engineering, k-means) -------------------------------


@dataset("kaggle_learn/input/fe-course-data/housing.csv", 20640)
def california(rng):
    header = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup", "Latitude", "Longitude",
              "MedHouseVal"]
    rows = []
    for _ in range(300):
        lat, lon = rng.choice([(37.8, -122.3), (34.1, -118.3), (32.7, -117.2), (38.6, -121.5), (36.7, -119.8)])
        income = max(0.5, rng.lognormvariate(1.25, 0.45))
        rooms = max(1.5, rng.gauss(5.4, 1.2))
        value = min(5.00001, max(0.15, 0.4 * income + (0.8 if lon < -121 else 0.3) + rng.gauss(0, 0.4)))
        rows.append([f"{income:.4f}", f"{rng.randint(1, 52):.1f}", f"{rooms:.6f}",
                     f"{rooms / 5 + rng.uniform(-0.1, 0.1):.6f}", f"{rng.randint(100, 4000):.1f}",
                     f"{rng.uniform(1.5, 4.5):.6f}", f"{lat + rng.uniform(-0.5, 0.5):.2f}",
                     f"{lon + rng.uniform(-0.5, 0.5):.2f}", f"{value:.5f}"])
    return header, rows


# -- landslide events (Kaggle Learn: Data Cleaning, dates) -----------------------------------------


@dataset("kaggle_learn/input/landslide-events/catalog.csv", 2007)
def landslides(rng):
    header = ["id", "date", "time", "continent_code", "country_name", "country_code", "state/province", "population",
              "city/town", "distance", "location_description", "latitude", "longitude", "geolocation", "hazard_type",
              "landslide_type", "landslide_size", "trigger", "storm_name", "injuries", "fatalities", "source_name",
              "source_link"]
    rows = []
    for i in range(200):
        day = datetime.date(2007, 3, 2) + datetime.timedelta(days=rng.randrange(0, 3400))
        lat, lon = rng.uniform(-40, 60), rng.uniform(-120, 140)
        rows.append([34 + 3 * i, blank(rng, f"{day.month}/{day.day}/{day.year % 100:02d}", 0.01),
                     rng.choice(["", "Night", "Morning", "Afternoon"]), rng.choice(["NA", "AS", "SA", "EU"]),
                     rng.choice(["United States", "India", "Brazil", "Nepal"]), rng.choice(["US", "IN", "BR", "NP"]),
                     rng.choice(["Virginia", "Kerala", "Minas Gerais", "Bagmati"]), rng.randint(0, 90000),
                     rng.choice(["Cherry Hill", "Idukki", "Ouro Preto", "Dhading"]), f"{rng.uniform(0, 20):.5f}",
                     rng.choice(["", "Unknown", "Above road", "Urban area"]), f"{lat:.4f}", f"{lon:.4f}",
                     f"({lat:.4f}, {lon:.4f})", "Landslide", rng.choice(["Landslide", "Mudslide", "Rockfall"]),
                     rng.choice(["Small", "Medium", "Large"]), rng.choice(["Rain", "Downpour", "Tropical cyclone"]), "",
                     blank(rng, rng.randint(0, 5), 0.6), blank(rng, rng.randint(0, 12), 0.4), "Local news", ""])
    return header, rows


# -- trending YouTube videos, Canada and Great Britain (Kaggle Learn: Pandas) ----------------------

VIDEO_TITLES = ["Eminem - Walk On Water", "WE WANT TO TALK ABOUT OUR MARRIAGE", "Marshmello - Blocks",
                "Nickelback Lyrics",
                "Racist Superman", "Dog sees snow for the first time", "Apple iPhone X review", "How to cook rice"]


def youtube(rng, country: str):
    header = ["video_id", "trending_date", "title", "channel_title", "category_id", "publish_time", "tags", "views",
              "likes", "dislikes", "comment_count", "thumbnail_link", "comments_disabled", "ratings_disabled",
              "video_error_or_removed", "description"]
    rows = []
    for i in range(120):
        title = rng.choice(VIDEO_TITLES)
        day = datetime.date(2017, 11, 14) + datetime.timedelta(days=rng.randrange(0, 20))
        views = int(rng.lognormvariate(12, 1.5))
        video = f"{country}{VIDEO_TITLES.index(title)}x{i % 7}"
        rows.append([video, f"{day.year % 100:02d}.{day.day:02d}.{day.month:02d}", title,
                     f"Channel {VIDEO_TITLES.index(title)}",
                     rng.choice([10, 22, 23, 24]), f"{day.isoformat()}T17:00:03.000Z", '"music"|"video"', views,
                     int(views * rng.uniform(0.01, 0.05)), int(views * rng.uniform(0.0005, 0.003)), int(views * 0.004),
                     f"https://i.ytimg.com/vi/{video}/default.jpg", "False", "False", "False", f"{title} (official)"])
    return header, rows


@dataset("kaggle_learn/input/youtube-new/CAvideos.csv", 124)
def youtube_canada(rng):
    return youtube(rng, "CA")


@dataset("kaggle_learn/input/youtube-new/GBvideos.csv", 44)
def youtube_britain(rng):
    return youtube(rng, "GB")


# -- 1985 automobiles (Kaggle Learn: Feature Engineering, mutual information) ----------------------

MAKES = ["alfa-romero", "audi", "bmw", "honda", "mazda", "toyota", "volvo", "peugot"]


@dataset("kaggle_learn/input/fe-course-data/autos.csv", 1985)
def autos(rng):
    header = ["symboling", "make", "fuel_type", "aspiration", "num_of_doors", "body_style", "drive_wheels",
              "engine_location", "wheel_base", "length", "width", "height", "curb_weight", "engine_type",
              "num_of_cylinders", "engine_size", "fuel_system", "bore", "stroke", "compression_ratio", "horsepower",
              "peak_rpm", "city_mpg", "highway_mpg", "price"]
    rows = []
    for _ in range(193):
        make = rng.choice(MAKES)
        diesel = rng.random() < 0.1
        cylinders = rng.choice([4, 4, 4, 5, 6, 6, 8])
        engine = int(cylinders * rng.uniform(24, 36))
        weight = int(1500 + engine * 9 + rng.gauss(0, 200))
        horsepower = int(engine * rng.uniform(0.6, 1.1))
        price = int(max(5118, weight * 7.5 + horsepower * 60 - 12000 + (4000 if make in ("bmw", "volvo", "audi") else 0)
                        + rng.gauss(0, 2000)))
        city = max(13, int(49 - weight / 110 + (8 if diesel else 0)))
        rows.append([rng.randint(-2, 3), make, "diesel" if diesel else "gas", rng.choice(["std", "std", "turbo"]),
                     rng.choice([2, 4]), rng.choice(["sedan", "hatchback", "wagon", "convertible"]),
                     rng.choice(["fwd", "rwd", "4wd"]), "front", f"{rng.uniform(86.6, 120.9):.1f}",
                     f"{rng.uniform(141.1, 208.1):.1f}", f"{rng.uniform(60.3, 72.3):.1f}",
                     f"{rng.uniform(47.8, 59.8):.1f}", weight, rng.choice(["ohc", "ohcf", "dohc", "l"]), cylinders,
                     engine, rng.choice(["mpfi", "2bbl", "idi"]),
                     f"{rng.uniform(2.54, 3.94):.2f}", f"{rng.uniform(2.07, 4.17):.2f}",
                     f"{rng.uniform(21.0, 23.0) if diesel else rng.uniform(7.0, 10.0):.1f}", horsepower,
                     rng.choice([4800, 5000, 5200, 5500, 5800]), city, city + rng.randint(3, 8), price])
    return header, rows


# -- wine quality (MLflow's quickstart demo reads ./wine-quality.csv) ------------------------------


@dataset("mlflow_examples/quickstart/sample_code/wine-quality.csv", 1599)
def wine_quality(rng):
    header = ["fixed acidity", "volatile acidity", "citric acid", "residual sugar", "chlorides", "free sulfur dioxide",
              "total sulfur dioxide", "density", "pH", "sulphates", "alcohol", "quality"]
    rows = []
    for _ in range(300):
        alcohol = rng.uniform(8.4, 14.2)
        volatile = rng.uniform(0.12, 1.2)
        sulphates = rng.uniform(0.33, 1.2)
        quality = max(3, min(9, round(5.6 + 0.35 * (alcohol - 10.4) - 1.2 * (volatile - 0.5) + 0.8 * (sulphates - 0.65)
                                      + rng.gauss(0, 0.6))))
        free = rng.uniform(1, 72)
        rows.append([f"{rng.uniform(4.6, 15.9):.1f}", f"{volatile:.3f}", f"{rng.uniform(0, 1):.2f}",
                     f"{rng.uniform(0.9, 15.5):.1f}", f"{rng.uniform(0.012, 0.611):.3f}", f"{free:.1f}",
                     f"{free + rng.uniform(5, 220):.1f}", f"{rng.uniform(0.990, 1.004):.5f}",
                     f"{rng.uniform(2.74, 4.01):.2f}",
                     f"{sulphates:.2f}", f"{alcohol:.1f}", quality])
    return header, rows


# -- NFL play by play (Kaggle Learn: Data Cleaning, missing values): a subset of the 102 columns ---


@dataset("kaggle_learn/input/nflplaybyplay2009to2016/NFL Play by Play 2009-2017 (v4).csv", 2009)
def nfl_plays(rng):
    header = ["Date", "GameID", "Drive", "qtr", "down", "time", "TimeUnder", "TimeSecs", "PlayTimeDiff", "SideofField",
              "yrdln", "posteam", "DefensiveTeam", "PlayType", "Yards.Gained", "PenalizedTeam", "EPA", "airEPA",
              "yacEPA", "Home_WP_pre", "Away_WP_pre", "Home_WP_post", "Away_WP_post", "Win_Prob", "WPA", "airWPA",
              "yacWPA", "Season"]
    teams = ["PIT", "TEN", "NE", "BUF", "DAL", "NYG"]
    rows = []
    for i in range(300):
        game = 2009091000 + i // 60
        home, away = teams[(i // 60) % 3], teams[3 + (i // 60) % 3]
        seconds = 3600 - (i % 60) * 58
        play = rng.choice(["Pass", "Run", "Punt", "Kickoff", "Penalty"])
        passing = play == "Pass"
        pre = rng.uniform(0.2, 0.8)
        post = min(0.99, max(0.01, pre + rng.gauss(0, 0.03)))
        rows.append([f"2009-09-{10 + i // 60}", game, 1 + (i % 60) // 6, 1 + (i % 60) // 15,
                     "" if play in ("Kickoff", "Punt") else rng.randint(1, 4),
                     f"{(seconds % 900) // 60:02d}:{seconds % 60:02d}",
                     (seconds % 900) // 60, blank(rng, seconds, 0.05), blank(rng, rng.randint(0, 45), 0.02),
                     rng.choice([home, away]), rng.randint(1, 50), rng.choice([home, away]), rng.choice([home, away]),
                     play,
                     rng.randint(-5, 25), rng.choice([home, away]) if play == "Penalty" else "",
                     f"{rng.gauss(0, 1.3):.6f}", f"{rng.gauss(0.5, 1):.6f}" if passing else "",
                     f"{rng.gauss(0.2, 1):.6f}" if passing else "", f"{pre:.6f}", f"{1 - pre:.6f}", f"{post:.6f}",
                     f"{1 - post:.6f}", f"{pre:.6f}", f"{post - pre:.6f}",
                     f"{rng.gauss(0, 0.02):.6f}" if passing else "",
                     f"{rng.gauss(0, 0.02):.6f}" if passing else "", 2009])
    return header, rows


# -- UFO sightings (ML-For-Beginners, 3-Web-App) --------------------------------------------------

PLACES = {"us": [("phoenix", "az", 33.45, -112.07), ("seattle", "wa", 47.61, -122.33),
                 ("houston", "tx", 29.76, -95.37)],
          "ca": [("toronto (canada)", "on", 43.65, -79.38), ("calgary (canada)", "ab", 51.05, -114.07)],
          "gb": [("london (uk/england)", "", 51.51, -0.13), ("chester (uk/england)", "", 53.2, -2.92)],
          "au": [("sydney (australia)", "", -33.87, 151.21)],
          "de": [("berlin (germany)", "", 52.52, 13.4)]}
SHAPES = ["light", "circle", "triangle", "fireball", "disk", "sphere", "cylinder", "other"]


@dataset("ml_for_beginners/3-Web-App/1-Web-App/data/ufos.csv", 1947)
def ufos(rng):
    header = ["datetime", "city", "state", "country", "shape", "duration (seconds)", "duration (hours/min)", "comments",
              "date posted", "latitude", "longitude"]
    rows = []
    for _ in range(600):
        country = rng.choices(list(PLACES), weights=[0.8, 0.08, 0.06, 0.03, 0.03])[0]
        city, state, lat, lon = rng.choice(PLACES[country])
        seconds = rng.choice([rng.randint(1, 60), rng.randint(1, 60), rng.choice([120, 300, 900, 3600])])
        when = datetime.datetime(1970, 1, 1) + datetime.timedelta(minutes=rng.randrange(0, 22_000_000))
        posted = when.date() + datetime.timedelta(days=rng.randrange(10, 900))
        rows.append([f"{when.month}/{when.day}/{when.year} {when.hour}:{when.minute:02d}", city, state,
                     blank(rng, country, 0.1), rng.choice(SHAPES), f"{seconds:.1f}", f"{seconds} seconds",
                     f"{rng.choice(SHAPES)} object seen over {city.split(' (')[0]}",
                     f"{posted.month}/{posted.day}/{posted.year}", f"{lat + rng.uniform(-0.3, 0.3):.6f}",
                     f"{lon + rng.uniform(-0.3, 0.3):.6f}"])
    return header, rows


# -- cleaned cuisines (ML-For-Beginners, 4-Classification): a subset of the 380 ingredient columns ---

CUISINES = {"chinese": ["soy_sauce", "ginger", "scallion", "sesame_oil", "rice", "garlic"],
            "indian": ["cumin", "turmeric", "coriander", "fenugreek", "yogurt", "cardamom"],
            "japanese": ["soy_sauce", "rice", "sake", "seaweed", "wasabi", "mirin"],
            "korean": ["garlic", "sesame_oil", "soy_sauce", "cayenne", "scallion", "kimchi"],
            "thai": ["fish", "coconut", "lemongrass", "basil", "lime_juice", "pepper"]}
INGREDIENTS = sorted({i for items in CUISINES.values() for i in items}
                     | {"almond", "angelica", "anise", "anise_seed", "apple", "apricot", "wine", "yam", "yeast",
                        "zucchini"})


@dataset("ml_for_beginners/4-Classification/data/cleaned_cuisine.csv", 2021)
def cuisines(rng):
    header = ["", "cuisine", *INGREDIENTS]
    rows = []
    for i in range(500):
        cuisine = list(CUISINES)[i % 5]
        typical = set(CUISINES[cuisine])
        flags = (1 if rng.random() < (0.55 if name in typical else 0.06) else 0 for name in INGREDIENTS)
        rows.append([i, cuisine, *flags])
    return header, rows


# -- Titanic passengers (Kaggle's competition files, and titanic3 of the Vanderbilt data sets) -----

SURNAMES = ["Braund", "Cumings", "Heikkinen", "Futrelle", "Allen", "Moran", "McCarthy", "Palsson", "Johnson",
            "Nasser", "Sandstrom", "Bonnell", "Saundercock", "Andersson", "Vestrom", "Hewlett", "Rice", "Williams"]
FIRST_NAMES = {"male": ["Owen Harris", "William Henry", "James", "Timothy J", "Gosta Leonard", "Charles"],
               "female": ["Laina", "Lily May", "Elisabeth", "Marguerite Rut", "Anna", "Helen Loraine"]}
TITLES = {"male": ["Mr.", "Mr.", "Mr.", "Master."], "female": ["Mrs.", "Miss.", "Miss.", "Mrs."]}
DESTINATIONS = ["St Louis, MO", "Montreal, PQ / Chesterville, ON", "New York, NY", "Hudson, NY", "", "", ""]


def passenger(rng: random.Random) -> dict:
    """One made-up passenger; survival depends on sex, class and age as in the real lists."""
    pclass = rng.choices([1, 2, 3], weights=[0.24, 0.21, 0.55])[0]
    sex = rng.choices(["male", "female"], weights=[0.65, 0.35])[0]
    age = max(0.42, rng.gauss({1: 38, 2: 30, 3: 25}[pclass], 13))
    age_text = "" if rng.random() < 0.2 else (f"{age:.0f}" if age >= 1 else f"{age:.4f}".rstrip("0"))
    sibsp = min(8, int(rng.expovariate(1.9)))
    parch = min(6, int(rng.expovariate(2.6)))
    fare = max(0.0, rng.lognormvariate({1: 4.2, 2: 2.9, 3: 2.2}[pclass], 0.5))
    cabin = f"{rng.choice('ABCDE')}{rng.randint(2, 130)}" if pclass == 1 and rng.random() < 0.8 else ""
    embarked = rng.choices(["S", "C", "Q"], weights=[0.72, 0.19, 0.09])[0]
    survived = int(rng.random() < sigmoid(2.5 * (sex == "female") - 0.9 * (pclass - 2) - 0.02 * (age - 30) - 1.1))
    name = f"{rng.choice(SURNAMES)}, {rng.choice(TITLES[sex])} {rng.choice(FIRST_NAMES[sex])}"
    ticket = rng.choice([str(rng.randint(1000, 399999)), f"A/5 {rng.randint(1000, 29999)}",
                         f"PC {rng.randint(17000, 17800)}"])
    return {"Pclass": pclass, "Sex": sex, "Age": age_text, "SibSp": sibsp, "Parch": parch, "Fare": fare,
            "Cabin": cabin, "Embarked": embarked, "Survived": survived, "Name": name, "Ticket": ticket}


def kaggle_fare(fare: float) -> str:
    return f"{fare:.4f}".rstrip("0").rstrip(".")


KAGGLE_TITANIC = ["PassengerId", "Survived", "Pclass", "Name", "Sex", "Age", "SibSp", "Parch", "Ticket", "Fare",
                  "Cabin", "Embarked"]


@dataset("dsin/data/titanic/train.csv", 891)
def kaggle_titanic_train(rng):
    rows = []
    for i in range(891):
        p = passenger(rng)
        rows.append([i + 1, p["Survived"], p["Pclass"], p["Name"], p["Sex"], p["Age"], p["SibSp"], p["Parch"],
                     p["Ticket"], kaggle_fare(p["Fare"]), p["Cabin"], "" if i in (61, 829) else p["Embarked"]])
    return KAGGLE_TITANIC, rows


@dataset("dsin/data/titanic/test.csv", 418)
def kaggle_titanic_test(rng):
    rows = []
    for i in range(418):
        p = passenger(rng)
        rows.append([892 + i, p["Pclass"], p["Name"], p["Sex"], p["Age"], p["SibSp"], p["Parch"], p["Ticket"],
                     "" if i == 152 else kaggle_fare(p["Fare"]), p["Cabin"], p["Embarked"]])
    return [column for column in KAGGLE_TITANIC if column != "Survived"], rows


@dataset("scipy2016/notebooks/datasets/titanic3.csv", 1309)
def titanic3(rng):
    header = ["pclass", "survived", "name", "sex", "age", "sibsp", "parch", "ticket", "fare", "cabin", "embarked",
              "boat", "body", "home.dest"]
    rows = []
    for i in range(1309):
        p = passenger(rng)
        boat = str(rng.randint(1, 16)) if p["Survived"] and rng.random() < 0.9 else ""
        body = str(rng.randint(1, 330)) if not p["Survived"] and rng.random() < 0.15 else ""
        rows.append([p["Pclass"], p["Survived"], p["Name"], p["Sex"], p["Age"], p["SibSp"], p["Parch"], p["Ticket"],
                     "" if i == 1225 else f"{p['Fare']:.4f}", p["Cabin"], "" if i in (168, 284) else p["Embarked"],
                     boat, body, rng.choice(DESTINATIONS)])
    rows.sort(key=lambda row: row[0])  # the real file lists first class first
    return header, rows


# -- LightGBM's examples/regression: a label and 28 features, tab-separated, no header -------------

LOGNORMAL_FEATURES = {0, 3, 5, 9, 13, 17, 21, 22, 23, 24, 25, 26, 27}
THREE_LEVEL_FEATURES = {8, 12, 16, 20}


def lightgbm_regression(rng: random.Random, count: int) -> tuple[None, list[list]]:
    rows = []
    for _ in range(count):
        x = [rng.lognormvariate(-0.1, 0.5) if j in LOGNORMAL_FEATURES
             else rng.choice([0.0, 1.087, 2.173]) if j in THREE_LEVEL_FEATURES
             else rng.uniform(-1.74, 1.74) for j in range(28)]
        label = int(rng.random() < sigmoid(0.8 * x[25] - 0.6 * x[24] + 0.4 * x[0] - 0.5))
        rows.append([label, *(f"{value:.3f}" for value in x)])
    return None, rows


@dataset("lightgbm/examples/regression/regression.train", 7000, delimiter="\t")
def lightgbm_regression_train(rng):
    return lightgbm_regression(rng, 1000)


@dataset("lightgbm/examples/regression/regression.test", 500, delimiter="\t")
def lightgbm_regression_test(rng):
    return lightgbm_regression(rng, 300)


def render(header: list[str] | None, rows: list[list], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).parent
    for relative, (seed, function, delimiter) in sorted(DATASETS.items()):
        header, rows = function(random.Random(seed))
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(header, rows, delimiter))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
