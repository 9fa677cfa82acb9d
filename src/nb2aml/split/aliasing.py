"""A pipeline hands each value over as its own copy: names that share memory cannot cross a boundary.

`view = base[1:]` in one component and `view[0] = 10` in the next would change the next
component's copy of `view`, never its copy of `base`. The facts record such a mutation as a change
of every name that may share memory with the one changed; a component that loads two of them and
changes them is refused, with the cell, rather than run to a different answer.
"""

from __future__ import annotations

import re

from ..analysis import NotebookFacts
from ..types import Analysis, NotebookError

_RENAMING = re.compile(r"^\s*([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*$")


def refuse_shared_mutations(analysis: Analysis, nb: NotebookFacts, components) -> None:
    by_id = {s.id: s for s in nb.facts.statements}
    for component in components:
        loaded = set(component.loads)
        for sid in sorted(component.own):
            statement = by_id[sid]
            crossing = sorted(statement.mutates & loaded)
            if len(crossing) >= 2:
                names = " and ".join(f"`{n}`" for n in crossing[:3])
                raise NotebookError(
                    f"{analysis.notebook.path}:cell {statement.cell}: {names} may share memory and are changed here, but the "
                    f"pipeline hands each to component {component.name!r} as its own copy: keep the cells that bind and change "
                    "them in one component")


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
