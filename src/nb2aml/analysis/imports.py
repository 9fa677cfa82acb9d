"""The modules the converted code will import: the kept import statements, less unused names."""

from __future__ import annotations

from . import NotebookFacts


def live_reads(nb: NotebookFacts, keep: frozenset[int] | None = None) -> set[str]:
    """Names read by what is kept (the slice, or `keep`): a compound statement's header and its
    kept body, not what is removed inside it."""
    keep = nb.kept if keep is None else keep
    by_id = {s.id: s for s in nb.facts.statements}
    live: set[str] = set()
    for s in nb.facts.statements:
        top = s
        while top.parent is not None:
            top = by_id[top.parent]
        if top.id in keep and s.id not in nb.removed_nested:
            # An import that registers something is used by running: its name counts as read.
            # (`import sklearn.experimental.enable_x` binds `sklearn`: the statement knows, not the name.)
            if s.registers:
                live |= {name for name, _ in s.imports}
            reads = set(s.reads)
            for cid in s.children:
                reads -= by_id[cid].reads
            live |= reads
    return live


def kept_modules(nb: NotebookFacts) -> tuple[str, ...]:
    live = live_reads(nb)
    modules = set()
    for s in nb.facts.statements:
        if s.depth != 0 or s.id not in nb.kept:
            continue
        for name, qual in s.imports:
            if name not in live or qual.startswith("."):
                continue
            module = qual if s.kind == "Import" else qual.rsplit(".", 1)[0]
            modules.add(module)
    return tuple(sorted(modules))
