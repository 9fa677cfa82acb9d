"""`--sweep`: sweep.yml (validated by azure-ai-ml as a SweepJob) and `nb2aml run sweep.yml --trials N`."""

from __future__ import annotations

import json
import math
import random
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from nb2aml.cli import main
from nb2aml.emit.sweep import (
    SweepOptions,
    choose_objective,
    integer_range,
    parse_spec,
    search_space_entry,
    sweep_document,
)
from nb2aml.emit.validate import validate_job_yaml
from nb2aml.emit.yamlout import dump_yaml
from nb2aml.errors import Nb2amlError
from nb2aml.run.sweep import sample
from nb2aml.types import (
    JobInput,
    JobOutput,
    JobSpec,
    Parameter,
    Position,
)

ROOT = Path(__file__).resolve().parents[1]
NYC = ROOT / "examples" / "nyc_taxi" / "notebook.ipynb"
LGB = Path(__file__).parent / "notebooks" / "sweep" / "lgb_train" / "notebook.py"
HERE = Position(1, 1, 1)


def _param(name: str, value) -> Parameter:
    kind = {bool: "boolean", int: "integer", float: "number", str: "string"}[type(value)]
    return Parameter(name=name, value=value, type=kind, pos=HERE)  # type: ignore[arg-type]


def test_learning_rates_are_log_uniform_around_the_value():
    entry = search_space_entry(_param("learning_rate", 0.1))
    assert entry["type"] == "loguniform"
    assert math.exp(entry["min_value"]) == pytest.approx(0.01, rel=1e-3) and math.exp(
        entry["max_value"]
    ) == pytest.approx(1.0, rel=1e-3)
    assert search_space_entry(_param("reg_lambda", 2.0))["type"] == "loguniform"


def test_counts_are_integer_ranges_strings_and_booleans_choices():
    assert search_space_entry(_param("n_estimators", 100)) == {"type": "choice", "values": [50, 75, 100, 150, 200]}
    assert search_space_entry(_param("max_depth", 3)) == {"type": "choice", "values": [1, 2, 3, 4, 5, 6]}
    assert search_space_entry(_param("fit_intercept", True)) == {"type": "choice", "values": [True, False]}
    assert search_space_entry(_param("penalty", "l2"))["values"][0] == "l2"
    assert search_space_entry(_param("objective", "binary")) is None  # no known alternatives: kept
    assert search_space_entry(_param("random_state", 42)) is None and search_space_entry(_param("seed", 1)) is None
    assert integer_range(1) == [1, 2, 3, 4]


def test_fractions_stay_within_zero_and_one():
    entry = search_space_entry(_param("feature_fraction", 0.9))
    assert entry["type"] == "uniform" and 0 < entry["min_value"] < 0.9 < entry["max_value"] <= 1.0


def test_search_space_specs_and_their_errors():
    assert parse_spec("n", "choice(16, 32,64)") == {"type": "choice", "values": [16, 32, 64]}
    spec = parse_spec("lr", "loguniform(0.001, 0.1)")
    assert math.exp(spec["min_value"]) == pytest.approx(0.001) and math.exp(spec["max_value"]) == pytest.approx(0.1)
    assert parse_spec("x", "fixed") is None
    for bad in ("uniform(1)", "loguniform(0, 1)", "uniform(2, 1)", "gauss(0,1)", "0.1..0.2"):
        with pytest.raises(Nb2amlError, match="--search-space"):
            parse_spec("x", bad)


def test_objective_goal_from_the_metric_name():
    assert choose_objective(["mean_squared_error", "r2_score"], None) == ("mean_squared_error", "minimize")
    assert choose_objective(["mean_squared_error", "r2_score"], "r2_score") == ("r2_score", "maximize")
    assert choose_objective(["loss"], "loss=max") == ("loss", "maximize")
    with pytest.raises(Nb2amlError, match="no such metric"):
        choose_objective(["loss"], "accuracy")


def test_sampling_follows_azure_ml_distributions():
    space = {
        "lr": {"type": "loguniform", "min_value": math.log(0.001), "max_value": math.log(0.1)},
        "n": {"type": "choice", "values": [1, 2, 3]},
        "q": {"type": "quniform", "min_value": 0, "max_value": 10, "q": 5},
        "k": {"type": "randint", "upper": 4},
    }
    rng = random.Random(0)
    draws = [sample(space, rng) for _ in range(200)]
    assert all(0.001 <= d["lr"] <= 0.1 for d in draws) and {d["n"] for d in draws} == {1, 2, 3}
    assert {d["q"] for d in draws} <= {0, 5, 10} and {d["k"] for d in draws} == {0, 1, 2, 3}
    assert sum(d["lr"] < 0.01 for d in draws) > 60  # log-uniform: a decade each half, not 90% above 0.01


def test_sweep_yaml_validates_as_a_sweep_job(tmp_path):
    from azure.ai.ml import load_job
    from azure.ai.ml.sweep import SweepJob

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("print(1)\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "environment.yml").write_text("name: env\nimage: python:3.11-slim\n")
    spec = JobSpec(
        name="train",
        display_name="train",
        description="d",
        code="./src",
        script="train.py",
        inputs=(
            JobInput("raw", "uri_folder", path="./data"),
            JobInput("learning_rate", "number", default=0.1),
            JobInput("n_estimators", "integer", default=100),
            JobInput("seed", "integer", default=1),
        ),
        outputs=(JobOutput("model"),),
        environment="file:environment.yml",
        experiment_name="e",
    )
    params = (_param("learning_rate", 0.1), _param("n_estimators", 100), _param("seed", 1))
    doc = sweep_document(
        spec,
        params,
        ["mean_squared_error"],
        SweepOptions(max_trials=6, max_concurrent=2, search_space=(("n_estimators", "choice(10,20)"),)),
    )
    (tmp_path / "sweep.yml").write_text(dump_yaml(doc))
    assert validate_job_yaml(tmp_path / "sweep.yml") == []
    job = load_job(source=str(tmp_path / "sweep.yml"))
    assert isinstance(job, SweepJob)
    assert (
        job.objective.goal == "minimize" and job.limits.max_total_trials == 6 and job.early_termination.type == "bandit"
    )
    assert set(job.search_space) == {"learning_rate", "n_estimators"}
    assert (
        "--seed ${{inputs.seed}}" in doc["trial"]["command"]
        and "--learning_rate ${{search_space.learning_rate}}" in doc["trial"]["command"]
    )


def test_bad_search_space_option_exits_2_with_one_line(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "convert",
            str(NYC),
            "-o",
            str(tmp_path / "out"),
            "--sweep",
            "--search-space",
            "nope=choice(1)",
            "--yes",
            "--no-validate",
        ],
    )
    assert result.exit_code == 2 and "--search-space nope: no such parameter" in result.output
    assert not (tmp_path / "out").exists()
    result = CliRunner().invoke(
        main, ["convert", str(NYC), "-o", str(tmp_path / "out"), "--objective", "r2_score", "--yes", "--no-validate"]
    )
    assert result.exit_code == 2 and "add --sweep" in result.output


@pytest.mark.slow
def test_nyc_sweep_validates_and_three_local_trials_give_a_best_trial(tmp_path):
    out = tmp_path / "nyc"
    result = CliRunner().invoke(main, ["convert", str(NYC), "-o", str(out), "--sweep", "--max-trials", "8", "--yes"])
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load((out / "sweep.yml").read_text())
    assert doc["type"] == "sweep" and doc["objective"] == {"goal": "minimize", "primary_metric": "mean_squared_error"}
    assert set(doc["search_space"]) == {"learning_rate", "n_estimators"} and doc["limits"]["max_total_trials"] == 8
    readme = (out / "README.md").read_text()
    assert "az ml job create --file sweep.yml" in readme and "`learning_rate`: log-uniform from 0.01 to 1" in readme
    result = CliRunner().invoke(main, ["run", str(out / "sweep.yml"), "--trials", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout[result.stdout.index("{\n") :])
    assert len(report["trials"]) == 3 and all(t["status"] == "succeeded" for t in report["trials"])
    assert {frozenset(t["params"]) for t in report["trials"]} == {frozenset({"learning_rate", "n_estimators"})}
    best = report["best"]
    assert best["metrics"]["mean_squared_error"] == min(t["metrics"]["mean_squared_error"] for t in report["trials"])
    # Each trial is a child run of the sweep's parent run, with the sampled values as its params.
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=f"sqlite:///{out / '.nb2aml' / 'mlflow.db'}")
    runs = client.search_runs([e.experiment_id for e in client.search_experiments()])
    parents = [r for r in runs if "nb2aml.sweep" in r.data.tags]
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parents[0].info.run_id]
    assert len(parents) == 1 and len(children) == 3
    assert sorted(float(r.data.params["learning_rate"]) for r in children) == sorted(
        t["params"]["learning_rate"] for t in report["trials"]
    )


@pytest.mark.slow
def test_lgb_train_notebook_converts_runs_and_verifies(tmp_path):
    pytest.importorskip("lightgbm")
    notebook = tmp_path / "lgb" / "notebook.py"
    notebook.parent.mkdir()
    shutil.copy(LGB, notebook)
    out = tmp_path / "job"
    result = CliRunner().invoke(main, ["convert", str(notebook), "-o", str(out), "--sweep", "--yes", "--verify"])
    assert result.exit_code == 0, result.output
    assert "equivalent" in result.output
    space = yaml.safe_load((out / "sweep.yml").read_text())["search_space"]
    assert {"learning_rate", "num_leaves", "feature_fraction", "num_boost_round"} <= set(space)


def test_split_sweep_refuses_when_no_step_after_the_training_step_logs_the_objective(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "split",
            str(NYC),
            "--cells",
            "prep=1,transform=22,train=28,predict=34,score=36",
            "-o",
            str(tmp_path / "out"),
            "--sweep",
            "--objective",
            "accuracy",
            "--yes",
            "--no-validate",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "no step that logs the metric accuracy reads from a step that takes hyperparameters" in result.output
    assert "(parameters: train; metrics: score)" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_split_sweep_is_the_pipeline_with_a_sweep_node(tmp_path):
    # Running such a sweep here (each trial a pipeline run of the node's trial component) is tested with
    # the chained trial of the five-step split: tests/test_sweep_chain.py.
    out = tmp_path / "pipe"
    result = CliRunner().invoke(
        main, ["split", str(NYC), "--cells", "prep=1,transform=22,train=28", "-o", str(out), "--sweep", "--yes"]
    )
    assert result.exit_code == 0, result.output  # validated by azure-ai-ml: a pipeline job with a sweep node
    doc = yaml.safe_load((out / "sweep.yml").read_text())
    node = doc["jobs"]["train"]
    assert doc["type"] == "pipeline" and node["type"] == "sweep" and node["trial"] == "./components/train.yml"
    assert set(node["search_space"]) == {"learning_rate", "n_estimators"} and "learning_rate" not in node["inputs"]
