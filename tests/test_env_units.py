"""The pure parts of environment checking: pip's index for uv, the emitted environment's files,
uv's messages read per package, and what an isolated or Docker run hands the job. No network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from nb2aml.cli import main
from nb2aml.envtools.targets import environment_of, folder_environments, read_pins
from nb2aml.envtools.uvtool import is_network_failure, pip_setting, uv_environment
from nb2aml.errors import Nb2amlError
from nb2aml.run.docker import CODE, INPUTS, OUTPUTS, container_argv
from nb2aml.run.isolated import isolated_environment
from nb2aml.run.seeding import FOLDER as SEEDING_FOLDER


def _emitted(tmp_path: Path, base: str = "python:3.10-slim", pins: str = "pandas==2.1.4\n") -> Path:
    (tmp_path / "environment").mkdir(parents=True)
    (tmp_path / "environment" / "Dockerfile").write_text(
        f"FROM {base}\nCOPY requirements.txt /tmp/requirements.txt\nRUN pip install -r /tmp/requirements.txt\n"
    )
    (tmp_path / "environment" / "requirements.txt").write_text(pins)
    (tmp_path / "environment.yml").write_text("name: e\nbuild:\n  path: environment\n  dockerfile_path: Dockerfile\n")
    (tmp_path / "job.yml").write_text("type: command\ncommand: python x.py\nenvironment: file:environment.yml\n")
    return tmp_path


def test_pip_index_and_cert_reach_uv(tmp_path, monkeypatch):
    config = tmp_path / "pip.conf"
    config.write_text("[global]\nindex-url = https://mirror.example/simple\ncert = " + str(config) + "\n")
    monkeypatch.setenv("PIP_CONFIG_FILE", str(config))
    for name in (
        "PIP_INDEX_URL",
        "PIP_CERT",
        "UV_INDEX_URL",
        "UV_DEFAULT_INDEX",
        "SSL_CERT_FILE",
        "UV_PYTHON_DOWNLOADS",
    ):
        monkeypatch.delenv(name, raising=False)
    assert pip_setting("index-url") == "https://mirror.example/simple"
    env = uv_environment()
    assert env["UV_DEFAULT_INDEX"] == "https://mirror.example/simple"
    assert env["SSL_CERT_FILE"] == str(config)
    assert env["UV_PYTHON_DOWNLOADS"] == "never"
    monkeypatch.setenv("PIP_INDEX_URL", "https://other.example/simple")  # the environment wins, as in pip
    assert uv_environment()["UV_DEFAULT_INDEX"] == "https://other.example/simple"
    monkeypatch.setenv("UV_DEFAULT_INDEX", "https://chosen.example/simple")  # uv's own setting is left alone
    assert uv_environment()["UV_DEFAULT_INDEX"] == "https://chosen.example/simple"


def test_environment_files_are_followed_as_azure_ml_builds_them(tmp_path):
    folder = _emitted(tmp_path, pins="# pinned\npandas==2.1.4  # the DS's\n\n-r other.txt\nnumpy\n")
    environment = environment_of(folder / "job.yml")
    assert environment.python_version == "3.10"
    assert environment.requirements == (folder / "environment" / "requirements.txt").resolve()
    assert read_pins(environment.requirements) == ["pandas==2.1.4", "numpy"]
    assert [e.yaml_path.name for e in folder_environments(folder)] == ["environment.yml"]


def test_a_base_image_without_a_python_version_is_said(tmp_path):
    folder = _emitted(tmp_path, base="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04")
    assert environment_of(folder / "job.yml").python_version is None
    result = CliRunner().invoke(main, ["validate", str(folder), "--resolve"])
    assert result.exit_code == 2, result.output
    image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04"
    assert f"Dockerfile: base image {image} does not say its Python" in result.output


def test_missing_requirements_file_is_one_line(tmp_path):
    folder = _emitted(tmp_path)
    (folder / "environment" / "requirements.txt").unlink()
    with pytest.raises(Nb2amlError, match="requirements file it installs is missing"):
        environment_of(folder / "job.yml")


@pytest.mark.parametrize(
    ("stderr", "kind"),
    [
        ("cause: Because nope was not found in the package registry and you require nope==1.0, ...", "not_found"),
        (
            "cause: Because scikit-learn==0.24.2 has no usable wheels and you require scikit-learn==0.24.2, ...",
            "no_wheel",
        ),
        ("cause: Because there is no version of pandas==9.9.9 and you require pandas==9.9.9, ...", "no_version"),
    ],
)
def test_uv_messages_are_read_per_package(stderr, kind):
    from nb2aml.envtools.resolve import _classify as classify

    problem = classify("x==1", stderr, "3.12")
    assert problem.kind == kind
    assert problem.render().startswith("x==1: ")


def test_sklearn_placeholder_names_the_real_package():
    from nb2aml.envtools.resolve import _classify as classify

    problem = classify("sklearn==0.0", "cause: Because sklearn==0.0 has no usable wheels ...", "3.8")
    assert problem.kind == "placeholder" and "scikit-learn" in problem.detail


def test_network_failures_are_told_apart_from_resolution_failures():
    assert is_network_failure("error: Request failed after 3 retries\n  cause: tcp connect error\n")
    assert is_network_failure("cause: dns error\n  cause: failed to lookup address information")
    assert not is_network_failure("error: No solution found when resolving dependencies\n  cause: Because x ...")


def test_isolated_run_keeps_only_the_seeding_folder_on_pythonpath():
    host_path = os.pathsep.join([SEEDING_FOLDER, "/host/site-packages"])
    extra = isolated_environment({"PYTHONPATH": host_path, "NB2AML_SEED": "0"})
    assert extra["PYTHONPATH"] == SEEDING_FOLDER
    assert extra["PYTHONNOUSERSITE"] == "1"
    assert extra["NB2AML_SEED"] == "0"
    assert isolated_environment(None)["PYTHONPATH"] == ""


def test_docker_mounts_code_inputs_read_only_and_outputs(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    out = tmp_path / "job" / ".runs" / "20260101-000000-000000" / "model_output"
    out.mkdir(parents=True)
    env = {
        "MLFLOW_RUN_ID": "abc",
        "NB2AML_SEED": "3",
        "PYTHONPATH": SEEDING_FOLDER,
        "NB2AML_DOCKER_VARIABLES": "TOKEN",
        "TOKEN": "t",
        "HOST_ONLY": "no",
    }
    argv = container_argv(
        "img:1",
        str(tmp_path / "src"),
        ["train.py", "--raw_data", str(data), "--lr", "0.1", "--model_output", str(out)],
        env,
        user="1:1",
    )
    assert argv[:3] == ["docker", "run", "--rm"]
    assert f"--volume={tmp_path / 'src'}:{CODE}" in argv and f"--workdir={CODE}" in argv
    assert f"--volume={data}:{INPUTS}/data:ro" in argv
    assert f"--volume={out}:{OUTPUTS}/model_output" in argv
    tail = argv[argv.index("img:1") :]
    assert tail == [
        "img:1",
        "python",
        "train.py",
        "--raw_data",
        f"{INPUTS}/data",
        "--lr",
        "0.1",
        "--model_output",
        f"{OUTPUTS}/model_output",
    ]
    assert "--env=MLFLOW_RUN_ID=abc" in argv and "--env=TOKEN=t" in argv
    assert not any("HOST_ONLY" in a for a in argv)
    assert "--env=PYTHONPATH=/mnt/nb2aml/seeding" in argv


def test_python_needs_isolated_and_isolated_excludes_docker(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["run", str(tmp_path), "--python", "3.11"])
    assert result.exit_code == 2 and "--python chooses the interpreter of --isolated" in result.output
    result = runner.invoke(main, ["run", str(tmp_path), "--isolated", "--docker"])
    assert result.exit_code == 2 and "not both" in result.output


def test_readme_rows_record_which_checks_ran(tmp_path):
    from nb2aml.envtools.record import record_check, section

    readme = tmp_path / "README.md"
    readme.write_text("# job\n\n" + "\n".join(section()) + "\n\n## After\n")
    assert readme.read_text().count("| not run |") == 3
    record_check(tmp_path, "isolated", "failed in a fresh Python 3.10.13 environment: step x: ModuleNotFoundError | y")
    record_check(tmp_path, "resolve", "passed: 12 packages for Python 3.10 on x86_64-manylinux_2_28, wheels only")
    text = readme.read_text()
    assert text.count("| not run |") == 1 and text.count("## Environment checks") == 1 and text.endswith("## After\n")
    assert "| passed: 12 packages for Python 3.10" in text
    assert "ModuleNotFoundError / y |" in text  # a table cell cannot hold a pipe
    record_check(tmp_path, "isolated", "succeeded in a fresh Python 3.10.13 environment")
    assert "ModuleNotFoundError" not in readme.read_text() and "| passed: 12" in readme.read_text()


def test_a_readme_without_the_section_gets_one(tmp_path):
    from nb2aml.envtools.record import record_check

    (tmp_path / "README.md").write_text("# older job\n")
    record_check(tmp_path, "docker", "succeeded in the image nb2aml-environment:0123")
    text = (tmp_path / "README.md").read_text()
    assert text.startswith("# older job\n\n## Environment checks")
    assert "| succeeded in the image nb2aml-environment:0123 |" in text


def test_two_distributions_of_one_package_at_different_versions_are_reported():
    from nb2aml.envtools.resolve import overlaps

    found = overlaps(("azureml-mlflow==1.39.0", "mlflow==1.20.2", "mlflow-skinny==2.17.2", "protobuf==5.29.6"))
    assert [(p.package, p.kind) for p in found] == [("mlflow==1.20.2", "overlap")]
    assert "mlflow==1.20.2 and mlflow-skinny==2.17.2" in found[0].detail
    assert "pin mlflow-skinny==1.20.2 too" in found[0].detail
    assert overlaps(("mlflow==3.17.2", "mlflow-skinny==3.17.2")) == ()
    assert overlaps(("mlflow-skinny==2.17.2",)) == ()


def test_the_readme_row_of_a_failed_run_names_the_exception():
    from nb2aml.run.isolated import summary
    from nb2aml.run.result import RunResult, StepResult

    error = (
        'Traceback (most recent call last):\n  File "x.py", line 3\n'
        "TypeError: Descriptors cannot be created directly.\n"
        "If this call came from a _pb2.py file, regenerate it."
    )
    result = RunResult(status="failed", steps=(StepResult(name="train", status="failed", error=error),))
    assert summary(result, "env") == "failed in env: step train: TypeError: Descriptors cannot be created directly."
    missing = "module 'sklearn' is imported but not installed by r.txt: add its package\nModuleNotFoundError: No module"
    result = RunResult(status="failed", steps=(StepResult(name="fit", status="failed", error=missing),))
    assert summary(result, "env").startswith("failed in env: step fit: module 'sklearn' is imported")
    assert summary(RunResult(status="succeeded", steps=()), "env") == "succeeded in env"
