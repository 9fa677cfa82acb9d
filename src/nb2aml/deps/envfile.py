"""Read the data scientist's environment: a pip-freeze requirements.txt or a conda environment yaml.

Only what requirement inference needs is kept: which distributions were there, the exact version
of those that were pinned, and the Python version a conda file asks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import EnvironmentSetupError

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_VERSION = r"[A-Za-z0-9.*+!_-]+"
_SPEC = rf"(?:===|==|!=|~=|<=|>=|<|>)\s*{_VERSION}"
_REQUIREMENT = re.compile(
    rf"""^(?P<name>{_NAME})\s*
        (?:\[\s*(?:{_NAME}(?:\s*,\s*{_NAME})*)?\s*\])?\s*
        (?:
            @\s*(?P<url>\S+)
          | (?P<specs>\(?\s*{_SPEC}(?:\s*,\s*{_SPEC})*\s*\)?)
        )?\s*
        (?:;\s*(?P<marker>.+))?$""",
    re.VERBOSE,
)
_PIN = re.compile(r"^(?:===|==)\s*(?P<version>[A-Za-z0-9.+!_-]+)$")
# pip writes a comment only after whitespace, so `#egg=` in a URL is not one.
_COMMENT = re.compile(r"(^|\s)#.*$")
_HASH_OPTION = re.compile(r"\s--hash[=\s]\S+")
_EGG = re.compile(rf"[#&]egg=(?P<name>{_NAME})")
# A wheel or sdist file name in a `name @ file://...` URL still tells the version.
_ARCHIVE_VERSION = re.compile(
    r"/(?P<name>[A-Za-z0-9_.]+?)-(?P<version>[0-9][A-Za-z0-9.+!_]*?)"
    r"(?:-[^/]*)?\.(?:whl|tar\.gz|zip|tar\.bz2)$"
)
_OPTIONS_WITH_VALUE = {
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--trusted-host",
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "--no-binary",
    "--only-binary",
    "--use-feature",
    "--config-settings",
    "--global-option",
    "--install-option",
}
_FLAG_OPTIONS = {
    "--no-index",
    "--pre",
    "--prefer-binary",
    "--require-hashes",
    "--user",
    "-U",
    "--upgrade",
}
_EDITABLE = {"-e", "--editable"}
_LOCATION_STARTS = (".", "/", "~", "git+", "hg+", "svn+", "bzr+")

# Conda package names that differ from the PyPI distribution providing the same modules.
_CONDA_TO_PYPI = {
    "pytorch": "torch",
    "py-xgboost": "xgboost",
    "py-lightgbm": "lightgbm",
    "matplotlib-base": "matplotlib",
    "msgpack-python": "msgpack",
    "tensorflow-base": "tensorflow",
    "pytables": "tables",
    "python-graphviz": "graphviz",
}
# Conda entries that are the interpreter and installer, not libraries the code can import.
_CONDA_NOT_PACKAGES = {"python", "pip"}
_CONDA_SPEC = re.compile(
    rf"""^(?:[A-Za-z0-9_./:-]+::)?(?P<name>{_NAME})
        (?:
            \s*(?P<op>==|=|>=|<=|!=|~=|>|<)\s*
            (?P<version>[A-Za-z0-9.*+!_,<>=|-]+?)(?:=(?P<build>\S+))?
          | \s+(?P<spaced>[A-Za-z0-9.*+!_-]+)(?:\s+\S+)?
        )?\s*$""",
    re.VERBOSE,
)


def canonical_name(name: str) -> str:
    """PEP 503 normalised distribution name: `PyYAML` and `pyyaml` and `py_yaml` compare equal."""
    return re.sub(r"[-_.]+", "-", name).lower()


def strip_local(version: str) -> str:
    """`2.1.0+cpu` -> `2.1.0`: local labels name builds that a package index does not serve."""
    return version.split("+", 1)[0]


@dataclass(frozen=True)
class EnvSpec:
    """What an environment file says. `pins` maps canonical names to the exact version."""

    pins: dict[str, str] = field(default_factory=dict, hash=False)
    names: tuple[str, ...] = ()  # every distribution named, as written, in file order
    python: str | None = None  # "3.10" from a conda `python=3.10.12`
    path: str | None = None
    kind: str = "pip"  # "pip" or "conda"
    # Every exact pin from the index as written, markers kept, in file order: the environment's
    # transitive versions, which `deps.constraints` renders as pip constraints.
    index_pins: tuple[ParsedRequirement, ...] = field(default=(), hash=False)
    # Pins `convert --resolve` found cannot hold in the image: (pin, why), left out of the constraints.
    refused: tuple[tuple[str, str], ...] = field(default=(), hash=False)

    @cached_property  # asked once per import: worth keeping for a freeze of hundreds of lines
    def canonical_names(self) -> frozenset[str]:
        return frozenset(canonical_name(n) for n in self.names)

    def lists(self, name: str) -> bool:
        return canonical_name(name) in self.canonical_names

    def pin(self, name: str) -> str | None:
        return self.pins.get(canonical_name(name))


@dataclass(frozen=True)
class ParsedRequirement:
    name: str
    version: str | None  # set only for an exact `==` / `===` pin (or a versioned archive URL)
    marker: str | None = None
    url: bool = False  # named by a URL or path (`name @ file://...`, `git+...`): no index serves that build
    exact: bool = True  # False for conda's `=1.2`, which means any 1.2.x


def parse_requirement(text: str) -> ParsedRequirement | None:
    """One requirement line (no comment, no option) -> name and pin; None if it is not one."""
    text = _HASH_OPTION.sub("", " " + text).strip()
    m = _REQUIREMENT.match(text)
    if not m:
        return None
    version = None
    specs = (m.group("specs") or "").strip("() ")
    if specs and "," not in specs:
        pin = _PIN.match(specs)
        if pin and "*" not in pin.group("version"):
            version = pin.group("version")
    url = m.group("url")
    if url:
        archive = _ARCHIVE_VERSION.search(url.split("#", 1)[0])
        if archive and canonical_name(archive.group("name")) == canonical_name(m.group("name")):
            version = archive.group("version")
    return ParsedRequirement(m.group("name"), version, m.group("marker"), url=bool(url))


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join backslash continuations, keeping the number of the line each one starts on."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if pending is not None:
            start, head = pending
            line, number = head + " " + line.lstrip(), start
            pending = None
        if line.endswith("\\"):
            pending = (number, line[:-1])
            continue
        out.append((number, line))
    if pending is not None:
        out.append(pending)
    return out


def from_location(location: str) -> ParsedRequirement | None:
    """A bare URL or path: the name comes from `#egg=` or from an archive's file name.

    None for a local folder (it names no distribution); ValueError for a nameless URL.
    """
    egg = _EGG.search(location)
    if egg:
        return ParsedRequirement(egg.group("name"), None, url=True)
    archive = _ARCHIVE_VERSION.search("/" + location.split("#", 1)[0].split(";", 1)[0].strip())
    if archive:
        return ParsedRequirement(archive.group("name"), archive.group("version"), url=True)
    if "://" in location:
        raise ValueError(f"URL without a distribution name: {location!r}")
    # A local project folder names no distribution that could be pinned.
    return None


def _freeze_line(line: str) -> ParsedRequirement | None:
    """A requirement, or None for lines that name no distribution. Raises ValueError."""
    line = _COMMENT.sub("", line).strip()
    if not line:
        return None
    if line.startswith("-"):
        option, _, value = line.partition(" ")
        if "=" in option and option.startswith("--"):
            option, _, value = line.partition("=")
        value = value.strip()
        if option in _EDITABLE:
            egg = _EGG.search(value)
            # An editable local folder without #egg= names no distribution we could pin.
            return ParsedRequirement(egg.group("name"), None, url=True) if egg else None
        if option in _OPTIONS_WITH_VALUE:
            if not value:
                raise ValueError(f"option {option} needs a value")
            return None
        if option in _FLAG_OPTIONS:
            return None
        raise ValueError(f"unknown option {option!r}")
    if "://" in line.split("@", 1)[0] or line.startswith(_LOCATION_STARTS):
        return from_location(line)
    req = parse_requirement(line)
    if req is None:
        raise ValueError(f"not a requirement: {line!r}")
    return req


def _index_pin(req: ParsedRequirement | None) -> ParsedRequirement | None:
    """`req` when it pins an exact version an index serves; None for URLs, paths and ranges."""
    return req if req is not None and req.version and req.exact and not req.url else None


def _add(pins: dict[str, str], names: dict[str, str], req: ParsedRequirement) -> None:
    """Record a requirement; `names` maps canonical -> as first written."""
    key = canonical_name(req.name)
    known = key in pins
    # Markers legitimately pin one name twice (one per Python); without them it is a conflict.
    if req.version and known and pins[key] != strip_local(req.version) and req.marker is None:
        raise ValueError(f"{req.name} pinned twice ({pins[key]} and {req.version})")
    if req.version and not known:
        pins[key] = strip_local(req.version)
    names.setdefault(key, req.name)


def parse_freeze(text: str, path: str = "requirements.txt") -> EnvSpec:
    """Parse `pip freeze` output (or any requirements file). Bad line -> NotebookError."""
    pins: dict[str, str] = {}
    names: dict[str, str] = {}
    index_pins: list[ParsedRequirement] = []
    for number, line in _logical_lines(text):
        try:
            req = _freeze_line(line)
            if req is not None:
                _add(pins, names, req)
                index_pins += filter(None, [_index_pin(req)])
        except ValueError as exc:
            raise EnvironmentSetupError(f"{path}: line {number}: {exc}") from None
    return EnvSpec(pins=pins, names=tuple(names.values()), path=path, kind="pip", index_pins=tuple(index_pins))


def _python_hint(op: str | None, version: str | None) -> str | None:
    if op not in ("=", "==") or not version:
        return None
    m = re.match(r"^(\d+)\.(\d+)", version)
    return f"{m.group(1)}.{m.group(2)}" if m else None


def _conda_entry(spec: str) -> tuple[ParsedRequirement | None, str | None]:
    """One conda `dependencies` string -> (requirement, python hint). Raises ValueError."""
    m = _CONDA_SPEC.match(spec.strip())
    if not m:
        raise ValueError(f"not a conda package spec: {spec!r}")
    name = m.group("name")
    op, version = m.group("op"), m.group("version")
    if m.group("spaced"):
        op, version = "=", m.group("spaced")
    if canonical_name(name) == "python":
        return None, _python_hint(op, version)
    if canonical_name(name) in _CONDA_NOT_PACKAGES:
        return None, None
    pinned = None
    # `=1.2` / `==1.2` (optionally `=build`) pin; ranges, `|` and wildcards do not.
    if op in ("=", "==") and version and re.fullmatch(r"[A-Za-z0-9.+!_-]+", version):
        pinned = version
    # conda's `=1.2` means 1.2.*: only a full X.Y.Z (what `conda env export` writes) names one release.
    exact = op == "==" or bool(pinned and re.fullmatch(r"\d+\.\d+\.\d+", pinned))
    return ParsedRequirement(_CONDA_TO_PYPI.get(canonical_name(name), name), pinned, exact=exact), None


def parse_conda(text: str, path: str = "environment.yml") -> EnvSpec:
    """Parse a conda environment yaml, `pip:` section included. Bad entry -> NotebookError."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise EnvironmentSetupError(f"{path}: line {line}: {problem}") from None
    if root is None:
        raise EnvironmentSetupError(f"{path}: line 1: empty conda environment file")
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1
        raise EnvironmentSetupError(f"{path}: line {line}: expected a mapping with `dependencies`")
    deps = next((v for k, v in root.value if k.value == "dependencies"), None)
    if deps is None:
        raise EnvironmentSetupError(f"{path}: line 1: no `dependencies` list")
    if not isinstance(deps, yaml.SequenceNode):
        line = deps.start_mark.line + 1
        raise EnvironmentSetupError(f"{path}: line {line}: `dependencies` is not a list")

    pins: dict[str, str] = {}
    names: dict[str, str] = {}
    index_pins: list[ParsedRequirement] = []
    python: str | None = None
    for node in deps.value:
        line = node.start_mark.line + 1
        try:
            if isinstance(node, yaml.ScalarNode):
                req, hint = _conda_entry(node.value)
                python = python or hint
                if req is not None:
                    _add(pins, names, req)
                    index_pins += filter(None, [_index_pin(req)])
            elif isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.value != "pip":
                        raise ValueError(f"unexpected mapping key {key.value!r}")
                    if not isinstance(value, yaml.SequenceNode):
                        raise ValueError("`pip` is not a list")
                    for item in value.value:
                        line = item.start_mark.line + 1
                        if not isinstance(item, yaml.ScalarNode):
                            raise ValueError("pip entry is not a string")
                        req = _freeze_line(item.value)
                        if req is not None:
                            _add(pins, names, req)
                            index_pins += filter(None, [_index_pin(req)])
            else:
                raise ValueError("dependency is neither a string nor `pip:`")
        except ValueError as exc:
            raise EnvironmentSetupError(f"{path}: line {line}: {exc}") from None
    return EnvSpec(
        pins=pins, names=tuple(names.values()), python=python, path=path, kind="conda", index_pins=tuple(index_pins)
    )


def load_env_file(path: str | Path) -> EnvSpec:
    """Read a requirements.txt or a conda yaml (chosen by suffix)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise EnvironmentSetupError(f"{p}: line 1: cannot read: {exc}") from None
    if p.suffix.lower() in (".yml", ".yaml"):
        return parse_conda(text, str(p))
    return parse_freeze(text, str(p))
