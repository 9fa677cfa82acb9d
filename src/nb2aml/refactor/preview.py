"""One rule's rewrite applied to a notebook's own cells: what its fix does, for rule examples and docs.

Nothing else changes: no argparse preamble, no other rule's rewrite, so the result shows exactly
what the rewrite registered under that code writes (a rule's `InvalidExample.fixed`).
"""

from __future__ import annotations

import libcst as cst

from ..analysis import NotebookFacts
from ..naming import UniqueNames
from ..types import Analysis
from .cell import CellEdits, apply_cell_edits
from .edits import REWRITES, RewriteScope, apply_rewrites
from .interface import kept_interface
from .mlflow_logging import log_call


def _logged_metric(name: str, variable: str) -> cst.SimpleStatementLine:
    statement = cst.parse_statement(log_call("log_metric", name, variable, None))
    assert isinstance(statement, cst.SimpleStatementLine)  # one call on one line
    return statement


def fixed_code(analysis: Analysis, nb: NotebookFacts, code: str) -> str | None:
    """The notebook's code cells after the rewrite of `code` (None: the registry has none for it)."""
    rewrite = REWRITES.get(code)  # type: ignore[call-overload]
    if rewrite is None:
        return None
    analysis = kept_interface(analysis, nb, nb.kept)
    used: set[str] = set()
    for s in nb.facts.statements:
        used |= s.defines | s.reads
    scope = RewriteScope(nb, nb.kept, "args" if "args" not in used else "job_args", UniqueNames(used))
    edits = apply_rewrites(analysis, scope, (rewrite,)).cells
    broken = {cell for cell, _, _ in nb.facts.parse_errors}
    cells = []
    for cell in analysis.notebook.cells:
        if cell.kind != "code" or cell.foreign or cell.number in broken:
            continue
        module = apply_cell_edits(cst.parse_module(cell.python), edits.get(cell.number, CellEdits()), _logged_metric)
        cells.append(module.code.strip("\n"))
    if len(cells) == 1:
        return cells[0] + "\n"
    return "".join(f"# %%\n{text}\n" if text else "# %%\n" for text in cells)
