"""The backward slice: which statements the script must keep.

Roots are statements with effects (writing files, printing, calls whose effects are unknown).
A statement is kept when a kept statement reads or mutates a name it defines or mutates, so an
in-place `df.dropna(inplace=True)` is kept whenever a later kept statement reads `df`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..types import CellPlan, Facts, Notebook, Statement
from . import knowledge as K

# Process-wide state (the current figure, the global random generators) is followed like a name
# that every statement touching it reads and advances; the prefix keeps it apart from real names.
STATE_PREFIX = "<state>:"
_CONDITIONAL = frozenset({"If", "For", "AsyncFor", "While", "Try", "TryStar", "With", "AsyncWith", "Match"})


def advance(reaching: dict[str, list[int]], statement: Statement) -> None:
    """Update the definitions that reach the next statement: a rebinding replaces them (unless it
    may not run: inside an `if`, a loop, a `try`), a mutation adds to them."""
    for name in statement.defines - statement.mutates:
        if statement.kind in _CONDITIONAL:
            reaching.setdefault(name, []).append(statement.id)
        else:
            reaching[name] = [statement.id]
    for name in statement.mutates:
        reaching.setdefault(name, []).append(statement.id)
    for state in statement.state:
        reaching.setdefault(STATE_PREFIX + state, []).append(statement.id)


def backward_slice(facts: Facts, *, strip_prints: bool = False) -> tuple[frozenset[int], frozenset[int]]:
    """Return (kept top-level statement ids, nested statement ids to remove inside kept ones)."""
    top = [s for s in facts.statements if s.depth == 0]
    modules = imported_modules(facts)
    reaching: dict[str, list[int]] = {}
    deps: dict[int, set[int]] = {}
    roots: list[int] = []
    for statement in top:
        needed: set[int] = set()
        for name in statement.reads | statement.mutates:
            needed.update(reaching.get(name, ()))
        for state in statement.state:
            needed.update(reaching.get(STATE_PREFIX + state, ()))
        deps[statement.id] = needed
        advance(reaching, statement)
        # An import is a root only when it is a star import (see `Collector._statement`).
        if statement.role in ("code", "import") and (
            _is_root(statement, strip_prints) or assigns_into_module(statement, modules)
        ):
            roots.append(statement.id)
    kept: set[int] = set()
    stack = list(roots)
    while stack:
        sid = stack.pop()
        if sid in kept:
            continue
        kept.add(sid)
        stack.extend(deps[sid] - kept)
    removed_nested = _nested_removals(facts, kept)
    return frozenset(kept), removed_nested


def imported_modules(facts: Facts) -> frozenset[str]:
    """Names `import x` / `import x as y` bind to a module (plotting modules aside: stripped anyway)."""
    return frozenset(
        name
        for s in facts.statements
        if s.depth == 0 and s.kind == "Import"
        for name, qual in s.imports
        if not qual.startswith(K.PLOT_MODULES)
    )


def assigns_into_module(statement: Statement, modules: frozenset[str]) -> bool:
    """`pd.options.display.precision = 3`, `os.environ["X"] = "1"`: an assignment that binds no name but
    changes a module, so what every later statement does (a call on a module, `requests.get(...)`, is not one)."""
    return (
        statement.kind in ("Assign", "AugAssign", "AnnAssign")
        and not statement.defines
        and bool(statement.mutates & modules)
    )


def _is_root(statement: Statement, strip_prints: bool) -> bool:
    if not statement.effects:
        return False
    return not (strip_prints and statement.prints and statement.kind == "Expr")


def _nested_removals(facts: Facts, kept: set[int]) -> frozenset[int]:
    by_id = {s.id: s for s in facts.statements}
    live_reads: set[str] = set()
    live_state: set[str] = set()
    for s in facts.statements:
        if s.depth == 0 and s.id in kept:
            for kid in _descendants(by_id, s):
                if kid.role == "code" and not kid.children:
                    live_reads |= kid.reads
                    live_state |= kid.state
            live_reads |= _header_reads(by_id, s)
            if s.role == "code" and not s.children:
                # `fig.savefig(...)` at the top of a cell: the lines drawn in a loop before it are its content.
                live_state |= s.state
    removed = set()
    for s in facts.statements:
        if s.depth == 0 or _top(by_id, s).id not in kept:
            continue
        # A drawing stays when a kept statement saves the figure; a draw from a global generator
        # stays when a kept statement draws after it.
        if s.role in ("plot", "explore", "magic") and not (s.defines & live_reads) and not (s.state & live_state):
            removed.add(s.id)
    return frozenset(removed)


def _descendants(by_id: dict[int, Statement], statement: Statement) -> Iterator[Statement]:
    for cid in statement.children:
        kid = by_id[cid]
        yield kid
        yield from _descendants(by_id, kid)


def _header_reads(by_id: dict[int, Statement], statement: Statement) -> set[str]:
    reads = set(statement.reads)
    for kid in _descendants(by_id, statement):
        reads -= kid.reads
    return reads


def _top(by_id: dict[int, Statement], statement: Statement) -> Statement:
    while statement.parent is not None:
        statement = by_id[statement.parent]
    return statement


def plan_cells(
    notebook: Notebook,
    facts: Facts,
    kept: frozenset[int],
    removed_nested: frozenset[int],
    rules_by_cell: dict[int, tuple[str, ...]],
) -> tuple[CellPlan, ...]:
    top_by_cell: dict[int, list[Statement]] = {}
    for s in facts.statements:
        if s.depth == 0:
            top_by_cell.setdefault(s.cell, []).append(s)
    nested_cells = {s.cell for s in facts.statements if s.id in removed_nested}
    unknown = kept_for_unknown_effect(facts, kept, removed_nested)
    broken = {cell for cell, _, _ in facts.parse_errors}
    plans = []
    for cell in notebook.cells:
        rules = rules_by_cell.get(cell.number, ())
        if cell.kind != "code":
            why = "markdown: headings become comments" if cell.kind == "markdown" else "raw cell"
            plans.append(CellPlan(cell.number, cell.kind, "strip", why, rules))
            continue
        statements = top_by_cell.get(cell.number, [])
        if cell.number in broken:
            plans.append(CellPlan(cell.number, "code", "strip", "does not parse (NB001): cannot be converted", rules))
        elif cell.foreign:
            plans.append(CellPlan(cell.number, "code", "strip", "not Python (cell magic)", rules))
        elif not statements:
            plans.append(CellPlan(cell.number, "code", "strip", "empty", rules))
        else:
            n_kept = sum(1 for s in statements if s.id in kept)
            cell_unknown = unknown.get(cell.number, ())
            note = (
                "; kept: effect unknown: " + ", ".join(f"line {line} {call}" for line, call in cell_unknown)
                if cell_unknown
                else ""
            )
            if n_kept == len(statements) and cell.number not in nested_cells:
                plans.append(CellPlan(cell.number, "code", "keep", _why_kept(statements) + note, rules, cell_unknown))
            elif n_kept == 0:
                plans.append(CellPlan(cell.number, "code", "strip", _why_stripped(statements), rules))
            else:
                dropped = [s for s in statements if s.id not in kept]
                why = "drops " + _why_stripped(dropped) if dropped else "drops nested plotting/exploration"
                plans.append(CellPlan(cell.number, "code", "partial", why + note, rules, cell_unknown))
    return tuple(plans)


def kept_for_unknown_effect(
    facts: Facts, kept: frozenset[int], removed_nested: frozenset[int]
) -> dict[int, tuple[tuple[int, str], ...]]:
    """Cell -> (line, calls) of every kept statement that stays because what it does is unknown."""
    by_id = {s.id: s for s in facts.statements}
    found: dict[int, list[tuple[int, str]]] = {}
    for s in facts.statements:
        if not s.unknown or s.children or s.id in removed_nested or _top(by_id, s).id not in kept:
            continue
        found.setdefault(s.cell, []).append((s.pos.line, ", ".join(s.unknown)))
    return {cell: tuple(entries) for cell, entries in found.items()}


def _why_kept(statements: list[Statement]) -> str:
    if any(s.effects for s in statements):
        return "produces output, logs or side effects"
    return "needed by what follows"


def _why_stripped(statements: list[Statement]) -> str:
    roles = {s.role for s in statements}
    parts = []
    if "plot" in roles:
        parts.append("plotting (NB101)")
    if "explore" in roles:
        parts.append("exploration (NB102)")
    if "magic" in roles:
        parts.append("magics")
    if roles & {"code", "import", "definition"}:
        parts.append("nothing kept uses its result")
    return ", ".join(parts) or "nothing kept uses it"
