"""The environment proven before the cloud sees it, for real: a plain install of the built wheel,
uv resolving requirements against the package index for the image's Python, jobs run in fresh
virtual environments built from their requirements alone, and the Docker image where an engine
answers. All slow: they install packages, start interpreters and reach the index.

The virtual environments are cached under the user's cache folder by the requirements' hash, and
uv keeps its own cache: a second run of this file builds nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nb2aml.cli import main
from nb2aml.envtools.resolve import resolve_requirements
from nb2aml.envtools.uvtool import IndexUnreachable
from nb2aml.errors import EnvironmentSetupError, Nb2amlError
from nb2aml.run.docker import engine_answers
from nb2aml.run.isolated import cache_root, find_interpreter

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
HERE_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


@pytest.fixture(scope="session")
def index_reachable(tmp_path_factory) -> None:
    probe = tmp_path_factory.mktemp("probe") / "requirements.txt"
    probe.write_text("six==1.16.0\n")
    try:
        resolve_requirements(probe, "3.10")
    except IndexUnreachable as exc:
        pytest.skip(f"the package index cannot be reached: {exc}")


@pytest.fixture(scope="session")
def housing_job(tmp_path_factory) -> Path:
    """examples/housing converted once: pins (pandas 2.1, scikit-learn 1.3, mlflow) with wheels for 3.10-3.12."""
    out = tmp_path_factory.mktemp("housing") / "job"
    notebook = EXAMPLES / "housing" / "notebook.ipynb"
    result = CliRunner().invoke(main, ["convert", str(notebook), "-o", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    return out


def _emitted(folder: Path, python: str, pins: str) -> Path:
    (folder / "environment").mkdir(parents=True)
    (folder / "environment" / "Dockerfile").write_text(
        f"FROM python:{python}-slim\nCOPY requirements.txt /tmp/requirements.txt\n"
        "RUN pip install -r /tmp/requirements.txt\n"
    )
    (folder / "environment" / "requirements.txt").write_text(pins)
    (folder / "environment.yml").write_text("name: e\nbuild:\n  path: environment\n  dockerfile_path: Dockerfile\n")
    (folder / "job.yml").write_text("type: command\ncommand: python x.py\nenvironment: file:environment.yml\n")
    return folder


def _copy(job: Path, to: Path) -> Path:
    shutil.copytree(job, to, ignore=shutil.ignore_patterns(".runs", ".nb2aml"))
    return to


# -- a plain install --------------------------------------------------------------------------


def test_the_built_wheel_installed_without_extras_converts_and_names_what_run_needs(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheels)], check=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    wheel = next(wheels.glob("nb2aml-*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    nb2aml = venv / "bin" / "nb2aml"
    out = tmp_path / "taxi"
    notebook = EXAMPLES / "nyc_taxi" / "notebook.ipynb"
    wide = {**os.environ, "COLUMNS": "400"}  # rich wraps at the terminal's width
    converted = subprocess.run(
        [str(nb2aml), "convert", str(notebook), "-o", str(out), "--yes"], capture_output=True, text=True, env=wide
    )
    assert converted.returncode == 0, converted.stderr
    assert "validated with azure-ai-ml" in converted.stdout
    assert (out / "job.yml").is_file() and (out / "environment" / "requirements.txt").is_file()
    ran = subprocess.run([str(nb2aml), "run", str(out)], capture_output=True, text=True)
    assert ran.returncode == 2, ran.stderr
    assert ran.stderr.strip() == (
        "nb2aml: error: nb2aml run needs MLflow here (a plain install leaves it out): pip install 'nb2aml[run]'"
    )


# -- validate --resolve -------------------------------------------------------------------------


def test_resolve_passes_the_pins_of_an_emitted_job(index_reachable, housing_job):
    result = CliRunner().invoke(main, ["validate", str(housing_job), "--resolve"])
    assert result.exit_code == 0, result.output
    assert "resolved: " in result.output and "for Python 3.10 on x86_64-manylinux_2_28, wheels only" in result.output


def test_resolve_reports_a_pin_without_a_wheel_for_the_images_python(index_reachable, tmp_path):
    folder = _emitted(tmp_path / "job", "3.12", "pandas==2.2.3\nscikit-learn==0.24.2\n")
    result = CliRunner().invoke(main, ["validate", str(folder), "--resolve"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("nb2aml: unresolvable:")]
    assert len(lines) == 1, result.output  # pandas 2.2.3 has wheels for 3.12: only scikit-learn is reported
    assert "scikit-learn==0.24.2: no wheel for Python 3.12 on x86_64-manylinux_2_28" in lines[0]


def test_resolve_reports_sklearn_and_a_name_that_does_not_exist(index_reachable, tmp_path):
    folder = _emitted(tmp_path / "job", "3.10", "sklearn==0.0\nnb2aml-no-such-package-zq==1.0\npandas==2.1.4\n")
    result = CliRunner().invoke(main, ["validate", str(folder), "--resolve"])
    assert result.exit_code == 1, result.output
    assert "sklearn==0.0: sklearn is not an installable package" in result.output
    assert "write scikit-learn instead" in result.output
    assert "nb2aml-no-such-package-zq==1.0: no package named nb2aml-no-such-package-zq on the index" in result.output
    assert "pandas" not in result.output.replace("resolved", "")


def test_resolve_reports_pins_that_conflict_with_each_other(index_reachable, tmp_path):
    folder = _emitted(tmp_path / "job", "3.8", "pandas==2.0.0\nnumpy==1.19.5\n")
    result = CliRunner().invoke(main, ["validate", str(folder), "--resolve"])
    assert result.exit_code == 1, result.output
    assert "the pins conflict with each other" in result.output and "numpy" in result.output


def _nyc_freeze_without(tmp_path: Path, *names: str) -> Path:
    """The nyc_taxi freeze less some pins: what pip then picks for them is not the notebook's."""
    # alembic 1.7.4 (past mlflow 1.20.2's cap) and databricks-cli 0.16.2 (no wheel) never hold: left out too.
    names = (*names, "alembic", "databricks-cli")
    lines = (EXAMPLES / "nyc_taxi" / "requirements.txt").read_text().splitlines(keepends=True)
    freeze = tmp_path / "freeze.txt"
    freeze.write_text("".join(line for line in lines if line.split("==")[0].strip().lower() not in names))
    return freeze


def test_resolve_finds_the_nyc_taxi_jobs_two_mlflow_distributions(index_reachable, tmp_path):
    """Without the freeze's mlflow-skinny pin, azureml-mlflow 1.39 pulls mlflow-skinny 2.17 beside the pinned
    mlflow 1.20: both install `mlflow`."""
    out = tmp_path / "job"
    notebook = EXAMPLES / "nyc_taxi" / "notebook.ipynb"
    freeze = _nyc_freeze_without(tmp_path, "mlflow-skinny")
    assert (
        CliRunner()
        .invoke(main, ["convert", str(notebook), "-o", str(out), "--yes", "--requirements", str(freeze)])
        .exit_code
        == 0
    )
    result = CliRunner().invoke(main, ["validate", str(out), "--resolve"])
    assert result.exit_code == 1, result.output
    flat = " ".join(result.output.split())
    assert "mlflow==1.20.2: resolves to mlflow==1.20.2 and mlflow-skinny==" in flat
    assert "| failed: environment/requirements.txt: mlflow==1.20.2: resolves to" in (out / "README.md").read_text()


def test_resolve_without_the_index_is_one_line_and_exit_2(tmp_path, monkeypatch):
    folder = _emitted(tmp_path / "job", "3.10", "six==1.16.0\n")
    monkeypatch.setenv("UV_DEFAULT_INDEX", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("UV_NO_CACHE", "1")
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")
    result = CliRunner().invoke(main, ["validate", str(folder), "--resolve"])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("nb2aml: error:")]
    assert len(errors) == 1 and "the package index cannot be reached (http://127.0.0.1:9/simple)" in errors[0]


def test_convert_resolve_writes_nothing_when_a_pin_has_no_wheel(index_reachable, tmp_path):
    freeze = tmp_path / "requirements.txt"
    freeze.write_text("numpy==1.26.4\npandas==2.1.4\nscikit-learn==0.24.2\n")  # 0.24.2 has no wheel for 3.10
    out = tmp_path / "job"
    result = CliRunner().invoke(
        main,
        [
            "convert",
            str(EXAMPLES / "housing" / "notebook.ipynb"),
            "-o",
            str(out),
            "--yes",
            "--requirements",
            str(freeze),
            "--resolve",
        ],
    )
    assert result.exit_code == 1, result.output
    assert f"{out / 'environment' / 'requirements.txt'}" in result.output
    assert "scikit-learn==0.24.2: no wheel for Python 3.10" in result.output
    assert not out.exists()


# -- run --isolated -----------------------------------------------------------------------------


def _plant_prefix_print(job: Path) -> None:
    """The script ends by printing the environment it ran in."""
    script = next((job / "src").glob("*.py"))
    script.write_text(script.read_text() + "\nimport sys\n\nprint('prefix:', sys.prefix)\n")


def test_isolated_runs_the_job_in_a_fresh_environment_of_its_requirements(index_reachable, housing_job, tmp_path):
    job = _copy(housing_job, tmp_path / "job")
    _plant_prefix_print(job)
    result = CliRunner().invoke(main, ["run", str(job), "--isolated", "--python", HERE_PYTHON, "--format", "json"])
    assert result.exit_code == 0, result.output
    prefix = next(line.split("prefix: ", 1)[1] for line in result.output.splitlines() if line.startswith("prefix: "))
    assert Path(prefix).parent == cache_root() and Path(prefix).name.startswith(f"py{HERE_PYTHON}.")
    made = json.loads((Path(prefix) / "nb2aml-env.json").read_text())
    assert made["requirements_text"] == (job / "environment" / "requirements.txt").read_text()
    document = json.loads(result.output[result.output.index("{\n") :])
    step = document["steps"][0]
    assert step["status"] == "succeeded"
    # logged by the job's own MLflow through the tracking server, read back from the run's store
    assert set(step["metrics"]) >= {"r2_score", "rmse"} and step["params"]["alpha"] == "0.5"


def test_isolated_builds_from_the_images_python_when_it_is_here(index_reachable, housing_job, tmp_path):
    try:
        find_interpreter("3.10")
    except Nb2amlError as exc:
        pytest.skip(f"the image's Python is not on this machine: {exc}")
    job = _copy(housing_job, tmp_path / "job")
    _plant_prefix_print(job)
    result = CliRunner().invoke(main, ["run", str(job), "--isolated"])
    assert result.exit_code == 0, result.output
    assert f"prefix: {cache_root()}/py3.10." in result.output


def test_isolated_fails_on_an_import_the_requirements_miss_naming_the_module(index_reachable, housing_job, tmp_path):
    job = _copy(housing_job, tmp_path / "job")
    requirements = job / "environment" / "requirements.txt"
    pins = [line for line in requirements.read_text().splitlines() if not line.startswith("scikit-learn")]
    # full MLflow brings scikit-learn along; the skinny client does not, as a lean image would not
    pins = [line.replace("mlflow==", "mlflow-skinny==") if line.startswith("mlflow==") else line for line in pins]
    requirements.write_text("\n".join(pins) + "\n")
    result = CliRunner().invoke(main, ["run", str(job), "--isolated", "--python", HERE_PYTHON])
    assert result.exit_code == 1, result.output
    assert "module 'sklearn' is imported but not installed by" in " ".join(result.output.split())


def test_nyc_taxi_with_consistent_mlflow_pins_resolves_but_fails_on_a_fresh_install(index_reachable, tmp_path):
    """What only a fresh install shows: mlflow 1.20's generated protobuf code under protobuf 5 (a freeze without
    the protobuf pin; the real one has 3.19, see tests/test_constraints_slow.py)."""
    try:
        find_interpreter("3.8")
    except EnvironmentSetupError as exc:
        pytest.skip(f"the image's Python 3.8 is not on this machine: {exc}")
    out = tmp_path / "job"
    notebook = EXAMPLES / "nyc_taxi" / "notebook.ipynb"
    freeze = _nyc_freeze_without(tmp_path, "protobuf")  # the constraints keep mlflow-skinny at 1.20.2
    assert (
        CliRunner()
        .invoke(main, ["convert", str(notebook), "-o", str(out), "--yes", "--requirements", str(freeze)])
        .exit_code
        == 0
    )
    assert CliRunner().invoke(main, ["validate", str(out), "--resolve"]).exit_code == 0
    result = CliRunner().invoke(main, ["run", str(out), "--isolated"])
    assert result.exit_code == 1, result.output
    assert "Descriptors cannot be created directly" in result.output
    assert "| failed in a fresh Python 3.8." in (out / "README.md").read_text()


def test_verify_isolated_compares_the_notebook_with_the_job_in_its_environment(index_reachable, housing_job, tmp_path):
    job = _copy(housing_job, tmp_path / "job")
    result = CliRunner().invoke(
        main,
        [
            "verify",
            str(EXAMPLES / "housing" / "notebook.ipynb"),
            str(job),
            "--isolated",
            "--python",
            HERE_PYTHON,
            "--format",
            "json",
        ],
    )
    # the notebook on nb2aml's libraries, the job on its pinned ones (scikit-learn 1.3, pandas 2.1): same numbers
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output[result.output.index("{\n") :])
    assert verdict["equivalent"] and verdict["converted_error"] is None
    assert {m["name"] for m in verdict["metrics"]} >= {"r2_score", "rmse"}


# -- run --docker -------------------------------------------------------------------------------


def test_docker_without_an_engine_says_so(housing_job):
    why_not = engine_answers()
    if why_not is None:
        pytest.skip("a Docker engine answers here: the run itself is tested")
    result = CliRunner().invoke(main, ["run", str(housing_job), "--docker"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("nb2aml: error: run --docker needs a Docker engine and none answers here")


def test_docker_runs_the_job_in_the_built_image(index_reachable, housing_job, tmp_path):
    why_not = engine_answers()
    if why_not is not None:
        pytest.skip(f"no Docker engine here: {why_not}")
    job = _copy(housing_job, tmp_path / "job")
    result = CliRunner().invoke(main, ["run", str(job), "--docker", "--format", "json"])
    assert result.exit_code == 0, result.output
    step = json.loads(result.output[result.output.index("{\n") :])["steps"][0]
    assert step["status"] == "succeeded" and "r2_score" in step["metrics"]
    assert os.listdir(step["outputs"]["output_dir"])  # written through the read-write output mount
