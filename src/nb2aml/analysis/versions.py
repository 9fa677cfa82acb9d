"""The library versions a notebook's code meets: the data scientist's pins and the ones installed here.

The job runs in two places: on Azure ML with the environment nb2aml writes (the data scientist's
pinned versions) and here, with `nb2aml run` and `nb2aml verify` (the installed versions). NB501
checks every removed or changed API against both; see `Verdict` for the policy.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from packaging.version import InvalidVersion, Version

Where = Literal["pinned", "here"]

# The newest release nb2aml knows of each library it has a catalogue for: what a library that is
# not installed here is taken to be (the job's environment would install a current release).
LATEST = {
    "pandas": "3.0",
    "numpy": "2.3",
    "scikit-learn": "1.8",
    "matplotlib": "3.10",
    "seaborn": "0.13.2",
    "xgboost": "3.0",
    "lightgbm": "4.6",
    "statsmodels": "0.14.4",
}


@cache
def installed_version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def parse(version: str | None) -> Version | None:
    if version is None:
        return None
    try:
        return Version(version)
    except InvalidVersion:
        return None


@dataclass(frozen=True)
class LibraryVersions:
    """`pins`: distribution -> version from the data scientist's freeze (canonical names)."""

    pins: dict = field(default_factory=dict, hash=False, compare=False)
    source: str | None = None  # the freeze or conda file the pins come from

    def pinned(self, distribution: str) -> str | None:
        return self.pins.get(distribution)

    def here(self, distribution: str) -> str | None:
        return installed_version(distribution)

    def here_or_latest(self, distribution: str) -> str | None:
        return installed_version(distribution) or LATEST.get(distribution)

    @classmethod
    def from_env(cls, env) -> LibraryVersions:
        """From a `deps.envfile.EnvSpec` (or None: nothing pinned)."""
        if env is None:
            return cls()
        return cls(pins=dict(env.pins), source=env.path)


@dataclass(frozen=True)
class Verdict:
    """Where an API is gone. Policy: an entry is reported when the API is removed in the pinned
    version or in the version here (an unknown version counts as the newest: removed). The
    message says which. A rewrite is safe only when its replacement exists in both versions, so
    the fixed job still runs on the pinned environment; otherwise the fix needs --unsafe-fixes."""

    removed_pinned: bool
    removed_here: bool
    replacement_everywhere: bool
    pinned: str | None
    here: str | None
    deprecated_here: bool = False

    @property
    def reported(self) -> bool:
        return self.removed_pinned or self.removed_here

    def words(self, library: str, removed_in: str, verb: str = "removed") -> str:
        """`removed in pandas 2.0 (pinned 1.3.3, 3.1.1 here)`, or which of the two is affected."""
        known = ", ".join(
            w for w in (f"pinned {self.pinned}" if self.pinned else "", f"{self.here} here" if self.here else "") if w
        )
        head = f"{verb} in {library} {removed_in}"
        if self.pinned is None or self.removed_pinned == self.removed_here:
            return head + (f" ({known})" if known else "")
        if self.removed_here:
            here = self.here or "a current environment installs"
            return f"{head}: your pinned {self.pinned} still has it, the {library} {here} here does not"
        return f"{head}: your pinned {self.pinned} no longer has it, the {library} {self.here} here does"


def verdict(
    versions: LibraryVersions,
    library: str,
    removed_in: str,
    replacement_since: str | None,
    deprecated_in: str | None = None,
    restored_in: str | None = None,
) -> Verdict:
    pinned, here = versions.pinned(library), versions.here(library)
    pinned_v, here_v = parse(pinned), parse(here or versions.here_or_latest(library))
    removed, restored = Version(removed_in), parse(restored_in)

    def gone(version: Version | None) -> bool:
        # Nothing installed here and no release known: the job's environment installs a current one.
        return version is None or (version >= removed and (restored is None or version < restored))

    removed_pinned = pinned_v is not None and gone(pinned_v)
    removed_here = gone(here_v)
    deprecated = parse(deprecated_in)
    deprecated_here = deprecated is not None and (here_v is None or here_v >= deprecated)
    since = parse(replacement_since)
    everywhere = since is None or all(v is None or v >= since for v in (pinned_v, here_v))
    return Verdict(removed_pinned, removed_here, everywhere, pinned, here, deprecated_here)
