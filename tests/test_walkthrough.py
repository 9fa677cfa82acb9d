"""The walk-through end to end, through the real command line: analyze -> convert -> run ->
split -> run -> verify both, on examples/nyc_taxi; convert, split and verify both on the other
examples; and `verify` failing loudly on a planted bug and on a notebook that itself fails.

The chains are independent, so a module fixture runs them side by side and the tests assert on
what each step printed and returned.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NB2AML = [sys.executable, "-m", "nb2aml.cli"]

NYC = EXAMPLES / "nyc_taxi" / "notebook.ipynb"
NYC_CELLS = "prep=1,transform=22,train=28,predict=34,score=36"
SPLITS = {
    "nyc_taxi": NYC_CELLS,
    # churn: cleaning, dummies and the split; the forest and its metrics; saving the model.
    "churn": "prep=1,features=18,train=22,save=27",
    # housing: functions and a class defined in the first step and used by the next ones.
    "housing": "data=1,features=12,train=15,save=20",
}


def cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="200")
    return subprocess.run([*NB2AML, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, cwd=ROOT)


def _json(process: subprocess.CompletedProcess) -> dict | None:
    try:
        return json.loads(process.stdout)
    except json.JSONDecodeError:
        return None


def _job_chain(example: str, work: Path) -> dict:
    notebook, out = EXAMPLES / example / "notebook.ipynb", work / example / "job"
    steps = {"convert": cli("convert", str(notebook), "-o", str(out), "--yes")}
    if steps["convert"].returncode == 0:
        if example == "nyc_taxi":
            steps["run"] = cli("run", str(out), "--format", "json")
        steps["verify"] = cli("verify", str(notebook), str(out), "--format", "json")
    return steps


def _pipeline_chain(example: str, work: Path) -> dict:
    notebook, out = EXAMPLES / example / "notebook.ipynb", work / example / "pipeline"
    steps = {"split": cli("split", str(notebook), "--cells", SPLITS[example], "-o", str(out), "--yes")}
    if steps["split"].returncode == 0:
        if example == "nyc_taxi":
            steps["run"] = cli("run", str(out), "--format", "json")
        steps["verify"] = cli("verify", str(notebook), str(out), "--format", "json")
    return steps


def _planted_bugs(work: Path) -> dict:
    """Convert housing, then break the generated script two ways, each in its own copy."""
    notebook, out = EXAMPLES / "housing" / "notebook.ipynb", work / "planted" / "job"
    steps = {"convert": cli("convert", str(notebook), "-o", str(out), "--yes", "--no-validate")}
    if steps["convert"].returncode != 0:
        return steps
    for bug in ("predictions", "test_size"):
        copy = work / "planted" / bug
        shutil.copytree(out, copy)
        (script,) = (copy / "src").glob("*.py")
        text = script.read_text(encoding="utf-8")
        if bug == "predictions":
            # Perturb the predictions right after the model makes them.
            text, n = re.subn(r"^(y_pred = model\.predict\(X_test\))$", r"\1\ny_pred = y_pred * 1.01", text, flags=re.M)
        else:
            # Hard-code another test size where the script binds the parameter (changing only the
            # argparse default would not do: the job passes --test_size from job.yml).
            text, n = re.subn(r"^test_size = args\.test_size$", "test_size = 0.3", text, flags=re.M)
        assert n == 1, f"planting {bug}: the generated script changed shape:\n{text}"
        script.write_text(text, encoding="utf-8")
        steps[bug] = cli("verify", str(notebook), str(copy), "--format", "json")
    return steps


BROKEN = textwrap.dedent(
    """\
    # %% [markdown]
    # # A notebook that does not run
    # %%
    import pandas as pd
    # %%
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    df["b"] = df["no_such_column"] * 2
    # %%
    print("mean:", df["a"].mean())
    """
)


def _broken_notebook(work: Path) -> dict:
    folder = work / "broken"
    folder.mkdir(parents=True)
    notebook = folder / "broken.py"
    notebook.write_text(BROKEN, encoding="utf-8")
    steps = {"convert": cli("convert", str(notebook), "-o", str(folder / "job"), "--yes", "--no-validate")}
    if steps["convert"].returncode == 0:
        steps["verify"] = cli("verify", str(notebook), str(folder / "job"), "--format", "json")
    return steps


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    work = tmp_path_factory.mktemp("walkthrough")
    chains = {
        ("nyc_taxi", "pipeline"): lambda: _pipeline_chain("nyc_taxi", work),
        ("nyc_taxi", "job"): lambda: _job_chain("nyc_taxi", work),
        ("churn", "pipeline"): lambda: _pipeline_chain("churn", work),
        ("housing", "pipeline"): lambda: _pipeline_chain("housing", work),
        ("churn", "job"): lambda: _job_chain("churn", work),
        ("housing", "job"): lambda: _job_chain("housing", work),
        ("planted", "bugs"): lambda: _planted_bugs(work),
        ("broken", "notebook"): lambda: _broken_notebook(work),
    }
    started = time.monotonic()
    analyzed = cli("analyze", str(NYC), "--format", "json")
    with ThreadPoolExecutor(max_workers=max(3, os.cpu_count() or 1)) as pool:
        futures = {key: pool.submit(chain) for key, chain in chains.items()}
        results = {key: future.result() for key, future in futures.items()}
    print(f"\nwalk-through: {len(chains)} chains in {time.monotonic() - started:.0f}s")
    results["analyze"] = analyzed
    return results


def _ok(process: subprocess.CompletedProcess) -> None:
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]


def _equivalent(process: subprocess.CompletedProcess) -> dict:
    _ok(process)
    verdict = _json(process)
    assert verdict is not None and verdict["equivalent"], process.stdout
    assert verdict["metrics"] and all(m["match"] for m in verdict["metrics"])
    return verdict


# --- NYC taxi: the walk-through itself --------------------------------------------------------------


def test_nyc_analyze_reports_the_plan(walk):
    analyzed = walk["analyze"]
    # Exit 1: the notebook calls DataFrame.append, removed in pandas 2 (NB501, fixed by convert).
    assert analyzed.returncode == 1, analyzed.stderr
    report = _json(analyzed)
    assert "NB501" in {f["code"] for f in report["findings"]}
    assert {m["name"] for m in report["metrics"]} == {"mean_squared_error", "r2_score"}
    assert [i["name"] for i in report["inputs"]] == ["raw_data"]
    assert [o["name"] for o in report["outputs"]] == ["model_output"]


def test_nyc_convert_run_verify(walk):
    steps = walk[("nyc_taxi", "job")]
    _ok(steps["convert"])
    assert "validated with azure-ai-ml" in steps["convert"].stdout
    _ok(steps["run"])
    run = _json(steps["run"])
    assert run["status"] == "succeeded"
    (step,) = run["steps"]
    assert {"mean_squared_error", "r2_score"} <= set(step["metrics"])
    assert any(Path(folder, "model.sav").is_file() for folder in step["outputs"].values())
    verdict = _equivalent(steps["verify"])
    assert {m["name"] for m in verdict["metrics"]} == {"mean_squared_error", "r2_score"}
    assert "DataFrame.append -> pd.concat at line 1" in verdict["fixes_applied"]


def test_nyc_split_run_verify(walk):
    steps = walk[("nyc_taxi", "pipeline")]
    _ok(steps["split"])
    _ok(steps["run"])
    run = _json(steps["run"])
    assert run["status"] == "succeeded"
    assert [s["name"] for s in run["steps"]] == ["prep", "transform", "train", "predict", "score"]
    metrics = {name for s in run["steps"] for name in s["metrics"]}
    assert {"mean_squared_error", "r2_score"} <= metrics
    verdict = _equivalent(steps["verify"])
    assert {m["name"] for m in verdict["metrics"]} == {"mean_squared_error", "r2_score"}


# --- the other examples ---------------------------------------------------------------------------


@pytest.mark.parametrize("example", ["churn", "housing"])
def test_example_convert_verifies(walk, example):
    steps = walk[(example, "job")]
    _ok(steps["convert"])
    _equivalent(steps["verify"])


@pytest.mark.parametrize("example", ["churn", "housing"])
def test_example_split_verifies(walk, example):
    steps = walk[(example, "pipeline")]
    _ok(steps["split"])
    _equivalent(steps["verify"])


# --- verify fails loudly --------------------------------------------------------------------------


def _failing_metrics(process: subprocess.CompletedProcess) -> set[str]:
    assert process.returncode == 1, process.stdout[-3000:] + process.stderr[-3000:]
    verdict = _json(process)
    assert verdict is not None and verdict["equivalent"] is False and verdict["baseline_error"] is None
    return {m["name"] for m in verdict["metrics"] if not m["match"]}


def test_planted_bug_in_the_predictions_is_caught(walk):
    steps = walk[("planted", "bugs")]
    _ok(steps["convert"])
    failing = _failing_metrics(steps["predictions"])
    # Every metric computed from the predictions differs, and each is named.
    assert {"mean_absolute_error", "r2_score", "rmse"} <= failing
    verdict = _json(steps["predictions"])
    assert any(f["file"] == "predictions.csv" and not f["match"] for f in verdict["files"])


def test_planted_bug_in_a_parameter_is_caught(walk):
    steps = walk[("planted", "bugs")]
    assert {"mean_absolute_error", "r2_score"} <= _failing_metrics(steps["test_size"])


def test_a_failing_notebook_gives_exit_2_and_names_the_cell(walk):
    steps = walk[("broken", "notebook")]
    _ok(steps["convert"])
    verify = steps["verify"]
    assert verify.returncode == 2, verify.stdout + verify.stderr
    error = _json(verify)["baseline_error"]
    assert "broken.py:cell 3, line 2: KeyError" in error and "no_such_column" in error
