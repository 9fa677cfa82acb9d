"""Which environments an emitted folder declares, and for each its requirements and image Python.

Followed the way Azure ML builds them: a job or component names `environment: file:X.yml`, X.yml
names a build folder, the build folder's Dockerfile starts `FROM python:X.Y...` and copies the
requirements file it installs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import EnvironmentSetupError
from .yamlfile import read_yaml_mapping

_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", re.I | re.M)
_PYTHON_IMAGE = re.compile(r"(?:^|/)python:(\d+\.\d+)(?:[.\-]|$)")
_COPY_REQUIREMENTS = re.compile(r"^\s*(?:COPY|ADD)\s+(\S+)\s+\S*requirements[^\s/]*\.txt\s*$", re.I | re.M)
_COPY_CONSTRAINTS = re.compile(r"^\s*(?:COPY|ADD)\s+(\S+)\s+\S*constraints[^\s/]*\.txt\s*$", re.I | re.M)


@dataclass(frozen=True)
class Environment:
    """One environment YAML with its Docker build folder."""

    yaml_path: Path
    build_dir: Path
    dockerfile: Path
    requirements: Path
    base_image: str
    python_version: str | None  # "X.Y" from a python:X.Y base image, None for another base
    constraints: Path | None = None  # the pip constraints file the Dockerfile installs with, if any

    def requirements_hash(self) -> str:
        digest = hashlib.sha256(self.requirements.read_bytes())
        if self.constraints is not None:
            digest.update(b"\0" + self.constraints.read_bytes())
        return digest.hexdigest()[:16]

    def constraint_args(self) -> list[str]:
        """uv's arguments that apply the constraints (uv, like pip, also reads the requirements' `-c`)."""
        return ["--constraint", str(self.constraints)] if self.constraints is not None else []


def load_environment(yaml_path: Path) -> Environment:
    """The environment YAML at `yaml_path`, its Dockerfile and requirements file."""
    yaml_path = Path(yaml_path).resolve()
    data = read_yaml_mapping(yaml_path, EnvironmentSetupError)
    build = data.get("build")
    if not isinstance(build, dict) or not build.get("path"):
        raise EnvironmentSetupError(
            f"{yaml_path}: the environment has no Docker build folder (build.path): nothing to resolve or build here"
        )
    build_dir = (yaml_path.parent / str(build["path"])).resolve()
    dockerfile = build_dir / str(build.get("dockerfile_path") or "Dockerfile")
    try:
        text = dockerfile.read_text(encoding="utf-8")
    except OSError as exc:
        raise EnvironmentSetupError(
            f"{dockerfile}: cannot read the environment's Dockerfile: {exc.strerror or exc}"
        ) from None
    found = _FROM.search(text)
    if not found:
        raise EnvironmentSetupError(f"{dockerfile}: no FROM line")
    base_image = found.group(1)
    python = _PYTHON_IMAGE.search(base_image)
    copied = _COPY_REQUIREMENTS.search(text)
    requirements = build_dir / (copied.group(1) if copied else "requirements.txt")
    if not requirements.is_file():
        raise EnvironmentSetupError(f"{dockerfile}: the requirements file it installs is missing ({requirements})")
    copied_constraints = _COPY_CONSTRAINTS.search(text)
    constraints = build_dir / copied_constraints.group(1) if copied_constraints else None
    if constraints is not None and not constraints.is_file():
        raise EnvironmentSetupError(f"{dockerfile}: the constraints file it installs with is missing ({constraints})")
    return Environment(
        yaml_path, build_dir, dockerfile, requirements, base_image, python.group(1) if python else None, constraints
    )


def environment_of(job_yaml: Path) -> Environment:
    """The environment a job or component YAML names with `environment: file:...`."""
    job_yaml = Path(job_yaml).resolve()
    ref = read_yaml_mapping(job_yaml, EnvironmentSetupError).get("environment")
    if isinstance(ref, str) and ref.startswith("file:"):
        return load_environment(job_yaml.parent / ref[len("file:") :])
    raise EnvironmentSetupError(
        f"{job_yaml}: environment {ref!r} is not a local environment file: it cannot be built here"
    )


def folder_environments(folder: Path) -> list[Environment]:
    """Every environment YAML of an emitted folder (as `validate` finds them)."""
    folder = Path(folder)
    paths = sorted([*folder.glob("environment*.y*ml"), *folder.glob("environments/*.y*ml")])
    if not paths:
        raise EnvironmentSetupError(f"{folder}: no environment YAML (environment.yml or environments/*.yml)")
    return [load_environment(path) for path in paths]


def read_pins(requirements: Path) -> list[str]:
    """The requirement lines of a requirements file, comments and options left out."""
    lines = []
    for raw in requirements.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith(("#", "-")):
            lines.append(line)
    return lines
