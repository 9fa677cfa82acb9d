"""Breadth: every notebook of tests/notebooks/corpus converts and splits into something `verify`
proves equivalent to the notebook.

The notebooks are written the way data scientists write them (Kaggle-style exploration, helper
functions and classes in cells, feature loops, in-place cleaning, magics, a papermill parameters
cell, data beside, below and above the notebook); their data is made by corpus/make_data.py.

Each notebook goes through the real command line in a subprocess: `convert` then `verify`, and
`split --cells ...` (cuts chosen to fall between cells that mutate the same frames) then
`verify`. The runs are independent, so a module fixture runs them all in a thread pool and the
parametrized tests assert on what it collected; only the notebooks of the selected tests run.
The YAML files are validated with azure-ai-ml once per folder in this process (the check
`convert` does, without paying the SDK's import in every subprocess).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "notebooks" / "corpus"
NB2AML = [sys.executable, "-m", "nb2aml.cli"]
MAX_DATA_BYTES = 60_000


@dataclass(frozen=True)
class Case:
    cells: str  # the `split --cells` argument
    requires: str | None = None  # a module the notebook imports that may not be installed
    what: str = ""


CASES = {
    "titanic": Case(
        "load=1,impute=16,features=18,model=21",
        what=(
            "heavy seaborn, fillna with median/mode, get_dummies, estimator.score, submission.csv in the working folder"
        ),
    ),
    "house_prices": Case(
        "prep=1,clean=11,ridge=16,blend=19",
        what="../shared_data input, log1p target, skew loop, %%time, rmse helper used in two steps, np.save",
    ),
    "churn_feature_builder": Case(
        "prep=1,features=10,train=12",
        what=(
            "!pip install, a FeatureBuilder class defined in one step, instantiated in the next, "
            "its instance handed to a third"
        ),
    ),
    "feature_loops": Case(
        "load=1,squares=6,interactions=7,models=9",
        what="features built in loops across steps, a metric computed in a loop, a file written inline",
    ),
    "parameters_cell": Case(
        "load=1,split=7,train=8", what="papermill parameters cell read by every step, f-string output path, joblib.dump"
    ),
    "sales_fstring": Case(
        "load=1,features=5,train=8",
        what="input read from f'{data_dir}/sales_{year}.csv', output f'forecast_{year}.csv' in the working folder",
    ),
    "inplace_cleaning": Case(
        "load=1,clean=5,index=7,model=9",
        what="rename/dropna/fillna/drop_duplicates/sort_values/set_index with inplace=True across steps",
    ),
    "categorical_datetime": Case(
        "load=1,calendar_features=5,model=8",
        what="category and datetime columns handed between steps, predictions.csv in the working folder",
    ),
    "helper_functions": Case(
        "helpers=1,data=6,model=10",
        what="functions calling functions, data read through a helper, a helper returning two metrics",
    ),
    "kmeans_segments": Case(
        "load=1,scale=6,cluster=8",
        what="%matplotlib inline, rename(inplace=True), elbow loop that only feeds a plot, KMeans, silhouette",
    ),
    "text_tfidf": Case(
        "clean=1,vectorize=6,classify=7",
        what="text cleaning function, TF-IDF sparse matrix handed over, two classifiers with same-named metrics",
    ),
    "timeseries_lags": Case(
        "load=1,lags=5,forecast=8",
        what="lag/rolling features in a loop, datetime index, time-ordered split, two MAE metrics",
    ),
    "sklearn_pipeline": Case(
        "data=1,pipeline=5,evaluate=8",
        what="Pipeline + ColumnTransformer handed over unfitted, cross_val_score mean as a metric",
    ),
    "model_comparison": Case(
        "data=1,spotcheck=5,final=8",
        what="cross_val_score in a loop over models, train/test accuracy with one metric function",
    ),
    "legacy_append": Case(
        "load=1,combine=4,model=6", what="DataFrame.append, .iteritems(), np.float (NB501 fixes, in the baseline too)"
    ),
    "lightgbm_credit": Case(
        "load=1,features=6,train=7",
        requires="lightgbm",
        what="LightGBM with category columns, !pip install lightgbm, %%time",
    ),
    "xgboost_bikes": Case(
        "load=1,features=6,train=7", requires="xgboost", what="XGBoost regressor, model.save_model to a JSON file"
    ),
}


def _available(case: Case) -> bool:
    return case.requires is None or importlib.util.find_spec(case.requires) is not None


def _params():
    for name, case in CASES.items():
        marks = [pytest.mark.skipif(not _available(case), reason=f"{case.requires} is not installed")]
        yield pytest.param(name, id=name, marks=marks)


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="200")
    return subprocess.run([*NB2AML, *args], capture_output=True, text=True, cwd=cwd, env=env, stdin=subprocess.DEVNULL)


@dataclass
class Outcome:
    stage: str  # the command that ran last: "convert", "split" or "verify"
    returncode: int
    verdict: dict | None
    output: str
    seconds: float


def _convert_and_verify(name: str, kind: str, work: Path) -> Outcome:
    notebook = CORPUS / name / "notebook.ipynb"
    out = work / name / kind
    started = time.monotonic()
    if kind == "job":
        made = _cli("convert", str(notebook), "-o", str(out), "--yes", "--no-validate")
    else:
        made = _cli("split", str(notebook), "--cells", CASES[name].cells, "-o", str(out), "--yes", "--no-validate")
    stage = "convert" if kind == "job" else "split"
    if made.returncode != 0:
        return Outcome(stage, made.returncode, None, made.stdout + made.stderr, time.monotonic() - started)
    checked = _cli("verify", str(notebook), str(out), "--format", "json")
    try:
        verdict = json.loads(checked.stdout)
    except json.JSONDecodeError:
        verdict = None
    return Outcome(
        "verify",
        checked.returncode,
        verdict,
        checked.stdout[-3000:] + checked.stderr[-3000:],
        time.monotonic() - started,
    )


def _selected(session, keyword: str) -> list[str]:
    names = []
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if item.module.__name__ == __name__ and callspec is not None and keyword in item.name:
            names.append(callspec.params["name"])
    return names


@pytest.fixture(scope="module")
def outcomes(request, tmp_path_factory):
    """(name, "job" | "pipeline") -> Outcome, for the selected tests, run side by side."""
    work = tmp_path_factory.mktemp("corpus")
    jobs = [(name, "job") for name in _selected(request.session, "test_convert_verifies")]
    jobs += [(name, "pipeline") for name in _selected(request.session, "test_split_verifies")]
    jobs = [(name, kind) for name, kind in jobs if _available(CASES[name])]
    # Pipelines first: they take longest. Two CPUs on CI; the processes also wait on sqlite and disk.
    jobs.sort(key=lambda job: job[1] != "pipeline")
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(3, os.cpu_count() or 1)) as pool:
        results = dict(zip(jobs, pool.map(lambda job: _convert_and_verify(job[0], job[1], work), jobs), strict=False))
    from nb2aml.emit.check import validate_folder

    for (name, kind), _outcome in results.items():
        folder = work / name / kind
        if folder.is_dir():
            validate_folder(folder)  # raises InvalidYaml: the test run fails loudly
    slowest = sorted(results.items(), key=lambda kv: -kv[1].seconds)[:3]
    print(
        f"\ncorpus: {len(results)} conversions verified in {time.monotonic() - started:.0f}s; slowest: "
        + ", ".join(f"{n}/{k} {o.seconds:.0f}s" for (n, k), o in slowest)
    )
    return results


def _assert_equivalent(outcome: Outcome) -> None:
    assert outcome.stage == "verify" and outcome.returncode == 0, outcome.output
    verdict = outcome.verdict
    assert verdict is not None and verdict["equivalent"], outcome.output
    # Something was compared: metrics the script logs, or files it writes.
    assert verdict["metrics"] or verdict["files"], outcome.output
    assert all(m["match"] for m in verdict["metrics"]) and all(f["match"] for f in verdict["files"])


@pytest.mark.parametrize("name", list(_params()))
def test_convert_verifies(name, outcomes):
    _assert_equivalent(outcomes[(name, "job")])


@pytest.mark.parametrize("name", list(_params()))
def test_split_verifies(name, outcomes):
    _assert_equivalent(outcomes[(name, "pipeline")])


# --- the corpus itself ----------------------------------------------------------------------------


def test_every_notebook_has_a_case():
    notebooks = {p.parent.name for p in CORPUS.glob("*/notebook.ipynb")}
    assert notebooks == set(CASES)
    assert len(notebooks) >= 15


def test_make_data_reproduces_the_committed_data(tmp_path):
    made = subprocess.run([sys.executable, str(CORPUS / "make_data.py"), str(tmp_path)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    generated = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.csv")}
    assert generated == committed
    for relative in sorted(generated):
        data = (CORPUS / relative).read_bytes()
        assert data == (tmp_path / relative).read_bytes(), f"{relative} differs from what make_data.py writes"
        assert len(data) <= MAX_DATA_BYTES, f"{relative} is {len(data)} bytes"


def test_notebooks_are_real_notebooks():
    import nbformat

    for path in sorted(CORPUS.glob("*/notebook.ipynb")):
        notebook = nbformat.read(str(path), as_version=4)
        nbformat.validate(notebook)
        counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
        assert counts == sorted(counts) and None not in counts, path
        assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# "), path


def test_corpus_leaves_the_repository_clean(outcomes):
    """`verify` redirects every output the notebooks write: after all the runs, nothing lands beside them."""
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name != "shared_data"):
        stray = {p.name for p in folder.iterdir()} - {"notebook.ipynb", "data"}
        assert not stray, f"{folder.name}: {sorted(stray)}"
        data = {p.name for p in (folder / "data").iterdir()} if (folder / "data").is_dir() else set()
        assert all(name.endswith(".csv") for name in data), f"{folder.name}/data: {sorted(data)}"
