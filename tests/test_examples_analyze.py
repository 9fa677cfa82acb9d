"""The bundled examples give exactly the findings and job interface checked by hand (frozen here)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from nb2aml.api import analyze_notebook
from nb2aml.notebook import load_notebook

EXAMPLES = Path(__file__).parent.parent / "examples"

# code -> (cell, line) of every finding. Cells count markdown cells too.
FINDINGS = {
    "nyc_taxi": {
        "NB101": [(18, 1), (19, 1), (20, 1), (20, 2), (20, 3), (21, 1), (21, 2), (21, 3), (21, 4), (21, 5), (21, 6)],
        "NB102": [(7, 1), (8, 1), (9, 1), (10, 1), (16, 3), (27, 3)],
        "NB201": [(4, 1)],  # raw_data = './data/'
        "NB202": [(33, 1)],  # model_output = './model/'
        "NB301": [(29, 3), (30, 1), (30, 2)],  # test_size=0.3, learning_rate, n_estimators
        "NB302": [(36, 2), (36, 3)],  # MSE and R2 printed
        "NB401": [(31, 1)],  # GradientBoostingRegressor without random_state
        "NB501": [(16, 1)],  # green_data_clean.append(...)
        "NB703": [(2, 9)],  # matplotlib only plots
    },
    "churn": {
        "NB101": [
            (4, 12),
            (12, 1),
            (13, 1),
            (13, 2),
            (13, 3),
            (13, 4),
            (13, 5),
            (13, 6),
            (14, 1),
            (14, 2),
            (15, 1),
            (16, 1),
            (17, 1),
            (26, 2),
            (26, 3),
            (26, 4),
        ],
        "NB102": [(6, 2), (7, 1), (8, 1), (9, 1), (10, 1), (19, 5), (20, 3)],
        "NB201": [(6, 1)],  # 'data/churn.csv'
        "NB202": [(28, 1)],  # os.makedirs('outputs') + joblib.dump(clf, 'outputs/...')
        "NB301": [(21, 3), (23, 1)],  # test_size=0.2; n_estimators=200, max_depth=8 (one line)
        "NB302": [(24, 4), (24, 5), (24, 6)],  # accuracy, F1, ROC AUC printed
        "NB401": [(23, 1)],  # RandomForestClassifier without random_state
        "NB703": [(4, 2), (4, 4), (4, 5)],  # numpy unused; matplotlib and seaborn only plot
        "NB802": [(2, 1), (3, 1)],  # %matplotlib inline, !pip install: said, not silently dropped
    },
    "housing": {
        "NB101": [(7, 1), (7, 2), (18, 1), (18, 2), (18, 4), (18, 5), (18, 6), (18, 7)],
        "NB102": [(5, 3), (6, 1), (8, 1), (14, 4), (19, 1)],
        "NB201": [(2, 1)],  # data_dir in the parameters cell
        "NB202": [(2, 5)],  # output_dir in the parameters cell
        "NB302": [(17, 2), (17, 3), (17, 4)],  # MAE, RMSE (helper), R2 printed
        "NB703": [(3, 5)],  # matplotlib only plots
        "NB802": [(16, 1)],  # a magic: said, not silently dropped
    },
}

INPUTS = {
    "nyc_taxi": [("raw_data", "./data/", "uri_folder", "raw_data", ("os.listdir", "pandas.read_csv"))],
    "churn": [("churn", "data/churn.csv", "uri_file", None, ("pandas.read_csv",))],
    "housing": [("data_dir", "data", "uri_folder", "data_dir", ("pandas.read_csv",))],
}
OUTPUTS = {
    "nyc_taxi": [
        ("model_output", "./model/", "uri_folder", "model_output", ("os.mkdir", "builtins.open"), ("model.sav",))
    ],
    "churn": [("outputs", "outputs", "uri_folder", None, ("os.makedirs", "joblib.dump"), ("churn_model.joblib",))],
    "housing": [
        ("output_dir", "outputs", "uri_folder", "output_dir", ("os.makedirs", "pandas.to_csv"), ("predictions.csv",))
    ],
}
PARAMETERS = {
    "nyc_taxi": [
        ("test_size", 0.3, "number", "keyword"),
        ("learning_rate", 0.1, "number", "variable"),
        ("n_estimators", 100, "integer", "variable"),
    ],
    "churn": [
        ("test_size", 0.2, "number", "keyword"),
        ("n_estimators", 200, "integer", "keyword"),
        ("max_depth", 8, "integer", "keyword"),
    ],
    "housing": [
        ("alpha", 0.5, "number", "parameters_cell"),
        ("test_size", 0.25, "number", "parameters_cell"),
        ("seed", 7, "integer", "parameters_cell"),
    ],
}
METRICS = {
    "nyc_taxi": [("mean_squared_error", 36), ("r2_score", 36)],
    "churn": [("accuracy_score", 24), ("f1_score", 24), ("roc_auc_score", 24)],
    "housing": [("mean_absolute_error", 17), ("rmse", 17), ("r2_score", 17)],
}
# Code cells only: cell -> action.
PLANS = {
    "nyc_taxi": {
        2: "partial",
        4: "keep",
        5: "keep",
        7: "strip",
        8: "strip",
        9: "strip",
        10: "strip",
        12: "keep",
        13: "keep",
        14: "keep",
        16: "partial",
        18: "strip",
        19: "strip",
        20: "strip",
        21: "strip",
        23: "keep",
        24: "keep",
        26: "keep",
        27: "partial",
        29: "keep",
        30: "keep",
        31: "keep",
        33: "keep",
        35: "keep",
        36: "keep",
    },
    "churn": {
        2: "strip",
        3: "strip",
        4: "partial",
        6: "partial",
        7: "strip",
        8: "strip",
        9: "strip",
        10: "strip",
        12: "strip",
        13: "strip",
        14: "strip",
        15: "strip",
        16: "strip",
        17: "strip",
        19: "partial",
        20: "partial",
        21: "keep",
        23: "keep",
        24: "keep",
        25: "keep",
        26: "strip",
        28: "keep",
    },
    "housing": {
        2: "keep",
        3: "partial",
        5: "partial",
        6: "strip",
        7: "strip",
        8: "strip",
        10: "keep",
        11: "keep",
        13: "keep",
        14: "partial",
        16: "partial",
        17: "keep",
        18: "strip",
        19: "strip",
        21: "keep",
    },
}

NAMES = sorted(FINDINGS)


@cache
def analysed(name):
    return analyze_notebook(load_notebook(EXAMPLES / name / "notebook.ipynb"))


@pytest.mark.parametrize("name", NAMES)
def test_findings(name):
    analysis, _ = analysed(name)
    found = {(f.code, f.pos.cell, f.pos.line) for f in analysis.findings}
    expected = {(code, cell, line) for code, places in FINDINGS[name].items() for cell, line in places}
    assert found == expected


@pytest.mark.parametrize("name", NAMES)
def test_interface(name):
    analysis, _ = analysed(name)
    assert [(a.name, a.path, a.type, a.variable, a.calls) for a in analysis.inputs] == INPUTS[name]
    assert [(a.name, a.path, a.type, a.variable, a.calls, a.members) for a in analysis.outputs] == OUTPUTS[name]
    assert [(p.name, p.value, p.type, p.origin) for p in analysis.parameters] == PARAMETERS[name]
    assert [(m.name, m.pos.cell) for m in analysis.metrics] == METRICS[name]
    assert all(m.printed and not m.logged for m in analysis.metrics)


@pytest.mark.parametrize("name", NAMES)
def test_plan(name):
    analysis, _ = analysed(name)
    assert {c.cell: c.action for c in analysis.cells if c.kind == "code"} == PLANS[name]
    assert all(c.action == "strip" for c in analysis.cells if c.kind != "code")


def test_nyc_taxi_details():
    analysis, nb = analysed("nyc_taxi")
    assert analysis.python_version == "3.8.5"
    (append,) = [f for f in analysis.findings if f.code == "NB501"]
    assert append.severity == "error" and append.fix == "safe" and append.pos.col == 15
    # Both CSVs are read below the input folder; the model is written below the output folder.
    (raw,) = analysis.inputs
    assert {u.cell for u in raw.uses} == {4}
    reads = [use for _, use in nb.facts.paths if use.variable == "raw_data" and use.call == "pandas.read_csv"]
    assert [u.member for u in reads] == ["greenTaxiData.csv", "yellowTaxiData.csv"]


def test_housing_helpers_travel_with_their_callers():
    _, nb = analysed("housing")
    kept = {s.cell for s in nb.facts.statements if s.depth == 0 and s.id in nb.kept}
    assert {10, 11} <= kept  # add_features / rmse and the OutlierClipper class
    assert nb.facts.functions["OutlierClipper"].is_class


def test_churn_pip_install_is_recorded():
    analysis, _ = analysed("churn")
    packages = [m.packages for c in analysis.notebook.cells for m in c.magics if m.packages]
    assert packages == [("seaborn==0.11.2",)]
