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
from .cell import GUARD_RECORDER, CellEdits, Change, ChangeKind, MetricEdit, apply_cell_edits, simple_statement
from .edits import (
    PATH_LITERALS,
    REWRITES,
    RewriteScope,
    alias_of,
    apply_rewrites,
    merge_cell_edits,
    path_below,
    path_replacement,
)
from .interface import kept_interface
from .policy import FixPolicy
from .printed_metrics import printed_metric_edits, printed_metric_keys

RECORD = "__nb2aml_record__"
# The registry's rewrites the notebook's own run gets: what it needs to run on today's libraries.
BASELINE_FIXES: tuple[ChangeKind, ...] = ("NB501", "NB502")
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
    # The notebook's own modules with NB501's fixes, as the job ships them (path -> text); empty when
    # no fix applies. The runner puts them first on sys.path: the user's files are never changed.
    modules: tuple[tuple[str, str], ...] = ()


def baseline_cells(
    analysis: Analysis, nb: NotebookFacts, output_dirs: dict[str, str], unsafe_fixes: bool = False
) -> Baseline:
    facts = nb.facts
    changes: list[Change] = []
    edits: dict[int, CellEdits] = {}
    pandas_alias = alias_of(facts, "pandas")
    policy = FixPolicy(unsafe=unsafe_fixes)
    everything = frozenset(s.id for s in facts.statements if s.depth == 0)
    fixes = apply_rewrites(
        analysis,
        RewriteScope(nb, everything, unsafe_fixes=unsafe_fixes),
        [REWRITES[code] for code in BASELINE_FIXES if policy.applies(code, REWRITES[code].applicability)],
    )
    changes.extend(fixes.changes)
    for number, cell_edit in fixes.cells.items():
        merge_cell_edits(edits, number, cell_edit)
    # A fix calling `pd.concat` in a notebook that never imported pandas under that name.
    pandas_import = f"pandas as {pandas_alias or 'pd'}"
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
            below = path_below(literal, asset.path)
            path = target if literal == asset.path or (use and use.folder) else f"{target}/{below}"
            merge_cell_edits(
                edits,
                pos.cell,
                CellEdits(replace={(pos.line, pos.col): (PATH_LITERALS, path_replacement(literal, path))}),
            )
    printed, covered = printed_metric_edits(analysis, nb, None, False, changes, record=RECORD)
    for number, cell_edit in printed.items():
        merge_cell_edits(edits, number, cell_edit)
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
    for number, guard in stripped_statements(analysis, nb).items():
        merge_cell_edits(edits, number, CellEdits(guard=guard))
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
        needs_pandas_as=(pandas_alias or "pd") if pandas_import in fixes.imports else None,
        imports=tuple(sorted(fixes.imports - {pandas_import})),
        kept_metrics=kept_metrics(analysis, nb),
        modules=fixed_local_modules(analysis, nb, policy),
    )


def fixed_local_modules(analysis: Analysis, nb: NotebookFacts, policy: FixPolicy) -> tuple[tuple[str, str], ...]:
    """Every local module the notebook imports (relative path, text), with the fixes the job's copies get,
    when at least one changes: all of them, so a fixed copy inside a package does not hide its siblings."""
    from ..analysis.local_modules import shipped_files
    from .module_fixes import fix_shipped_modules

    imports = []
    for s in nb.facts.statements:
        for _, qual in s.imports:
            if not qual.startswith("."):
                imports += [qual, qual.rsplit(".", 1)[0]] if s.kind == "ImportFrom" else [qual]
    files, _ = shipped_files(analysis.notebook, list(dict.fromkeys(imports)))
    if not files:
        return ()
    fixed, changes = fix_shipped_modules(files, nb.facts, nb.versions, policy)
    if not changes:
        return ()
    return tuple((path.removeprefix("src/"), text) for path, text in sorted(fixed.items()))


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
