"""Rewrites of the job's world: shell steps the job runs, and paths the user named with `--input`.

A shell escape that makes files later cells read (`!cp a b`, `!unzip data.zip -d data`, `!mkdir -p d`)
reaches the analysis as its pure-Python equivalent on the magic's own line, with the imports it needs
before it (`import shutil; shutil.unpack_archive('data.zip', 'data')`, see `analysis.shell_steps`):
the analysis sees what it reads (an input) and writes (a file later reads see), and the slice keeps
it. Here its imports move to the script's preamble, so the step reads as one line where the magic was.

A working-folder call the user named (`--input workdir=.` for `os.getcwd()`) is replaced by the
folder argument; a string literal named that way is replaced by the NB201 rewrite like any input.

Both return plain cell edits and changes: `edits` wraps them into its registry.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from ..analysis import NotebookFacts
from ..analysis.named_inputs import NAMED_INPUT_CALL, unresolved_sites
from ..analysis.shell_steps import SHELL_STEP_MODULES, shell_steps
from ..types import Analysis, Position
from .cell import CellEdits, Change

Span = tuple[Position, Position]


def _inside(pos: Position, spans: list[Span]) -> bool:
    return any(start <= pos <= end for start, end in spans)


def shell_step_edits(
    analysis: Analysis, nb: NotebookFacts, spans: list[Span]
) -> tuple[dict[int, CellEdits], tuple[Change, ...], frozenset[str]]:
    """(cell edits, changes, preamble imports): each kept shell step loses its inline imports."""
    statements = {(s.cell, s.pos.line, s.pos.col): s for s in nb.facts.statements if s.depth == 0}
    cells: dict[int, CellEdits] = {}
    changes = []
    imports: set[str] = set()
    for step in shell_steps(analysis.notebook):
        pos = Position(step.cell, step.line, step.call_col)
        if not _inside(pos, spans):
            continue
        removed = set()
        for col in step.import_cols:
            statement = statements.get((step.cell, step.line, col))
            if statement is not None and set(dict(statement.imports).values()) <= SHELL_STEP_MODULES:
                removed.add((step.line, col))
        imports |= set(step.modules)
        edit = CellEdits(remove=frozenset(removed))
        cells[step.cell] = edit if step.cell not in cells else _with_removed(cells[step.cell], removed)
        changes.append(Change("shell_step", step.cell, f"`{step.magic}` at line {step.line} -> {step.summary}"))
    return cells, tuple(changes), frozenset(imports)


def _with_removed(edit: CellEdits, removed: set) -> CellEdits:
    return CellEdits(remove=edit.remove | frozenset(removed))


def named_input_edits(
    analysis: Analysis, nb: NotebookFacts, spans: list[Span], args_name: str
) -> tuple[dict[int, CellEdits], tuple[Change, ...], frozenset[str]]:
    """(cell edits, changes, preamble imports): each working-folder call a `--input` names becomes its argument."""
    sites = {s.pos: s for s in unresolved_sites(nb) if s.kind == "cwd_root" and s.replacement}
    cells: dict[int, CellEdits] = {}
    changes = []
    imports: set[str] = set()
    for asset in analysis.inputs:
        if NAMED_INPUT_CALL not in asset.calls:
            continue
        for pos in asset.uses:
            site = sites.get(pos)
            if site is None or site.replacement is None or not _inside(pos, spans):
                continue
            text = site.replacement.format(arg=f"{args_name}.{asset.name}")
            if text.startswith("os."):
                imports.add("os")
            key = (pos.line, pos.col)
            cells.setdefault(pos.cell, CellEdits(calls={}))
            cells[pos.cell].calls[key] = _replace_call(site.text, cst.parse_expression(text))
            changes.append(Change("named_input", pos.cell, f"`{site.text}` -> {text} (--input {asset.name})"))
    return cells, tuple(changes), frozenset(imports)


def _replace_call(original: str, replacement: cst.BaseExpression) -> Callable[[cst.Call], cst.BaseExpression]:
    """Several calls start at one place (`Path().absolute()` and `Path()`): replace the one written `original`."""
    empty = cst.Module(body=[])

    def rewrite(node: cst.Call) -> cst.BaseExpression:
        return replacement if empty.code_for_node(node) == original else node

    return rewrite
