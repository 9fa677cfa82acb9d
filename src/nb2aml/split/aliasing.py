"""A pipeline hands each value over as its own copy: names that share memory cannot cross a boundary.

`view = base[1:]` in one component and `view[0] = 10` in the next would change the next
component's copy of `view`, never its copy of `base`. The facts record such a mutation as a change
of every name that may share memory with the one changed; a component that loads two of them and
changes them is refused, with the cell, rather than run to a different answer.
"""

from __future__ import annotations

import ast
import re

from ..analysis import NotebookFacts
from ..analysis.astutil import root_name
from ..types import Analysis, NotebookError

_RENAMING = re.compile(r"^\s*([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*$")


def refuse_shared_mutations(analysis: Analysis, nb: NotebookFacts, components) -> None:
    """Refuse a component that changes one of two loaded values that may share memory while the
    other is read afterwards: in the pipeline that other copy keeps its old content."""
    by_id = {s.id: s for s in nb.facts.statements}
    later_reads = _later_reads(nb)
    for component in components:
        loaded = set(component.loads)
        for sid in sorted(component.own):
            statement = by_id[sid]
            crossing = statement.mutates & loaded
            if len(crossing) < 2:
                continue
            # The copy the statement changes is the one it names; the others are changed only in the
            # notebook, through shared memory. Harmless unless one of them is read again.
            diverging = crossing - _changed_directly(nb, statement)
            stale = sorted(diverging & later_reads.get(sid, frozenset()))
            if stale:
                names = " and ".join(f"`{n}`" for n in sorted(crossing)[:3])
                raise NotebookError(
                    f"{analysis.notebook.path}:cell {statement.cell}: {names} may share memory and are changed here, "
                    f"but the pipeline hands each to component {component.name!r} as its own copy, and `{stale[0]}` is "
                    "read afterwards: keep the cells that bind and change them in one component"
                )


def _later_reads(nb: NotebookFacts) -> dict[int, frozenset[str]]:
    """Kept top-level statement id -> the names kept statements after it read."""
    top = [s for s in nb.facts.statements if s.depth == 0 and s.id in nb.kept]
    found: dict[int, frozenset[str]] = {}
    seen: set[str] = set()
    for statement in reversed(top):
        found[statement.id] = frozenset(seen)
        seen |= statement.reads
    return found


def _changed_directly(nb: NotebookFacts, statement) -> frozenset[str]:
    """The names a statement changes by naming them: assignment targets and method receivers."""
    cell = next(c for c in nb.facts.notebook.cells if c.number == statement.cell)
    lines = cell.python.split("\n")[statement.pos.line - 1 : statement.end.line]
    if not lines:
        return frozenset()
    lines[-1] = lines[-1][: statement.end.col - 1] if statement.end.line > statement.pos.line else lines[-1]
    lines[0] = (
        lines[0][statement.pos.col - 1 :]
        if statement.end.line > statement.pos.line
        else lines[0][statement.pos.col - 1 : statement.end.col - 1]
    )
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return frozenset()  # cannot tell: every name counts as changed through memory
    names: set[str] = set()
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            targets = [node.func.value]
        for target in targets:
            if isinstance(target, (ast.Subscript, ast.Attribute, ast.Name)):
                root = root_name(target)
                if root:
                    names.add(root)
    return frozenset(names)


def renamings(nb: NotebookFacts) -> dict[int, tuple[str, str]]:
    """Statements that are a plain `b = a`: statement id -> (b, a)."""
    cells = {c.number: c.python.split("\n") for c in nb.facts.notebook.cells if c.kind == "code"}
    found = {}
    for statement in nb.facts.statements:
        if statement.kind == "Assign" and statement.depth == 0 and statement.pos.line == statement.end.line:
            match = _RENAMING.match(cells[statement.cell][statement.pos.line - 1])
            if match:
                found[statement.id] = (match.group(1), match.group(2))
    return found
