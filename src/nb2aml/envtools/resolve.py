"""`validate --resolve`: does each requirements file install in its image?

uv's resolver answers for the image's Python and Linux platform with binary wheels only, as the
Dockerfile's `pip install` must (its slim image has no compiler). A file that fails as a whole
is then asked about pin by pin, so that each problem is reported against its package: a name the
index does not have, a pin with no wheel for that Python, a version that does not exist; when
every pin resolves alone, the pins conflict with each other and uv's explanation is the report.
"""

from __future__ import annotations

import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import EnvironmentSetupError
from .targets import Environment, folder_environments, read_pins
from .uvtool import IndexUnreachable, index_name, is_network_failure, run_uv

PLATFORM = "x86_64-manylinux_2_28"  # Azure ML's CPU images and python:X.Y-slim: glibc x86-64
ProblemKind = Literal["not_found", "no_wheel", "no_version", "placeholder", "conflict", "overlap", "constraint"]
# Names on the index that install nothing usable: the package meant is the other one.
PLACEHOLDERS = {"sklearn": "scikit-learn"}
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
# Distributions that install the same import package: pip and uv install both, the files of the
# one installed last win, and the package is a mix of two releases (mlflow 1.20's generated
# protobuf code under mlflow-skinny 2.x's). Released in lockstep, they are safe only at one version.
SAME_PACKAGE = (("mlflow", "mlflow-skinny"),)


@dataclass(frozen=True)
class Problem:
    package: str  # the requirement as written (`sklearn==0.0`), or "" for a conflict between pins
    kind: ProblemKind
    detail: str

    def render(self) -> str:
        return f"{self.package}: {self.detail}" if self.package else self.detail


@dataclass(frozen=True)
class Resolution:
    requirements: Path
    python_version: str
    pinned: tuple[str, ...]  # the full resolution (`name==version`), when it succeeded
    problems: tuple[Problem, ...]
    platform: str = PLATFORM

    @property
    def ok(self) -> bool:
        return not self.problems


def _compile(
    requirement_lines: list[str], python_version: str, constraints: Path | None = None
) -> tuple[bool, str, str]:
    """(resolved, stdout, the cause lines of uv's error); `constraints` applied as the image's install applies them."""
    text = "\n".join(requirement_lines) + "\n"
    args = [
        "pip",
        "compile",
        "-",
        "--python-version",
        python_version,
        "--python-platform",
        PLATFORM,
        "--only-binary",
        ":all:",
        "--no-header",
        "--no-annotate",
        "--quiet",
    ]
    if constraints is not None:
        args += ["--constraint", str(constraints)]
    result = run_uv(args, input_text=text)
    if result.returncode == 0:
        return True, result.stdout, ""
    if is_network_failure(result.stderr):
        raise IndexUnreachable(
            f"the package index cannot be reached ({index_name()}): {_last_cause(result.stderr)}; nothing was resolved"
        )
    return False, result.stdout, result.stderr


def _last_cause(stderr: str) -> str:
    causes = [
        line.strip()[len("cause:") :].strip() for line in stderr.splitlines() if line.strip().startswith("cause:")
    ]
    return causes[-1] if causes else " ".join(stderr.split())[:200]


def _explanation(stderr: str) -> str:
    """uv's derivation as one line, without its `hint:` advice about building from source."""
    kept = []
    for line in stderr.splitlines():
        line = line.strip()
        if not line or line.startswith("hint:") or line.startswith("error: No solution found"):
            continue
        kept.append(line.removeprefix("cause:").strip())
    return " ".join(kept)[:600]


def _classify(pin: str, stderr: str, python_version: str) -> Problem:
    name_match = _NAME.match(pin)
    name = name_match.group(1).lower() if name_match else pin
    text = " ".join(stderr.split())
    if name in PLACEHOLDERS:
        return Problem(
            pin,
            "placeholder",
            f"{name} is not an installable package (a deprecated placeholder on the index); "
            f"write {PLACEHOLDERS[name]} instead",
        )
    if "not found in the package registry" in text:
        return Problem(pin, "not_found", f"no package named {name} on the index ({index_name()})")
    if "there is no version of" in text or "only the following versions" in text or "no versions of" in text:
        return Problem(pin, "no_version", f"no such version on the index: {_explanation(stderr)}")
    if "no usable wheels" in text or "no wheels with a matching" in text or "Python>" in text or "Python<" in text:
        return Problem(
            pin,
            "no_wheel",
            f"no wheel for Python {python_version} on {PLATFORM} "
            f"(the image installs wheels only): {_explanation(stderr)}",
        )
    return Problem(pin, "conflict", _explanation(stderr))


def resolve_environment(environment: Environment, python_version: str | None = None) -> Resolution:
    """Resolve `environment`'s requirements for its image's Python (or `python_version`)."""
    version = python_version or environment.python_version
    if version is None:
        raise EnvironmentSetupError(
            f"{environment.dockerfile}: base image {environment.base_image} does not say its Python "
            "version: nothing resolved (use a python:X.Y base image)"
        )
    return resolve_requirements(environment.requirements, version, environment.constraints)


def resolve_requirements(requirements: Path, python_version: str, constraints: Path | None = None) -> Resolution:
    pins = read_pins(requirements)
    if not pins:
        return Resolution(requirements, python_version, (), ())
    ok, stdout, stderr = _compile(pins, python_version, constraints)
    if ok:
        resolved = tuple(line.strip() for line in stdout.splitlines() if line.strip() and not line.startswith("#"))
        return Resolution(requirements, python_version, resolved, overlaps(resolved))
    if constraints is not None and requirements_resolve(pins, python_version):
        # The requirements resolve; pins of the data scientist's freeze do not hold beside them.
        refused = refused_constraints(pins, read_pins(constraints), python_version)
        problems = [
            Problem(
                f"{constraints.name}: {pin}",
                "constraint",
                f"the freeze's pin cannot hold in the image: {reason}; leave it out "
                "(`nb2aml convert --resolve` does, and says so in the file)",
            )
            for pin, reason in refused
        ]
        if not problems:
            problems = [
                Problem(
                    "",
                    "constraint",
                    f"the pins of {constraints.name} conflict with the requirements: {_explanation(stderr)}",
                )
            ]
        return Resolution(requirements, python_version, (), tuple(problems))
    constraints = None  # the requirements fail on their own: each is asked about without the freeze's pins
    # Pin by pin (a few at a time: each waits on the index, not on this machine).
    with ThreadPoolExecutor(max_workers=4) as pool:
        alone = list(pool.map(lambda pin: _compile([pin], python_version, constraints), pins))
    problems = [
        _classify(pin, err, python_version) for pin, (good, _, err) in zip(pins, alone, strict=True) if not good
    ]
    if not problems:
        problems = [Problem("", "conflict", f"the pins conflict with each other: {_explanation(stderr)}")]
    return Resolution(requirements, python_version, (), tuple(problems))


def requirements_resolve(pins: list[str], python_version: str) -> bool:
    """Whether `pins` resolve on their own for the image (no constraints)."""
    return _compile(pins, python_version)[0]


_PINNED = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]*[A-Za-z0-9])")


def _compile_constrained(pins: list[str], python_version: str, constraints: list[str]) -> tuple[bool, str, str]:
    with tempfile.TemporaryDirectory(prefix="nb2aml-constraints-") as folder:
        path = Path(folder) / "constraints.txt"
        path.write_text("".join(f"{line}\n" for line in constraints), encoding="utf-8")
        return _compile(pins, python_version, path)


def _key(pin: str) -> str:
    name, _, version = pin.partition("==")
    return f"{re.sub(r'[-_.]+', '-', name.strip()).lower()}=={version.strip()}"


def refused_constraints(
    pins: list[str], constraints: list[str], python_version: str, rounds: int = 12
) -> list[tuple[str, str]]:
    """The constraints that cannot hold beside `pins` (which resolve alone) for the image, each with uv's reason.

    uv names the packages of the conflict it found; of the constraints named, the one that fails beside the
    requirements alone cannot hold whatever else is pinned (a version without a wheel for the image, or one
    a requirement excludes). Failing that, the named constraint whose removal lets the rest resolve. Then
    again, until the rest resolves (at most `rounds` times).
    """
    remaining = list(constraints)
    refused: list[tuple[str, str]] = []
    for _ in range(rounds):
        ok, _, stderr = _compile_constrained(pins, python_version, remaining)
        if ok:
            break
        named = {_key(f"{m.group(1)}=={m.group(2)}") for m in _PINNED.finditer(stderr)}
        mentioned = [c for c in remaining if _key(c) in named]
        if not mentioned:
            break
        with ThreadPoolExecutor(max_workers=4) as pool:
            alone = list(pool.map(lambda c: _compile_constrained(pins, python_version, [c]), mentioned))
        culprits = [
            (c, _explanation(err).rstrip(".")) for c, (good, _, err) in zip(mentioned, alone, strict=True) if not good
        ]
        if not culprits:
            for candidate in reversed(mentioned):
                if _compile_constrained(pins, python_version, [c for c in remaining if c != candidate])[0]:
                    culprits = [(candidate, _explanation(stderr).rstrip("."))]
                    break
        if not culprits:
            break
        refused += culprits
        remaining = [c for c in remaining if c not in {pin for pin, _ in culprits}]
    return refused


def resolve_folder(folder: Path) -> list[Resolution]:
    """Every requirements file of an emitted folder, each resolved once for its image's Python."""
    seen: dict[tuple[Path, str | None, Path | None], Resolution] = {}
    for environment in folder_environments(folder):
        key = (environment.requirements, environment.python_version, environment.constraints)
        if key not in seen:
            seen[key] = resolve_environment(environment)
    return list(seen.values())


def overlaps(resolved: tuple[str, ...]) -> tuple[Problem, ...]:
    """Two distributions of one import package resolved at different versions (see SAME_PACKAGE)."""
    versions = {}
    for line in resolved:
        name, _, version = line.partition("==")
        versions[name.strip().lower().replace("_", "-")] = version.strip()
    problems = []
    for group in SAME_PACKAGE:
        present = [(name, versions[name]) for name in group if name in versions]
        if len({version for _, version in present}) > 1:
            first, *others = present
            listed = " and ".join(f"{name}=={version}" for name, version in present)
            detail = (
                f"resolves to {listed}, which install the same `{group[0]}` package: the one installed last "
                f"overwrites the other's files; pin {', '.join(n for n, _ in others)}=={first[1]} too"
            )
            problems.append(Problem(f"{first[0]}=={first[1]}", "overlap", detail))
    return tuple(problems)
