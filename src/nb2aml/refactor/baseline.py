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
from ..analysis.magics import runnable_python
from ..types import Analysis
from .cell import GUARD_RECORDER, CellEdits, Change, MetricEdit, apply_cell_edits, simple_statement
from .edits import PATH_LITERALS, alias_of, merge_cell_edits, path_replacement
from .fixes import removed_api_edits
from .interface import kept_interface
from .printed_metrics import printed_metric_edits, printed_metric_keys

RECORD = "__nb2aml_record__"
# A context manager the baseline runner defines: what a stripped statement prints is not the job's to print.
STRIPPED_OUTPUT = "__nb2aml_stripped__"


@dataclass(frozen=True)
class BaselineCell:
    cell: int
    code: str


@dataclass(frozen=True)
class Baseline:
    cells: tuple[BaselineCell, ...]
    fixes: tuple[str, ...]
    needs_pandas_as: str | None  # the fix uses `pd.concat` but the notebook never imported pandas as that
    imports: tuple[str, ...] = ()  # modules a fix names in full
    kept_metrics: tuple[str, ...] = ()  # metrics the job computes too: only these are compared


def baseline_cells(
    analysis: Analysis, nb: NotebookFacts, output_dirs: dict[str, str], unsafe_fixes: bool = False
) -> Baseline:
    facts = nb.facts
    changes: list[Change] = []
    edits: dict[int, CellEdits] = {}
    pandas_alias = alias_of(facts, "pandas")
    fixes = removed_api_edits(analysis.fixable, facts, pandas_alias or "pd", unsafe_fixes, changes)
    needs_pandas = fixes.needs_pandas
    for cell, cell_edit in fixes.edits.items():
        merge_cell_edits(edits, cell, cell_edit)
    uses: dict = {}
    for _, path_use in facts.paths:
        uses.setdefault(path_use.literal_pos, path_use)
    for asset in analysis.outputs:
        if is_remote(asset.path) or asset.name not in output_dirs:
            continue
        target = output_dirs[asset.name]
        for pos in asset.uses:
            use = uses.get(pos)
            literal = use.literal_value if use else asset.path
            path = target if literal == asset.path or (use and use.folder) else f"{target}/{literal.rsplit('/', 1)[-1]}"
            merge_cell_edits(
                edits,
                pos.cell,
                CellEdits(replace={(pos.line, pos.col): (PATH_LITERALS, path_replacement(literal, path))}),
            )
    printed, covered = printed_metric_edits(analysis, nb, None, False, changes, record=RECORD)
    for cell, cell_edit in printed.items():
        merge_cell_edits(edits, cell, cell_edit)
    # Recorded where the job logs them: the metrics its kept code computes.
    for index, metric in enumerate(kept_interface(analysis, nb, nb.kept).metrics):
        if metric.pos in covered:
            continue
        if metric.logged:
            continue  # the notebook logs it itself, under its own name: `verify` reads it from MLflow
        pos = metric.pos
        reduce = K.FOLD_METRICS.get(metric.function)
        edit = (
            MetricEdit(metric.name, metric.variable, hoist=False)
            if metric.variable
            else MetricEdit(
                metric.name,
                f"__nb2aml_metric_{index}",
                reduce=reduce,
                end=(metric.end.line, metric.end.col) if metric.end else None,
            )
        )
        merge_cell_edits(edits, pos.cell, CellEdits(metrics={(pos.line, pos.col): edit}))
    for cell, guard in stripped_statements(analysis, nb).items():
        merge_cell_edits(edits, cell, CellEdits(guard=guard))
    cells = []
    broken = {cell for cell, _, _ in facts.parse_errors}
    for cell in analysis.notebook.cells:
        if cell.kind == "code" and cell.foreign and runnable_python(cell):
            cells.append(BaselineCell(cell.number, runnable_python(cell)))  # `%%writefile`: the file is made here too
            continue
        if cell.kind != "code" or cell.foreign or not cell.python.strip() or cell.number in broken:
            continue
        module = apply_cell_edits(cst.parse_module(runnable_python(cell)), edits.get(cell.number, CellEdits()), _record)
        cells.append(BaselineCell(cell.number, module.visit(_StrippedOutput()).code))
    return Baseline(
        cells=tuple(cells),
        fixes=tuple(c.description for c in changes),
        needs_pandas_as=(pandas_alias or "pd") if needs_pandas and pandas_alias is None else None,
        imports=fixes.imports,
        kept_metrics=kept_metrics(analysis, nb),
    )


def _stripped(nb: NotebookFacts):
    return [
        s
        for s in nb.facts.statements
        if ((s.depth == 0 and s.id not in nb.kept) or s.id in nb.removed_nested)
        and s.role != "magic"
        and not any(qual.startswith("__future__") for _, qual in s.imports)
    ]


def stripped_statements(analysis: Analysis, nb: NotebookFacts) -> dict[int, dict]:
    """Cell -> guard edits: each statement the job strips runs guarded, its failure recorded, not fatal."""
    guards: dict[int, dict] = {}
    cells = {cell.number: cell.python.split("\n") for cell in analysis.notebook.cells}
    for s in _stripped(nb):
        line = cells[s.cell][s.pos.line - 1] if s.pos.line <= len(cells[s.cell]) else ""
        text = " ".join(line[s.pos.col - 1 :].split())
        guards.setdefault(s.cell, {})[(s.pos.line, s.pos.col)] = (
            s.pos.line,
            text if len(text) <= 60 else text[:57] + "...",
        )
    return guards


def kept_metrics(analysis: Analysis, nb: NotebookFacts) -> tuple[str, ...]:
    """The metrics computed by statements the job keeps: a metric only stripped code computes is not the job's."""
    kept = [(s.pos, s.end) for s in nb.facts.statements if s.depth == 0 and s.id in nb.kept]
    removed = [(s.pos, s.end) for s in _stripped(nb) if s.depth > 0]
    computed = [
        m.name
        for m in analysis.metrics
        if any(a <= m.pos <= b for a, b in kept) and not any(a <= m.pos <= b for a, b in removed)
    ]
    # A metric the kept code prints is logged by the job under its printed label: compared too.
    return tuple(dict.fromkeys([*computed, *printed_metric_keys(analysis, nb, kept)]))


def _record(name: str, variable: str) -> cst.SimpleStatementLine:
    return simple_statement(f"{RECORD}({name!r}, {variable})")


class _StrippedOutput(cst.CSTTransformer):
    """`try: <stripped> except ...: __nb2aml_skipped__(...)` -> the same with its body inside
    `with __nb2aml_stripped__():`, so that the runner tells what kept statements print (the job prints
    it too) from what stripped ones print (the job does not)."""

    def leave_Try(self, original: cst.Try, updated: cst.Try) -> cst.Try:
        if not any(_calls_guard_recorder(handler) for handler in updated.handlers):
            return updated
        if not isinstance(updated.body, cst.IndentedBlock):
            return updated  # `try: x` on one line: never what `guarded` writes
        block = cst.With(
            items=[cst.WithItem(cst.Call(cst.Name(STRIPPED_OUTPUT)))],
            body=cst.IndentedBlock(body=updated.body.body),
        )
        return updated.with_changes(body=updated.body.with_changes(body=[block]))


def _calls_guard_recorder(handler: cst.ExceptHandler) -> bool:
    found = False

    class Finder(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            nonlocal found
            found = found or node.value == GUARD_RECORDER

    handler.body.visit(Finder())
    return found
