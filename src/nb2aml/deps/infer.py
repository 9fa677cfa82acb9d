"""The minimal pinned requirements of the code that ships: only what it imports, pinned as the
data scientist had it.

Version order: the environment file's exact pin (or a `!pip install name==X` pin), else the
version installed here. `Requirement.source` says which: "freeze" (pinned, or named, by the data
scientist), "installed", "curated" (a known distribution name, no version anywhere) or
"unresolved" (the name is a guess from the import: callers warn).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nb2aml.deps.envfile import (
    EnvSpec,
    ParsedRequirement,
    canonical_name,
    from_location,
    load_env_file,
    parse_requirement,
    strip_local,
)
from nb2aml.deps.resolve import installed_index, resolve_module
from nb2aml.deps.stdlib import is_backport, is_stdlib, python_minor
from nb2aml.types import Requirement, RequirementSource

ENV_FILE_NAMES = ("requirements.txt", "environment.yml", "environment.yaml")
# The `sklearn` PyPI project is an empty shim (and now refuses to install): the real one is this.
_RENAMED = {"sklearn": "scikit-learn"}
# An emitted `mlflow` pins `mlflow-skinny` itself: listing both only invites a conflict.
_SUPERSEDED_BY = {"mlflow-skinny": "mlflow"}
# `mlflow` and `mlflow-skinny` are released in lockstep: a skinny pin dates the full package.
_SAME_VERSION_AS = {"mlflow": "mlflow-skinny"}
_FILE_SUFFIXES = (".txt", ".whl", ".tar.gz", ".zip", ".cfg", ".toml", ".in")
# Installer tooling a notebook may upgrade; the base image provides it.
_TOOLING = frozenset({"pip", "setuptools", "wheel"})


@dataclass
class _Entry:
    imported_as: set[str] = field(default_factory=set)
    # How the name was found: resolve's origins, or "named" for pip installs and extras.
    origins: set[str] = field(default_factory=set)


def find_env_file(notebook_path: str | Path) -> Path | None:
    """The data scientist's requirements.txt / environment.yml beside the notebook, if any."""
    folder = Path(notebook_path).parent
    for name in ENV_FILE_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _is_local(top: str, local_dir: Path | None) -> bool:
    if local_dir is None:
        return False
    if (local_dir / f"{top}.py").is_file():
        return True
    package = local_dir / top
    return package.is_dir() and any(package.glob("*.py"))


def _install_spec(spec: str) -> ParsedRequirement | None:
    """`seaborn==0.11.2`, `xgboost`, `git+...#egg=x`, `./x-1.0.whl` -> name and pin.

    Flags, folders and files that are not archives (`-r requirements.txt`) -> None.
    """
    spec = spec.strip().strip("'\"")
    if not spec or spec.startswith("-"):
        return None
    if "/" in spec or "\\" in spec or spec.endswith(_FILE_SUFFIXES):
        try:
            return from_location(spec)
        except ValueError:
            return None
    return parse_requirement(spec)


def infer_requirements(
    imports: Iterable[str],
    *,
    pip_installs: Iterable[str] = (),
    env: EnvSpec | str | Path | None = None,
    python_version: str = "3.11",
    extra: Iterable[str] = (),
    local_dir: str | Path | None = None,
) -> tuple[Requirement, ...]:
    """Requirements for `imports` (dotted module names), sorted by canonical name.

    `pip_installs` are specs from `!pip install` lines (always kept: a notebook installs what it
    needs even when only a library loads it, like `openpyxl` for pandas). `extra` names what the
    generated code itself needs (`mlflow`, `azureml-mlflow`, `pyarrow`).
    """
    if isinstance(env, (str, Path)):
        env = load_env_file(env)
    target = python_minor(python_version)
    local = Path(local_dir) if local_dir is not None else None
    entries: dict[str, _Entry] = {}
    pip_pins: dict[str, str] = {}

    for module in sorted(set(imports)):
        if not module or module.startswith(".") or is_stdlib(module, target):
            continue
        if _is_local(module.split(".", 1)[0], local):
            continue
        resolution = resolve_module(module, env)
        for name in resolution.names:
            entry = entries.setdefault(_RENAMED.get(name, name), _Entry())
            entry.imported_as.add(module)
            entry.origins.add(resolution.origin)

    for spec in (*pip_installs, *extra):
        req = _install_spec(spec)
        if req is None:
            continue
        name = canonical_name(req.name)
        name = _RENAMED.get(name, name)
        if name in _TOOLING or (name not in entries and is_backport(name, target)):
            continue
        entries.setdefault(name, _Entry()).origins.add("named")
        if req.version:
            pip_pins.setdefault(name, strip_local(req.version))

    for old, new in _SUPERSEDED_BY.items():
        if old in entries and new in entries:
            entries[new].imported_as |= entries.pop(old).imported_as

    return tuple(_requirement(name, entry, env, pip_pins, target) for name, entry in sorted(entries.items()))


def _requirement(name: str, entry: _Entry, env: EnvSpec | None, pip_pins: dict[str, str], target: str) -> Requirement:
    version, source = _version(name, env, pip_pins, target)
    if version is None:
        if entry.origins == {"unresolved"}:
            source = "unresolved"
        elif "freeze" in entry.origins:
            source = "freeze"
        else:
            source = "curated"
    return Requirement(name=name, version=version, source=source, imported_as=tuple(sorted(entry.imported_as)))


def _version(
    name: str, env: EnvSpec | None, pip_pins: dict[str, str], target: str
) -> tuple[str | None, RequirementSource]:
    if env is not None:
        pinned = env.pin(name)
        if pinned is None and name in _SAME_VERSION_AS:
            pinned = env.pin(_SAME_VERSION_AS[name])
        if pinned:
            return pinned, "freeze"
    if name in pip_pins:
        return pip_pins[name], "freeze"
    index = installed_index()
    installed = index.versions.get(name)
    if installed and _supports(index.requires_python.get(name), target):
        return strip_local(installed), "installed"
    # The version installed here does not run on the image's Python (pyarrow 25 on 3.8):
    # pinning it would break the image build, so it is left for pip to choose.
    return None, "unresolved"


def _supports(specifier: str | None, target: str) -> bool:
    if not specifier:
        return True
    try:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
    except ImportError:  # pragma: no cover - packaging comes with pip and setuptools
        return True
    try:
        return SpecifierSet(specifier).contains(f"{target}.0", prereleases=True)
    except InvalidSpecifier:
        return True


def render_requirements(reqs: Iterable[Requirement]) -> str:
    """requirements.txt text: one `name==version` a line, sorted by canonical name."""
    ordered = sorted(reqs, key=lambda r: (canonical_name(r.name), r.version or ""))
    return "".join(f"{r.line()}\n" for r in ordered)
