"""Writes house_prices.ipynb (run it to regenerate): the layout and path idioms of the public notebooks
named in ../PROVENANCE.md, in code written for this test."""

import json

CELLS = [
    ("markdown", "# Housing prices from the project's data folder"),
    ("code", "%matplotlib inline\nimport sys\nfrom pathlib import Path\n\nimport matplotlib.pyplot as plt\nimport pandas as pd\n"
             "from sklearn.linear_model import LinearRegression\nfrom sklearn.metrics import mean_absolute_error"),
    ("code", "PROJECT_ROOT = Path().absolute().parent\nsys.path.append(str(PROJECT_ROOT))\n"
             "DATA_DIR = Path().absolute().parents[0] / 'data'\n\nfrom housing.features import add_ratios"),
    ("code", "df = pd.read_csv(DATA_DIR / 'housing.csv')\ndf = add_ratios(df)\ndf.plot.scatter(x='log_income', y='median_house_value')\nplt.show()"),
    ("code", "features = ['rooms_per_household', 'log_income']\nmodel = LinearRegression().fit(df[features], df['median_house_value'])\n"
             "print('MAE', mean_absolute_error(df['median_house_value'], model.predict(df[features])))"),
]


def cell(kind, text):
    lines = text.split("\n")
    source = [line + "\n" for line in lines[:-1]] + [lines[-1]]
    if kind == "markdown":
        return {"cell_type": "markdown", "metadata": {}, "source": source}
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


notebook = {"cells": [cell(k, t) for k, t in CELLS], "metadata": {"language_info": {"name": "python", "version": "3.11.0"}},
            "nbformat": 4, "nbformat_minor": 5}
with open("house_prices.ipynb", "w", encoding="utf-8") as handle:
    json.dump(notebook, handle, indent=1)
    handle.write("\n")
