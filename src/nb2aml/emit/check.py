"""Validate every YAML file of an output folder with the SDK: what `convert`, `split` and
`nb2aml validate` run before a folder is called done."""

from __future__ import annotations

from pathlib import Path

from .validate import InvalidYaml, validate_component_yaml, validate_environment_yaml, validate_job_yaml


def validate_folder(folder: Path) -> list[Path]:
    """Raise `InvalidYaml` (one line) on the first invalid file; return the files checked."""
    folder = Path(folder)
    checked: list[Path] = []
    for path in sorted([*folder.glob("environment*.y*ml"), *folder.glob("environments/*.y*ml")]):
        validate_environment_yaml(path)
        checked.append(path)
    for path in sorted(folder.glob("components/*.y*ml")):
        _raise(path, validate_component_yaml(path))
        checked.append(path)
    for pattern in ("job*.y*ml", "pipeline*.y*ml", "sweep*.y*ml"):
        for path in sorted(folder.glob(pattern)):
            _raise(path, validate_job_yaml(path))
            checked.append(path)
    if not checked:
        raise InvalidYaml(f"{folder}: no job, pipeline, component or environment YAML to validate")
    return checked


def _raise(path: Path, problems: list[str]) -> None:
    if problems:
        raise InvalidYaml(f"{path}: {'; '.join(problems)}")
