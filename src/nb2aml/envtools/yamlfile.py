"""The YAML files of an emitted folder (job, component, pipeline, sweep, environment), read back as
one mapping or refused in one line naming the file."""

from __future__ import annotations

from pathlib import Path

from ..errors import Nb2amlError


def read_yaml_mapping(path: Path, error: type[Nb2amlError]) -> dict:
    """The mapping at `path`; `error` (the caller's kind: a job, an environment) when it is not one."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{path}: cannot be read as YAML ({' '.join(str(exc).split())[:200]})") from None
    if not isinstance(data, dict):
        raise error(f"{path}: not a YAML mapping")
    return data
