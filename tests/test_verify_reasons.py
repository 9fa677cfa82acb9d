"""verify's baseline and verdict: stripped statements that fail here are skipped and listed, kept
ones fail the baseline; every verdict has a reason; metrics only stripped code computes are not
compared; "nothing comparable" has its own exit code. `run` and `verify` take --unsafe-fixes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import notebook_from_text

from nb2aml.api import analyze_notebook
from nb2aml.refactor.baseline import baseline_cells, kept_metrics
from nb2aml.verify.compare import FileComparison, MetricComparison
from nb2aml.verify.run import verdict_reason

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "nb2aml.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )


# --- fast: what the baseline runs and how a verdict reads ---------------------------------------

PLOTTED = textwrap.dedent("""\
    import pandas as pd
    from sklearn.metrics import r2_score
    # %%
    df = pd.DataFrame({'y': [1.0, 2.0, 3.0, 4.0], 'p': [1.1, 1.9, 3.2, 3.9]})
    df.head(no_such_keyword=1)
    # %%
    print('r2:', r2_score(df['y'], df['p']))
    """)


def test_stripped_statements_run_guarded_and_kept_ones_do_not():
    analysis, nb = analyze_notebook(notebook_from_text(PLOTTED))
    cells = {c.cell: c.code for c in baseline_cells(analysis, nb, {}).cells}
    assert (
        "try:\n    with __nb2aml_stripped__():\n        df.head(no_such_keyword=1)\nexcept Exception as __nb2aml_error:"
        in (cells[2])
    )
    assert "__nb2aml_skipped__(2, 'df.head(no_such_keyword=1)', __nb2aml_error)" in cells[2]
    assert cells[2].startswith("df = pd.DataFrame(")  # kept: not guarded, its failure is the baseline's error
    assert "try:" not in cells[3]


def test_metrics_only_stripped_code_computes_are_not_the_jobs():
    code = PLOTTED.replace("df.head(no_such_keyword=1)", "df.plot(title=str(mean_squared_error(df['y'], df['p'])))")
    code = code.replace(
        "from sklearn.metrics import r2_score", "from sklearn.metrics import mean_squared_error, r2_score"
    )
    analysis, nb = analyze_notebook(notebook_from_text(code))
    assert {m.name for m in analysis.metrics} == {"mean_squared_error", "r2_score"}
    assert kept_metrics(analysis, nb) == ("r2_score",)


def test_a_reason_names_the_metric_and_the_difference():
    metrics = [MetricComparison("r2_score", 0.9, 0.9, True), MetricComparison("rmse", 2.0, 2.5, False)]
    reason = verdict_reason("succeeded", None, metrics, [], True)
    assert reason == "metric rmse: notebook 2, job 2.5 (difference 0.5, relative 0.2)"
    missing = verdict_reason("succeeded", None, [MetricComparison("mae", 1.0, None, False)], [], True)
    assert missing == "metric mae: the notebook computes 1, the job does not log it"


def test_a_reason_names_the_file():
    files = [FileComparison("predictions", "preds.csv", "table", False, "values differ")]
    assert verdict_reason("succeeded", None, [], files, True) == "output predictions/preds.csv differs: values differ"


def test_reasons_for_a_failed_run_nothing_comparable_and_equivalence():
    assert (
        verdict_reason("failed", "step main: KeyError: 'x'", [], [], False)
        == "the converted run failed: step main: KeyError: 'x'"
    )
    assert verdict_reason("succeeded", None, [], [], False).startswith("nothing comparable")
    ok = verdict_reason(
        "succeeded",
        None,
        [MetricComparison("r2", 1.0, 1.0, True)],
        [FileComparison("m", "m.sav", "present", True)],
        True,
    )
    assert ok == "1 metric and 1 file match"


# --- slow: through the command line -------------------------------------------------------------


@pytest.mark.slow
def test_a_failing_stripped_statement_is_skipped_and_listed(tmp_path):
    notebook = tmp_path / "plotted.py"
    notebook.write_text(PLOTTED, encoding="utf-8")
    assert cli("convert", str(notebook), "-o", str(tmp_path / "job"), "--yes", "--no-validate").returncode == 0
    verify = cli("verify", str(notebook), str(tmp_path / "job"), "--format", "json")
    verdict = json.loads(verify.stdout)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verdict["equivalent"] and verdict["reason"] == "1 metric and 1 printed line match"
    (skipped,) = verdict["skipped"]
    assert (
        skipped["cell"] == 2
        and skipped["text"] == "df.head(no_such_keyword=1)"
        and skipped["error"].startswith("TypeError")
    )
    text = cli("verify", str(notebook), str(tmp_path / "job"))
    assert "skipped 1 stripped statement that fails here: cell 2 df.head(no_such_keyword=1) (TypeError)" in text.stdout


@pytest.mark.slow
def test_nothing_comparable_has_its_own_exit_code(tmp_path):
    notebook = tmp_path / "counts.py"
    # The job keeps a call whose effect is unknown and prints, logs and writes nothing.
    notebook.write_text(
        "import numpy as np\n# %%\nclass Box:\n    def fill(self):\n        self.v = np.arange(3)\n"
        "b = Box()\nb.fill()\n",
        encoding="utf-8",
    )
    assert cli("convert", str(notebook), "-o", str(tmp_path / "job"), "--yes", "--no-validate").returncode == 0
    verify = cli("verify", str(notebook), str(tmp_path / "job"), "--format", "json")
    assert verify.returncode == 4, verify.stdout + verify.stderr
    verdict = json.loads(verify.stdout)
    assert (
        verdict["comparable"] is False
        and verdict["equivalent"] is False
        and verdict["reason"].startswith("nothing comparable")
    )


UNSAFE = textwrap.dedent("""\
    from sklearn.datasets import make_regression
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import r2_score
    # %%
    X, y = make_regression(n_samples=50, n_features=4, noise=1.0, random_state=0)
    model = LinearRegression(normalize=True).fit(X, y)
    print('r2:', r2_score(y, model.predict(X)))
    """)


@pytest.mark.slow
def test_run_and_verify_take_unsafe_fixes_and_say_which_fixes_the_job_needed(tmp_path):
    notebook = tmp_path / "linear.py"
    notebook.write_text(UNSAFE, encoding="utf-8")
    plain = cli("run", str(notebook), "--format", "json")
    assert plain.returncode == 1 and "normalize" in plain.stderr  # the safe fixes alone leave the removed keyword
    fixed = cli("run", str(notebook), "--unsafe-fixes", "--format", "json")
    assert fixed.returncode == 0, fixed.stderr[-2000:]
    result = json.loads(fixed.stdout)
    assert result["status"] == "succeeded" and result["fixes"] == [
        "cell 2: normalize=True -> StandardScaler pipeline at line 2"
    ]
    assert (
        cli(
            "convert", str(notebook), "-o", str(tmp_path / "job"), "--yes", "--no-validate", "--unsafe-fixes"
        ).returncode
        == 0
    )
    verify = cli("verify", str(notebook), str(tmp_path / "job"), "--unsafe-fixes", "--format", "json")
    verdict = json.loads(verify.stdout)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verdict["fixes_applied"] == ["normalize=True -> StandardScaler pipeline at line 2"]
    # Without --unsafe-fixes the notebook itself cannot run here: exit 2, naming the cell.
    assert cli("verify", str(notebook), str(tmp_path / "job")).returncode == 2
    assert cli("run", str(tmp_path / "job"), "--unsafe-fixes").returncode == 2
