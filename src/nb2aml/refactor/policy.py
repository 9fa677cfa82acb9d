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

# Rewrites `--no-fix` can turn off, and what the job does instead.
OPTIONAL_FIXES: dict[str, str] = {
    "NB201": "hard-coded input paths stay literals (no data inputs)",
    "NB202": "hard-coded output paths stay literals (no outputs)",
    "NB301": "hyperparameters stay literals (no parameters)",
    "NB302": "metrics are printed as in the notebook, not logged",
    "NB501": "removed APIs are not rewritten (the job may fail on current libraries)",
    "NB502": "copy-on-write traps are not rewritten (the job may compute something else on pandas 3)",
    "NB703": "unused imports are kept",
}
# Rewrites that cannot be turned off, and why.
REQUIRED_FIXES: dict[str, str] = {
    "NB101": "stripping plots is the slice: the job keeps what it needs",
    "NB102": "stripping exploration is the slice: the job keeps what it needs",
    "NB601": "credentials never reach a file nb2aml writes",
}


@dataclass(frozen=True)
class FixPolicy:
    """Which rewrites apply: every safe one, unsafe ones with `--unsafe-fixes`, less `--no-fix`."""

    unsafe: bool = False
    disabled: frozenset[str] = frozenset()

    def applies(self, code: str, fix: Applicability = "safe") -> bool:
        if code in self.disabled:
            return False
        return fix == "safe" or (fix == "unsafe" and self.unsafe)

    def describe(self) -> tuple[str, ...]:
        """One line per rewrite turned off, for the plan and the README."""
        return tuple(f"{code} not applied (--no-fix): {OPTIONAL_FIXES[code]}" for code in sorted(self.disabled))


def no_fix_codes(values: tuple[str, ...]) -> frozenset[str]:
    """The codes of `--no-fix` (repeated or comma-separated); one clear line for a code it cannot take."""
    codes = {code.strip().upper() for value in values for code in value.split(",") if code.strip()}
    for code in sorted(codes):
        if code in REQUIRED_FIXES:
            raise ConfigError(f"--no-fix {code}: cannot be turned off ({REQUIRED_FIXES[code]})")
        if code not in OPTIONAL_FIXES:
            raise ConfigError(f"--no-fix {code}: no such rewrite (rewrites: {', '.join(sorted(OPTIONAL_FIXES))})")
    return frozenset(codes)
