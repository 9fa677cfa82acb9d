"""Dockerfile, Azure ML environment YAML and the Python version they target."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

try:
    import nb2aml  # noqa: F401
except ImportError:  # not installed: run from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from nb2aml.deps.infer import infer_requirements, render_requirements
from nb2aml.emit.dockerfile import render_dockerfile
from nb2aml.emit.environment import (
    SCHEMA,
    choose_python_version,
    content_version,
    environment_name,
    render_environment_yaml,
)
from nb2aml.emit.validate import InvalidYaml, validate_environment_yaml

SRC = Path(__file__).resolve().parents[1] / "src"
AML_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,254}$")


# --- Python version -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("3.8.5", "python310", "3.9", "3.11"), ("3.8", "notebook")),
        ((None, "python38", "3.9", "3.11"), ("3.8", "kernel")),
        ((None, "conda-env-azureml_py310-py", None, "3.11"), ("3.10", "kernel")),
        ((None, "python3.9", None, "3.11"), ("3.9", "kernel")),
        ((None, "python3", "3.10", "3.11"), ("3.10", "env")),  # `python3` tells no minor
        (("", "ir", None, "3.12.1"), ("3.12", "running")),
        (("not a version", None, "3.10.*", "3.11"), ("3.10", "env")),
    ],
)
def test_choose_python_version(args, expected):
    assert choose_python_version(*args) == expected


def test_choose_python_version_defaults_to_this_interpreter():
    assert choose_python_version(None, None, None) == (
        f"{sys.version_info.major}.{sys.version_info.minor}",
        "running",
    )


# --- Dockerfile -----------------------------------------------------------------------------


def test_dockerfile_content():
    text = render_dockerfile("3.8")
    instructions = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert instructions[0] == "FROM python:3.8-slim"
    assert "ENV PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1" in instructions
    # Only the requirements go in: no notebook, no script, no data.
    copies = [line for line in instructions if line.startswith(("COPY", "ADD"))]
    assert copies == ["COPY requirements.txt /tmp/requirements.txt"]
    install = next(line for line in instructions if "pip install" in line)
    assert "--no-cache-dir -r /tmp/requirements.txt" in install
    assert instructions.index(install) > instructions.index(copies[0])
    # A non-root user is created, then used; the work directory is theirs.
    useradd = next(line for line in instructions if "useradd" in line)
    user = [line for line in instructions if line.startswith("USER ")]
    assert user == ["USER aml"] and instructions.index(useradd) < instructions.index(user[0])
    assert "chown aml:aml /home/aml/app" in useradd
    assert instructions[-1] == "WORKDIR /home/aml/app"
    assert instructions.index(install) < instructions.index(user[0])  # install as root


def test_dockerfile_overrides_and_errors():
    text = render_dockerfile(
        "3.10",
        base_image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04",
        user="runner",
        workdir="/srv/job",
    )
    assert text.splitlines()[1] == "FROM mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"
    assert "python:3.10" not in text and "USER runner" in text and "WORKDIR /srv/job" in text
    for bad in ("3", "3.8.5", "latest"):
        with pytest.raises(ValueError):
            render_dockerfile(bad)
    with pytest.raises(ValueError):
        render_dockerfile("3.8", user="root; rm -rf /")
    with pytest.raises(ValueError):
        render_dockerfile("3.8", workdir="relative/dir")


# --- environment YAML -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notebook", "expected"),
    [
        ("NYC Taxi Data Regression", "nyc-taxi-data-regression"),
        ("nyc_taxi", "nyc_taxi"),
        ("2021-08 Étude (final).v2", "etude-final-v2"),
        ("---", "nb2aml-env"),
        ("x" * 300, "x" * 255),
    ],
)
def test_environment_name(notebook, expected):
    name = environment_name(notebook)
    assert name == expected
    assert AML_NAME.match(name)
    assert environment_name(name) == name


def test_environment_yaml_content():
    args = {"build_path": "env/cloud", "description": "a: b # c"}
    text = render_environment_yaml("NYC Taxi", **args)
    doc = yaml.safe_load(text)
    assert list(doc) == ["$schema", "name", "version", "description", "build", "os_type"]
    assert doc["$schema"] == SCHEMA
    assert doc["name"] == "nyc-taxi"
    assert doc["version"] == "1"  # a string, not the integer 1
    assert doc["description"] == "a: b # c"
    assert doc["build"] == {"path": "env/cloud", "dockerfile_path": "Dockerfile"}
    assert render_environment_yaml("NYC Taxi", **args) == text
    with pytest.raises(ValueError):
        render_environment_yaml("x", build_path="/abs/path")


def test_content_version_is_deterministic():
    a = content_version("pandas==1.3.3\n", "FROM python:3.8-slim\n")
    assert a == content_version("pandas==1.3.3\n", "FROM python:3.8-slim\n")
    assert a != content_version("pandas==1.3.4\n", "FROM python:3.8-slim\n")
    assert re.fullmatch(r"[0-9a-f]{12}", a)


def write_environment(root: Path, *, version: str = "1") -> Path:
    """What the caller does with the renderers: requirements, Dockerfile, then the YAML."""
    build = root / "environment"
    build.mkdir()
    requirements = render_requirements(infer_requirements(["pandas", "sklearn.ensemble"]))
    dockerfile = render_dockerfile("3.11")
    (build / "requirements.txt").write_text(requirements)
    (build / "Dockerfile").write_text(dockerfile)
    path = root / "environment.yml"
    path.write_text(render_environment_yaml("NYC Taxi Regression", build_path="environment", version=version))
    return path


# The SDK's own deprecation noise on import, not ours.
@pytest.mark.filterwarnings("ignore::marshmallow.warnings.Marshmallow4Warning")
def test_environment_yaml_loads_with_azure_ai_ml(tmp_path):
    from azure.ai.ml import load_environment

    path = write_environment(tmp_path)
    env = load_environment(source=str(path))
    assert env.name == "nyc-taxi-regression"
    assert env.version == "1"
    assert Path(env.build.path).name == "environment"
    assert env.build.dockerfile_path == "Dockerfile"
    assert env.os_type == "linux"


def test_validate_environment_yaml(tmp_path):
    version = content_version("pandas", "FROM python:3.11-slim")
    path = write_environment(tmp_path, version=version)
    assert validate_environment_yaml(path).version == version


def test_validate_environment_yaml_reports_one_line(tmp_path):
    path = tmp_path / "environment.yml"
    path.write_text(render_environment_yaml("nyc", build_path="missing-folder"))
    with pytest.raises(InvalidYaml) as err:
        validate_environment_yaml(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ") and "missing-folder" in message
    assert "\n" not in message


def test_azure_ai_ml_is_imported_only_when_validating():
    code = (
        "import sys\n"
        "import nb2aml.deps, nb2aml.deps.infer, nb2aml.emit.dockerfile\n"
        "import nb2aml.emit.environment, nb2aml.emit.validate\n"
        "print(any(m == 'azure' or m.startswith('azure.') for m in sys.modules))\n"
    )
    path = os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"
