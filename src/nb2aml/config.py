"""`[tool.nb2aml]` from the nearest pyproject.toml."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


KEYS = frozenset({"select", "ignore"})


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
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{candidate}: not valid TOML ({exc})") from None
            except UnicodeDecodeError as exc:
                raise ConfigError(f"{candidate}: not UTF-8 text (invalid byte at offset {exc.start})") from None
            except OSError as exc:
                raise ConfigError(f"{candidate}: cannot be read ({exc.strerror or exc})") from None
            tool = data.get("tool")
            section = tool.get("nb2aml") if isinstance(tool, dict) else None
            if section is None:
                continue
            if not isinstance(section, dict):
                raise ConfigError(f"{candidate}: [tool.nb2aml] must be a table, not {type(section).__name__}")
            unknown = sorted(set(section) - KEYS)
            if unknown:
                raise ConfigError(
                    f"{candidate}: [tool.nb2aml] has no setting {unknown[0]!r} (settings: {', '.join(sorted(KEYS))})"
                )
            return Config(
                select=_codes(section, "select", candidate),
                ignore=_codes(section, "ignore", candidate),
                source=str(candidate),
            )
    return Config()


def _codes(section: dict, key: str, path: Path) -> tuple[str, ...]:
    value = section.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: [tool.nb2aml] {key} must be a list of rule codes")
    return tuple(v.upper() for v in value)
