"""`[tool.nb2aml]` from the nearest pyproject.toml."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .types import NotebookError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    source: str | None = None


def find_config(start: Path) -> Config:
    for folder in [start.resolve(), *start.resolve().parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
                raise NotebookError(f"{candidate}: cannot be read as TOML ({exc})") from None
            section = data.get("tool", {}).get("nb2aml")
            if section is None:
                continue
            return Config(select=_codes(section, "select", candidate), ignore=_codes(section, "ignore", candidate), source=str(candidate))
    return Config()


def _codes(section: dict, key: str, path: Path) -> tuple[str, ...]:
    value = section.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise NotebookError(f"{path}: [tool.nb2aml] {key} must be a list of rule codes")
    return tuple(v.upper() for v in value)
