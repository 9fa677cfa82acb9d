"""`nb2aml run`: a real script in a real subprocess, logging to a real MLflow sqlite store.

The job.yml is the one `render_job_yaml` emits. MLflow's first use of a sqlite file migrates its
schema (seconds), so the tests share one store: the first run creates it in the default place,
the others pass its URI.
"""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from nb2aml.emit.job import render_job_yaml
from nb2aml.errors import Nb2amlError
from nb2aml.run import RunResult, run_job
from nb2aml.run.command import build_argv, load_job
from nb2aml.types import JobInput, JobOutput, JobSpec

SCRIPT = textwrap.dedent(
    """\
    import argparse
    import csv
    import os
    from pathlib import Path

    parser = argparse.ArgumentParser()
    parser.add_argument("--raw_data")
    parser.add_argument("--learning_rate", type=float)
    parser.add_argument("--n_estimators", type=int)
    parser.add_argument("--model_output")
    args = parser.parse_args()

    rows = 0
    for name in sorted(os.listdir(args.raw_data)):
        with open(Path(args.raw_data) / name, newline="") as f:
            rows += sum(1 for _ in csv.DictReader(f))
    print(f"read {rows} rows")
    (Path(args.model_output) / "model.txt").write_text(f"{args.learning_rate} x {args.n_estimators}\\n")

    import mlflow

    mlflow.log_param("learning_rate", args.learning_rate)
    mlflow.log_param("n_estimators", args.n_estimators)
    mlflow.log_metric("rows", rows)
    mlflow.log_metric("score", rows * args.learning_rate)
    """
)

FAILING = textwrap.dedent(
    """\
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser()
    parser.add_argument("--raw_data")
    parser.add_argument("--learning_rate")
    parser.add_argument("--n_estimators")
    parser.add_argument("--model_output")
    args = parser.parse_args()
    (Path(args.model_output) / "partial.txt").write_text("half done")
    import os

    print("run", os.environ["MLFLOW_RUN_ID"], "extra", os.environ.get("NB2AML_EXTRA"))
    print("about to fail")
    raise ValueError("boom: column fare_amount is missing")
    """
)

SPEC = JobSpec(
    name="nyc_taxi_regression",
    display_name="nyc_taxi_regression",
    description="Train on the NYC taxi sample.",
    code="./src",
    script="train.py",
    inputs=(
        JobInput("raw_data", "uri_folder", path="../data"),
        JobInput("learning_rate", "number", default=0.1),
        JobInput("n_estimators", "integer", default=100),
    ),
    outputs=(JobOutput("model_output"),),
    environment="azureml:nyc_taxi_env@latest",
    experiment_name="nyc_taxi_local",
)


def make_job(root: Path, script: str = SCRIPT, spec: JobSpec = SPEC, rows: int = 3) -> Path:
    (root / "data").mkdir(parents=True, exist_ok=True)
    lines = ["fare_amount,distance"] + [f"{i}.5,{i}" for i in range(rows)]
    (root / "data" / "green.csv").write_text("\n".join(lines) + "\n")
    job = root / "job"
    (job / "src").mkdir(parents=True, exist_ok=True)
    (job / "src" / spec.script).write_text(script)
    (job / "job.yml").write_text(render_job_yaml(spec))
    return job


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """One run with every default: the default tracking store is created (and migrated) here."""
    job = make_job(tmp_path_factory.mktemp("nyc"))
    lines: list[str] = []
    result = run_job(job, stream=lines.append)
    return job, result, lines


def test_run_succeeds_and_reads_back_what_the_script_logged(first_run):
    job, result, lines = first_run
    assert isinstance(result, RunResult)
    assert result.status == "succeeded", result.steps[0].error
    [step] = result.steps
    assert step.name == "nyc_taxi_regression" and step.returncode == 0 and step.error is None
    assert step.params == {"learning_rate": "0.1", "n_estimators": "100"}
    assert step.metrics == {"rows": 3.0, "score": pytest.approx(0.3)}
    assert "read 3 rows" in lines


def test_outputs_are_fresh_folders_under_runs(first_run):
    job, result, _ = first_run
    folder = Path(result.steps[0].outputs["model_output"])
    assert folder.parent == Path(result.run_dir) and folder.parent.parent == (job / ".runs").resolve()
    assert folder.name == "model_output"
    assert (folder / "model.txt").read_text() == "0.1 x 100\n"
    import re

    assert re.fullmatch(r"\d{8}-\d{6}-\d{6}", folder.parent.name)


def test_default_tracking_store_and_run_status(first_run):
    job, result, _ = first_run
    db = (job / ".nb2aml" / "mlflow.db").resolve()
    assert db.is_file() and result.tracking_uri == f"sqlite:///{db}"
    from mlflow.tracking import MlflowClient

    client = MlflowClient(result.tracking_uri)
    run = client.get_run(result.steps[0].run_id)
    assert run.info.status == "FINISHED"
    assert client.get_experiment(run.info.experiment_id).name == "nyc_taxi_local"


def test_to_json(first_run):
    _, result, _ = first_run
    data = result.to_json()
    assert data["status"] == "succeeded"
    [step] = data["steps"]
    assert list(step) == ["name", "status", "params", "metrics", "outputs"]
    assert step["outputs"] == result.steps[0].outputs
    import json

    json.dumps(data)


def test_input_and_parameter_overrides(first_run, tmp_path, monkeypatch):
    job, first, _ = first_run
    other = tmp_path / "full_data"
    other.mkdir()
    (other / "a.csv").write_text("fare_amount\n1\n2\n3\n4\n5\n")
    monkeypatch.chdir(tmp_path)  # --input paths are relative to where the command is typed
    result = run_job(
        job,
        inputs={"raw_data": "full_data"},
        params={"learning_rate": "0.5", "n_estimators": "7"},
        stream=lambda line: None,
    )
    assert result.status == "succeeded", result.steps[0].error
    [step] = result.steps
    assert step.params == {"learning_rate": "0.5", "n_estimators": "7"}
    assert step.metrics == {"rows": 5.0, "score": 2.5}
    assert result.run_dir != first.run_dir
    assert (Path(step.outputs["model_output"]) / "model.txt").read_text() == "0.5 x 7\n"


def test_failing_script(first_run, tmp_path):
    _, first, _ = first_run
    job = make_job(tmp_path, FAILING)
    lines: list[str] = []
    result = run_job(job, tracking_uri=first.tracking_uri, stream=lines.append, env_extra={"NB2AML_EXTRA": "x1"})
    assert result.status == "failed"
    [step] = result.steps
    assert f"run {step.run_id} extra x1" in lines  # the script sees the run and the extra variables
    assert step.status == "failed" and step.returncode == 1
    assert step.error.splitlines()[-1] == "ValueError: boom: column fare_amount is missing"
    assert "Traceback (most recent call last):" in step.error
    assert "about to fail" in lines and "about to fail" not in step.error  # stdout streamed, not the error
    assert (Path(step.outputs["model_output"]) / "partial.txt").read_text() == "half done"
    from mlflow.tracking import MlflowClient

    assert MlflowClient(first.tracking_uri).get_run(step.run_id).info.status == "FAILED"
    assert result.to_json()["status"] == "failed"


# --- what cannot run: one line naming the file, before anything starts -----------------------------


def test_missing_job_yaml(tmp_path):
    with pytest.raises(Nb2amlError) as info:
        run_job(tmp_path)
    assert str(info.value) == f"{tmp_path / 'job.yml'}: no such file"
    with pytest.raises(Nb2amlError, match="no such directory"):
        run_job(tmp_path / "nope")


def test_unreadable_yaml(tmp_path):
    (tmp_path / "job.yml").write_text("command: python x.py\ninputs: [\n")
    with pytest.raises(Nb2amlError) as info:
        run_job(tmp_path)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'job.yml'}: not valid YAML (line 3") and "\n" not in message
    (tmp_path / "job.yml").write_text("- just\n- a list\n")
    with pytest.raises(Nb2amlError, match="not a mapping"):
        run_job(tmp_path)


def test_bad_overrides_are_refused(tmp_path):
    job = make_job(tmp_path)
    cases = [
        ({"params": {"n_estimators": "many"}}, "parameter n_estimators: 'many' is not an integer"),
        ({"params": {"depth": "3"}}, "no parameter named depth (parameters: learning_rate, n_estimators)"),
        ({"params": {"raw_data": "x"}}, "raw_data is a data input, not a parameter"),
        ({"inputs": {"raw_data": str(tmp_path / "missing")}}, "input raw_data: "),
        ({"inputs": {"other": "x"}}, "no data input named other (inputs: raw_data)"),
    ]
    for kwargs, expected in cases:
        with pytest.raises(Nb2amlError) as info:
            run_job(job, **kwargs)
        assert expected in str(info.value) and str(job / "job.yml") in str(info.value)
    assert not (job / ".runs").exists() and not (job / ".nb2aml").exists()  # nothing started


def test_datastore_input_needs_a_local_copy(tmp_path):
    job = make_job(tmp_path)
    text = render_job_yaml(SPEC, inputs_override={"raw_data": "azureml://datastores/blob/paths/nyc"})
    (job / "job.yml").write_text(text)
    with pytest.raises(Nb2amlError, match=r"input raw_data is azureml://datastores/blob/paths/nyc, not a local path"):
        run_job(job)


# --- the command line (no process) ---------------------------------------------------------------


def test_optional_parts_and_interpreter(tmp_path):
    spec = dataclasses.replace(
        SPEC,
        inputs=SPEC.inputs
        + (JobInput("holidays", "uri_file", optional=True), JobInput("fast", "boolean", default=True, optional=True)),
    )
    job = make_job(tmp_path, spec=spec)
    (tmp_path / "days.csv").write_text("d\n")
    loaded = load_job(job / "job.yml")
    argv, shell = build_argv(loaded, {"model_output": "/out"}, "/usr/bin/python3.11")
    assert not shell
    assert argv == [
        "/usr/bin/python3.11", "train.py",
        "--raw_data", str((tmp_path / "data").resolve()),
        "--learning_rate", "0.1", "--n_estimators", "100",
        "--fast", "True",
        "--model_output", "/out",
    ]  # fmt: skip
    loaded = load_job(job / "job.yml", inputs={"holidays": str(tmp_path / "days.csv")}, params={"fast": "no"})
    argv, _ = build_argv(loaded, {"model_output": "/out"}, "python")
    assert argv[8:12] == ["--holidays", str((tmp_path / "days.csv").resolve()), "--fast", "False"]


def test_paths_with_spaces_stay_one_argument(tmp_path):
    job = make_job(tmp_path / "my project")
    argv, _ = build_argv(load_job(job / "job.yml"), {"model_output": "/out dir/m"}, "python")
    assert argv[3] == str((tmp_path / "my project" / "data").resolve()) and argv[-1] == "/out dir/m"


def test_a_broken_stream_does_not_hang_the_script(first_run, tmp_path):
    _, first, _ = first_run
    job = make_job(tmp_path, FAILING)

    def stream(line):
        raise BrokenPipeError

    result = run_job(job, tracking_uri=first.tracking_uri, stream=stream)
    assert result.status == "failed" and "ValueError: boom" in result.steps[0].error
