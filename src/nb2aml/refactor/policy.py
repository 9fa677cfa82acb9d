"""One policy for which rewrites `convert` and `split` apply.

Rule selection (`--select`, `--ignore`, `[tool.nb2aml]`, `# nb2aml: ignore[...]`) changes what is
reported, never what is rewritten: the rewrites a runnable job needs (`DataFrame.append` ->
`pd.concat` on pandas 2) act on every rule's findings. Only an explicit `--no-fix CODE` turns a
rewrite off, and only a rewrite whose absence still gives a job: stripping is the slice (what is
kept is what the job needs) and credentials never reach a file, so those cannot be turned off.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError
from ..types import Applicability
from .edits import REWRITES, Rewrite

# Rewrites `--no-fix` can turn off, and what the job does instead; those it cannot, and why.
OPTIONAL_FIXES: dict[str, str] = {r.kind: r.why for r in REWRITES.values() if not r.required}
REQUIRED_FIXES: dict[str, str] = {r.kind: r.why for r in REWRITES.values() if r.required and r.kind.startswith("NB")}


@dataclass(frozen=True)
class FixPolicy:
    """Which rewrites apply: every safe one, unsafe ones with `--unsafe-fixes`, less `--no-fix`."""

    unsafe: bool = False
    disabled: frozenset[str] = frozenset()

    def applies(self, code: str, fix: Applicability = "safe") -> bool:
        if code in self.disabled and code not in REQUIRED_FIXES:
            return False
        return fix == "safe" or (fix == "unsafe" and self.unsafe)

    def rewrites(self) -> tuple[Rewrite, ...]:
        """The rewrites a script gets, in the registry's order; rule selection has no say in it."""
        return tuple(r for r in REWRITES.values() if r.required or self.applies(r.kind, r.applicability))

    def describe(self) -> tuple[str, ...]:
        """One line per rewrite turned off, for the plan and the README."""
        return tuple(
            f"{code} not applied (--no-fix): {OPTIONAL_FIXES[code]}"
            for code in sorted(self.disabled)
            if code in OPTIONAL_FIXES
        )


def no_fix_codes(values: tuple[str, ...]) -> frozenset[str]:
    """The codes of `--no-fix` (repeated or comma-separated); one clear line for a code it cannot take."""
    codes = {code.strip().upper() for value in values for code in value.split(",") if code.strip()}
    for code in sorted(codes):
        if code in REQUIRED_FIXES:
            raise ConfigError(f"--no-fix {code}: cannot be turned off ({REQUIRED_FIXES[code]})")
        if code not in OPTIONAL_FIXES:
            raise ConfigError(f"--no-fix {code}: no such rewrite (rewrites: {', '.join(sorted(OPTIONAL_FIXES))})")
    return frozenset(codes)
