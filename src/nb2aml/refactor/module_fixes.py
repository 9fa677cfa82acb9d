"""NB501's fixes applied to the shipped copies of the notebook's own modules (never to the user's files).

`shipped_files` copies `helper.py` into the job's `src/`; a removed API there fails the job as it
would in a cell, so the copy gets the same rewrites the script gets, under the same policy (safe
ones, unsafe ones with `--unsafe-fixes`, none with `--no-fix NB501`). Rewrites that add an import
or name `pd` (`pd.concat`, a `StandardScaler` pipeline) are left to the data scientist: the module
may not import what they need.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..analysis.api_uses import ApiUse, shipped_module_api_uses
from ..analysis.catalogue import by_key
from ..analysis.versions import LibraryVersions
from ..rules.nb501_removed_api import RemovedApi, removed_api_finding
from ..types import Facts
from .cell import Change, apply_cell_edits
from .fixes import removed_api_edits
from .policy import FixPolicy

# Rewrites that need a name the module may not bind (`pd`, `sklearn.pipeline`).
_NEEDS_IMPORTS = frozenset({"concat", "scaled_pipeline", "one_vs_rest"})


def fix_shipped_modules(
    files: dict[str, str], facts: Facts, versions: LibraryVersions, policy: FixPolicy
) -> tuple[dict[str, str], tuple[Change, ...]]:
    """(`files` with the allowed fixes applied to each shipped module `src/...`, one change per fix,
    named by the cell that imports the module: `sklearn.externals.six -> import six at line 1 of
    src/helper.py`)."""
    if not policy.applies("NB501", "safe"):
        return files, ()
    rule, entries = RemovedApi(), by_key()
    by_file: dict[str, list[ApiUse]] = {}
    for use in shipped_module_api_uses(facts):
        if entries[use.key].rewrite not in _NEEDS_IMPORTS:
            by_file.setdefault(f"src/{use.pos.file}", []).append(use)
    fixed = dict(files)
    applied: list[Change] = []
    for path, uses in by_file.items():
        if path not in files:
            continue  # not shipped with this job or step
        findings = [f for u in uses if (f := removed_api_finding(rule, entries[u.key], u, versions)) is not None]
        changes: list[Change] = []
        edits = removed_api_edits(findings, None, "pd", policy.unsafe, changes, uses=tuple(uses))
        module = cst.parse_module(files[path])
        for cell_edits in edits.edits.values():  # by the importing cell: each applies to this file only
            module = apply_cell_edits(module, cell_edits, lambda _name, _value: None)
        fixed[path] = module.code
        applied += [replace(change, description=f"{change.description} of {path}") for change in changes]
    return fixed, tuple(applied)
