"""verify compares what the kept code prints (issue 12: kaggle_ml_tut3_first_model, kaggle_cleaning_tut1,
kaggle_cleaning_tut3_dates print and log nothing else); the pipeline split warns when steps share numpy's
global generator through an estimator without random_state (kaggle_ml_tut4_validation)."""

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
from nb2aml.plan.pipeline import plan_pipeline
from nb2aml.refactor.baseline import baseline_cells
from nb2aml.split.assign import from_cells_option
from nb2aml.verify.baseline_runner import KeptOutput
from nb2aml.verify.printed import StepLines, compare_printed, printed_lines
from nb2aml.verify.run import verdict_reason

# --- fast: the comparison, the baseline's separation of kept and stripped output ----------------


def test_the_notebooks_lines_must_appear_in_the_jobs_in_order_extra_job_lines_allowed():
    notebook = "Making predictions\n   Rooms  Price\n0      3  1.5\n\n[976000. 753000.]\n"
    job = ["Making predictions", "UserWarning: something on stderr", "   Rooms  Price", "0      3  1.5", "",
           "[976000. 753000.]", "2026/11/26 WARNING mlflow: ..."]  # fmt: skip
    result = compare_printed(notebook, job)
    assert result.match and result.lines == 4


def test_a_different_number_is_a_difference_naming_the_first_differing_line():
    notebook = "rows: 100\nmae: 237275.8621\ndone\n"
    result = compare_printed(notebook, ["rows: 100", "mae: 237413.7931", "done"])
    assert not result.match
    assert result.detail == "printed line 2 of 3: notebook 'mae: 237275.8621', job 'mae: 237413.7931'"
    # Floating-point text compares exactly: same code, same libraries.
    assert not compare_printed("0.30000000000000004\n", ["0.3"]).match
    assert compare_printed("a\nb\n", ["b", "a"]).detail.startswith("printed line 2 of 2: notebook 'b'")
    assert compare_printed("a\nb\n", ["a"]).detail.endswith("job '(nothing more)'")


def test_addresses_trailing_blanks_and_carriage_returns_do_not_count():
    assert compare_printed("<function f at 0x7f3a2b1c9d30>  \n", ["<function f at 0x7f00deadbeef>"]).match
    assert printed_lines("50%\r100%\r\n\nend") == ["50%", "100%", "end"]


def test_a_pipelines_lines_are_read_per_step_in_the_pipelines_order():
    seen: list[str] = []
    lines = StepLines(seen.append, pipeline=True)
    for line in ("[train] b1", "[prep] a1", "[train] b2", "[prep] a2"):
        lines(line)
    assert seen == ["[train] b1", "[prep] a1", "[train] b2", "[prep] a2"]  # passed on as they come
    assert lines.in_order(["prep", "train"]) == ["a1", "a2", "b1", "b2"]
    assert compare_printed("a1\na2\nb1\nb2\n", lines.in_order(["prep", "train"])).match
    job = StepLines(lambda line: None, pipeline=False)
    job("[not a step] text")
    assert job.in_order(["main"]) == ["[not a step] text"]


PRINTS = textwrap.dedent("""\
    import pandas as pd
    # %%
    df = pd.DataFrame({'y': [1.0, 2.0, 3.0]})
    df.head(no_such_keyword=1)
    print('total', df['y'].sum())
    # %%
    for i in range(2):
        print('row', i)
        df.describe()
    """)


def test_stripped_statements_run_inside_the_stripped_output_marker_kept_ones_do_not():
    analysis, nb = analyze_notebook(notebook_from_text(PRINTS))
    cells = {c.cell: c.code for c in baseline_cells(analysis, nb, {}).cells}
    assert "try:\n    with __nb2aml_stripped__():\n        df.head(no_such_keyword=1)\nexcept Exception" in cells[2]
    assert "\nprint('total', df['y'].sum())" in cells[2]  # kept: its output is the job's
    assert "with __nb2aml_stripped__():\n            df.describe()" in cells[3]  # nested in a kept loop
    assert cells[3].startswith("for i in range(2):\n    print('row', i)")


def test_the_runners_stdout_keeps_what_kept_statements_print_and_passes_everything_on(capsys):
    import io

    real = io.StringIO()
    output = KeptOutput(real)
    print("kept 1", file=output)
    with output.stripped():
        print("stripped", file=output)
        with output.stripped():
            print("nested", file=output)
        print("stripped again", file=output)
    print("kept 2", file=output)
    assert output.kept.getvalue() == "kept 1\nkept 2\n"
    assert real.getvalue() == "kept 1\nstripped\nnested\nstripped again\nkept 2\n"


def test_printed_output_joins_metrics_and_files_in_the_verdict_reason():
    from nb2aml.verify.compare import MetricComparison
    from nb2aml.verify.printed import PrintedComparison

    metric = [MetricComparison("r2", 1.0, 1.0, True)]
    assert verdict_reason("succeeded", None, metric, [], True, PrintedComparison(3, True)) == (
        "1 metric and 3 printed lines match"
    )
    assert verdict_reason("succeeded", None, [], [], True, PrintedComparison(1, True)) == "1 printed line match"
    differing = PrintedComparison(3, False, "printed line 2 of 3: notebook 'a', job 'b'")
    assert verdict_reason("succeeded", None, metric, [], True, differing) == differing.detail
    # A metric that differs is named first: it says more than a line of text.
    bad = [MetricComparison("r2", 1.0, 0.5, False)]
    assert verdict_reason("succeeded", None, bad, [], True, differing).startswith("metric r2")
    assert "prints nothing" in verdict_reason("succeeded", None, [], [], False)


def test_steps_that_each_fit_an_unseeded_estimator_hand_numpys_generator_over():
    # kaggle_ml_tut4_validation: the second fit continues the generator the first one advanced, so
    # step b restores the state step a leaves.
    code = (
        "# %%\nimport numpy as np\nfrom sklearn.tree import DecisionTreeRegressor\n"
        "X = np.arange(20.0).reshape(10, 2)\ny = np.arange(10.0)\n"
        "first = DecisionTreeRegressor().fit(X, y)\n"
        "# %%\nsecond = DecisionTreeRegressor()\nsecond.fit(X, y)\nprint(second.predict(X)[:2], first.predict(X)[:2])\n"
    )
    notes = _split_notes(code, "a=1,b=2")
    assert "step b continues numpy.random's global generator where step a left it" in " ".join(notes)
    assert not any("draw from" in note or "continues random's" in note for note in notes)
    seeded = code.replace("DecisionTreeRegressor()", "DecisionTreeRegressor(random_state=0)")
    assert not any("global generator" in note for note in _split_notes(seeded, "a=1,b=2"))
    # xgboost and lightgbm fall back to a fixed seed of their own: no shared generator.
    gradient = code.replace("from sklearn.tree import DecisionTreeRegressor", "from xgboost import XGBRegressor")
    gradient = gradient.replace("DecisionTreeRegressor", "XGBRegressor")
    assert not any("global generator" in note for note in _split_notes(gradient, "a=1,b=2"))


def test_a_helper_that_only_draws_and_returns_its_axes_is_plotting_and_nothing_is_left_to_convert():
    # kaggle_fe_tut5_pca: `plot_variance(pca)` was kept as an unknown effect (`axs[0].bar(...)` on a
    # name the helper's body did not type), and the job computed a PCA it never showed.
    code = (
        "import matplotlib.pyplot as plt\nimport numpy as np\n# %%\n"
        "def draw(v):\n    fig, axs = plt.subplots(1, 2)\n    axs[0].bar([1, 2], v)\n    axs[1].set(xlabel='c')\n"
        "    fig.set(figwidth=8)\n    return axs\n# %%\nv = np.arange(2.0)\ndraw(v)\n"
    )
    analysis, nb = analyze_notebook(notebook_from_text(code))
    summary = nb.facts.functions["draw"]
    assert not summary.writes and summary.unknown == () and summary.draws
    assert not any(s.id in nb.kept for s in nb.facts.statements if s.cell == 3)
    # A helper that saves its figure still writes.
    saved = code.replace("    return axs", "    fig.savefig('v.png')\n    return axs")
    analysis, nb = analyze_notebook(notebook_from_text(saved))
    assert nb.facts.functions["draw"].writes


def _split_notes(code: str, cells: str) -> tuple[str, ...]:
    notebook = notebook_from_text(code)
    analysis, facts = analyze_notebook(notebook)
    return plan_pipeline(analysis, facts, from_cells_option(notebook, (cells,)), Path("out")).notes


# --- slow: through the command line, the notebook and the job each in a process of its own -------

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


def convert_and_verify(tmp_path: Path, code: str) -> tuple[subprocess.CompletedProcess, dict]:
    notebook = tmp_path / "nb.py"
    notebook.write_text(code, encoding="utf-8")
    made = cli("convert", str(notebook), "-o", str(tmp_path / "job"), "--yes", "--no-validate")
    assert made.returncode == 0, made.stdout + made.stderr
    verify = cli("verify", str(notebook), str(tmp_path / "job"), "--format", "json")
    return verify, json.loads(verify.stdout)


@pytest.mark.slow
def test_a_notebook_that_only_prints_verifies_on_what_its_kept_code_prints(tmp_path):
    # Stripped exploration prints too (`df.describe()` in a loop, a failing `df.head(...)`): not compared.
    verify, verdict = convert_and_verify(tmp_path, PRINTS)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verdict["equivalent"] and verdict["printed"] == {"lines": 3, "match": True, "detail": ""}
    assert verdict["reason"] == "3 printed lines match"


@pytest.mark.slow
def test_a_job_that_prints_another_number_is_not_equivalent_and_the_line_is_named(tmp_path):
    # The process id differs from run to run: the job cannot print the notebook's.
    code = "import os\n# %%\nprint('rows', 3)\nprint('pid', os.getpid())\n"
    verify, verdict = convert_and_verify(tmp_path, code)
    assert verify.returncode == 1, verify.stdout + verify.stderr
    assert not verdict["equivalent"] and verdict["comparable"]
    assert verdict["reason"].startswith("printed line 2 of 2: notebook 'pid ")
    assert verdict["printed"]["match"] is False


@pytest.mark.slow
def test_a_job_that_prints_logs_and_writes_nothing_is_still_nothing_comparable(tmp_path):
    # The job keeps a call whose effect is unknown (a method changing its object) and nothing else.
    code = (
        "import numpy as np\n# %%\nclass Box:\n    def fill(self):\n        self.v = np.arange(3)\n"
        "b = Box()\nb.fill()\n"
    )
    verify, verdict = convert_and_verify(tmp_path, code)
    assert verify.returncode == 4, verify.stdout + verify.stderr
    assert verdict["comparable"] is False and verdict["printed"] is None


@pytest.mark.slow
def test_metrics_logged_after_the_notebook_closed_the_jobs_run_are_read_from_the_conversions_store(tmp_path):
    # mlflow_quickstart_demo1: `with mlflow.start_run(): pass` ends the job's run; the next log starts another.
    code = (
        "import mlflow\n# %%\nwith mlflow.start_run():\n    pass\n"
        "# %%\nscore = sum([0.25, 0.5])\nmlflow.log_metric('score', score)\n"
    )
    verify, verdict = convert_and_verify(tmp_path, code)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verdict["metrics"] == [{"name": "score", "notebook": 0.75, "converted": 0.75, "match": True}]


def test_a_png_is_compared_byte_for_byte_other_binaries_by_presence(tmp_path):
    from nb2aml.verify.compare import compare_folders

    notebook, job = tmp_path / "notebook", tmp_path / "job"
    for folder, png in ((notebook, b"\x89PNG same"), (job, b"\x89PNG same")):
        folder.mkdir()
        (folder / "curve.png").write_bytes(png)
        (folder / "model.pkl").write_bytes(folder.name.encode())  # pickles vary: presence only
    same = {f.file: f for f in compare_folders("plots", notebook, job)}
    assert same["curve.png"].how == "bytes" and same["curve.png"].match
    assert same["model.pkl"].how == "present" and same["model.pkl"].match
    (job / "curve.png").write_bytes(b"\x89PNG other")
    (differs,) = [f for f in compare_folders("plots", notebook, job) if f.file == "curve.png"]
    assert not differs.match and differs.detail == "the bytes differ"
    assert verdict_reason("succeeded", None, [], [differs], True) == "output plots/curve.png differs: the bytes differ"


@pytest.mark.slow
def test_a_pipeline_whose_later_step_refits_an_unseeded_estimator_verifies_equivalent(tmp_path):
    # kaggle_ml_tut4_validation in small: the second fit draws where the first one left numpy's
    # generator; the state is handed from step a to step b, so the pipeline computes the notebook's MAE.
    code = (
        "import numpy as np\nfrom sklearn.tree import DecisionTreeRegressor\n"
        "from sklearn.metrics import mean_absolute_error\n"
        "# %%\nrows = np.random.RandomState(0)\nX = rows.rand(60, 4)\ny = X @ [1.0, 2.0, 0.5, 0.1] + rows.rand(60)\n"
        "model = DecisionTreeRegressor(max_features=2)\nmodel.fit(X, y)\n"
        "# %%\nmodel = DecisionTreeRegressor(max_features=2)\nmodel.fit(X[:40], y[:40])\n"
        "print(mean_absolute_error(y[40:], model.predict(X[40:])))\n"
    )
    notebook = tmp_path / "nb.py"
    notebook.write_text(code, encoding="utf-8")
    split = cli(
        "split", str(notebook), "--cells", "a=2,b=3", "-o", str(tmp_path / "pipeline"), "--yes", "--no-validate"
    )
    assert split.returncode == 0, split.stdout + split.stderr
    said = " ".join((split.stdout + split.stderr).split())
    assert "step b continues numpy.random's global generator where step a left it" in said
    assert "numpy_random_state" in (tmp_path / "pipeline" / "pipeline.yml").read_text(encoding="utf-8")
    verify = cli("verify", str(notebook), str(tmp_path / "pipeline"), "--format", "json")
    verdict = json.loads(verify.stdout)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verdict["equivalent"] is True
