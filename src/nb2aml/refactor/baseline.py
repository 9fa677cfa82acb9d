"""The notebook's own code, made runnable here for `verify`: nothing stripped or parameterized.

Only what must change does: safe autofixes (a notebook calling `DataFrame.append` does not run
on pandas 2), output paths redirected to folders `verify` compares, and each metric recorded at
the point where the converted script logs it.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..analysis import NotebookFacts
from ..analysis import knowledge as K
from ..analysis.assets import is_remote
from ..types import Analysis
from .cell import CellEdits, MetricEdit, apply_cell_edits
from .fixes import removed_api_edits
from .interface import kept_interface
from .script import _PATH_LITERALS, Change, _alias_of, _merge, path_replacement

RECORD = "__nb2aml_record__"


@dataclass(frozen=True)
class BaselineCell:
    cell: int
    code: str


@dataclass(frozen=True)
class Baseline:
    cells: tuple[BaselineCell, ...]
    fixes: tuple[str, ...]
    needs_pandas_as: str | None  # the fix uses `pd.concat` but the notebook never imported pandas as that


def baseline_cells(analysis: Analysis, nb: NotebookFacts, output_dirs: dict[str, str]) -> Baseline:
    facts = nb.facts
    changes: list[Change] = []
    edits: dict[int, CellEdits] = {}
    pandas_alias = _alias_of(facts, "pandas")
    fix_edits, needs_pandas = removed_api_edits(analysis.fixable, facts, pandas_alias or "pd", False, changes)
    for cell, cell_edit in fix_edits.items():
        _merge(edits, cell, cell_edit)
    uses = {}
    for _, use in facts.paths:
        uses.setdefault(use.literal_pos, use)
    for asset in analysis.outputs:
        if is_remote(asset.path) or asset.name not in output_dirs:
            continue
        target = output_dirs[asset.name]
        for pos in asset.uses:
            use = uses.get(pos)
            literal = use.literal_value if use else asset.path
            path = target if literal == asset.path or (use and (use.folder or use.variable)) else f"{target}/{literal.rsplit('/', 1)[-1]}"
            _merge(edits, pos.cell, CellEdits(replace={(pos.line, pos.col): (_PATH_LITERALS, path_replacement(literal, path))}))
    # Recorded where the job logs them: the metrics its kept code computes.
    for index, metric in enumerate(kept_interface(analysis, nb, nb.kept).metrics):
        if metric.logged:
            continue  # the notebook logs it itself, under its own name: `verify` reads it from MLflow
        pos = metric.pos
        reduce = K.FOLD_METRICS.get(metric.function)
        edit = (MetricEdit(metric.name, metric.variable, hoist=False) if metric.variable
                else MetricEdit(metric.name, f"__nb2aml_metric_{index}", reduce=reduce, end=metric.end and (metric.end.line, metric.end.col)))
        _merge(edits, pos.cell, CellEdits(metrics={(pos.line, pos.col): edit}))
    cells = []
    broken = {cell for cell, _, _ in facts.parse_errors}
    for cell in analysis.notebook.cells:
        if cell.kind != "code" or cell.foreign or not cell.python.strip() or cell.number in broken:
            continue
        module = apply_cell_edits(cst.parse_module(cell.python), edits.get(cell.number, CellEdits()), _record)
        cells.append(BaselineCell(cell.number, module.code))
    return Baseline(cells=tuple(cells), fixes=tuple(c.description for c in changes),
                    needs_pandas_as=(pandas_alias or "pd") if needs_pandas and pandas_alias is None else None)


def _record(name: str, variable: str) -> cst.SimpleStatementLine:
    return cst.parse_statement(f"{RECORD}({name!r}, {variable})")
