"""Idioms of public notebooks that nb2aml gets wrong today, as minimal notebooks of our own.

Each was seen in a public notebook tried for the real corpus (issue #12) and is reproduced here in a
few lines written for this test (no third-party text): the repository and path are named so that
the lead can check the original. Each failed before its fix (they were `xfail(strict=True)` until
then): they now guard the fixes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nb2aml.api import analyze_path
from nb2aml.plan.refusals import refusals


def _notebook(path: Path, *cells: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
    return path


def _nb2aml(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nb2aml.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


# microsoft/LightGBM examples/python-guide/notebooks/interactive_plot_example.ipynb (MIT): the
# notebook's point is `lgb.train(..., valid_sets=..., callbacks=[lgb.log_evaluation(10),
# lgb.record_evaluation(evals_result)])`, which prints the validation metrics every 10 rounds; the
# only other use of the booster is plotting. nb2aml strips the training as "nothing kept uses its
# result" and refuses the whole notebook as "nothing to convert".
def test_lightgbm_training_that_prints_its_validation_metrics_is_kept(tmp_path):
    notebook = _notebook(
        tmp_path / "train.ipynb",
        "import lightgbm as lgb\nimport numpy as np",
        "rng = np.random.RandomState(0)\nX = rng.rand(200, 3)\ny = X[:, 0] + 0.1 * rng.rand(200)",
        "train = lgb.Dataset(X[:150], y[:150])\nvalid = lgb.Dataset(X[150:], y[150:], reference=train)\n"
        "evals = {}\ngbm = lgb.train({'verbose': -1, 'metric': 'l2'}, train, 20, valid_sets=[valid],\n"
        "                callbacks=[lgb.log_evaluation(10), lgb.record_evaluation(evals)])",
    )
    analysis, facts = analyze_path(notebook)
    assert [r.message for r in refusals(analysis, facts)] == []


# amueller/COMS4995-s20 slides/aml-05-linear-models-regression/aml-08-imputation-feature-selection.ipynb
# (CC0-1.0): `plt.savefig("images/median_imputation.png")` into the `images/` folder beside the
# notebook. The job keeps the call with its relative path and runs from src/, where there is no
# images/ folder: FileNotFoundError, in `run` and in `verify` of the job and of the pipeline.
@pytest.mark.slow
def test_a_figure_saved_into_a_folder_beside_the_notebook_is_written_by_the_job(tmp_path):
    _notebook(
        tmp_path / "notebook.ipynb",
        "import matplotlib.pyplot as plt\nfrom sklearn.datasets import load_iris\n"
        "from sklearn.linear_model import LogisticRegression",
        "X, y = load_iris(return_X_y=True)\nmodel = LogisticRegression(max_iter=500).fit(X, y)\n"
        "print('accuracy', model.score(X, y))",
        "plt.plot(model.coef_[0])\nplt.savefig('images/coef.png')",
    )
    (tmp_path / "images").mkdir()
    done = _nb2aml("convert", "notebook.ipynb", "-o", "out", "-y", "--no-validate", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ran = _nb2aml("run", "out", cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert list((tmp_path / "out").rglob("coef.png")), "the job ran but wrote no coef.png"


# Removed APIs that real notebooks of the corpus hit and NB501 does not name. The notebook then fails
# here ("notebook fails here" in the table) with no finding that says why or how to fix it.
#   jakevdp/sklearn_tutorial notebooks/fig_code/sgd_separator.py (BSD-3-Clause), imported by
#     03.2-Regression-Forests.ipynb: `from sklearn.datasets.samples_generator import make_blobs`
#   amueller/scipy-2016-sklearn notebooks/10 Case Study - Titanic Survival.ipynb (CC0-1.0):
#     `DummyClassifier('most_frequent')`, keyword-only since scikit-learn 1.0
#   jakevdp/sklearn_tutorial notebooks/05-Validation.ipynb: `validation_curve(model, X, y,
#     'polynomialfeatures__degree', degree, ...)`, keyword-only since scikit-learn 1.0; and
#     `from IPython.html.widgets import interact` (IPython.html was removed in IPython 4)
REMOVED_BUT_NOT_NAMED = {
    "samples_generator": "from sklearn.datasets.samples_generator import make_blobs\nX, y = make_blobs(random_state=0)",
    "dummy_positional": "from sklearn.dummy import DummyClassifier\nX, y = [[0], [1]], [0, 1]\n"
    "print(DummyClassifier('most_frequent').fit(X, y).score(X, y))",
    "validation_curve_positional": "from sklearn.linear_model import LogisticRegression\n"
    "from sklearn.model_selection import validation_curve\nX, y = [[0], [1]] * 5, [0, 1] * 5\n"
    "train, test = validation_curve(LogisticRegression(), X, y, 'C', [0.1, 1.0], cv=2)\nprint(test.mean())",
    "ipython_html_widgets": "from IPython.html.widgets import interact\nprint(1)",
}


@pytest.mark.parametrize("case", sorted(REMOVED_BUT_NOT_NAMED))
def test_removed_apis_of_real_notebooks_are_named(tmp_path, case):
    notebook = _notebook(tmp_path / "nb.ipynb", REMOVED_BUT_NOT_NAMED[case])
    analysis, _ = analyze_path(notebook)
    assert [f for f in analysis.findings if f.code == "NB501"]


# amueller/scipy-2016-sklearn notebooks/figures/plot_interactive_tree.py (CC0-1.0) imports
# `sklearn.externals.six`, which the catalogue knows; `from figures import plot_2d_separator` in the
# notebook then fails here, and nb2aml ships the package into src/ without a word: NB501 reads the
# notebook's cells, not the local modules it copies into the job.
def test_removed_apis_in_a_shipped_local_module_are_named(tmp_path):
    (tmp_path / "helper.py").write_text(
        "from sklearn.externals import six\n\n\ndef name():\n    return six.text_type('x')\n"
    )
    notebook = _notebook(tmp_path / "nb.ipynb", "import helper\nprint(helper.name())")
    analysis, _ = analyze_path(notebook)
    assert [f for f in analysis.findings if f.code == "NB501"]
