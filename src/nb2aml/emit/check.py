"""Validate every YAML file of an output folder with the SDK: what `convert`, `split` and
`nb2aml validate` run before a folder is called done."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from .validate import (
    InvalidYaml,
    validate_component_yaml,
    validate_environment_yaml,
    validate_job_yaml,
)

YamlKind = Literal["environment", "component", "job"]


def yaml_files(folder: Path) -> list[tuple[Path, YamlKind]]:
    """The YAML files of an output folder the SDK checks, and what each one is, in checking order."""
    folder = Path(folder)
    environments = sorted([*folder.glob("environment*.y*ml"), *folder.glob("environments/*.y*ml")])
    found: list[tuple[Path, YamlKind]] = [(path, "environment") for path in environments]
    found += [(path, "component") for path in sorted(folder.glob("components/*.y*ml"))]
    for pattern in ("job*.y*ml", "pipeline*.y*ml", "sweep*.y*ml"):
        found += [(path, "job") for path in sorted(folder.glob(pattern))]
    return found


def file_problems(path: Path, kind: YamlKind) -> list[str]:
    """What the SDK finds wrong with one file, one line each; [] when it is valid."""
    if kind == "environment":
        try:
            validate_environment_yaml(path)
        except InvalidYaml as exc:
            return [str(exc).removeprefix(f"{path}: ")]
        return []
    return (validate_component_yaml if kind == "component" else validate_job_yaml)(path)


def validate_folder(folder: Path) -> list[Path]:
    """Raise `InvalidYaml` (one line) on the first invalid file; return the files checked."""
    folder = Path(folder)
    checked: list[Path] = []
    for path, kind in yaml_files(folder):
        if kind == "environment":
            validate_environment_yaml(path)
        else:
            _raise(path, file_problems(path, kind))
        checked.append(path)
    if not checked:
        raise InvalidYaml(f"{folder}: no job, pipeline, component or environment YAML to validate")
    return checked


def _raise(path: Path, problems: list[str]) -> None:
    if problems:
        raise InvalidYaml(f"{path}: {'; '.join(problems)}")
