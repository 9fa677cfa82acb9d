"""The shape of the package, checked on its own source: one-way data flow, no import circle, no
private name imported across modules, small files. docs/architecture.md draws the same picture.

The import graph is read with `ast` (nothing is imported), so a violation is reported as the
module and line that introduce it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "nb2aml"
MAX_LINES = 700

# The stages, lowest first. A module may import its own stage and the stages below it, never a
# later one: notebook -> facts -> findings -> rewrites -> plan -> files -> runs -> command line.
# Leaves (types, naming, errors, the runtime shipped into jobs) are importable from anywhere.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "leaf",
        (
            "nb2aml",
            "nb2aml.types",
            "nb2aml.naming",
            "nb2aml.errors",
            "nb2aml.runtime",
            "nb2aml.secrets",
            "nb2aml.interrupts",
        ),
    ),
    ("notebook", ("nb2aml.notebook", "nb2aml.config", "nb2aml.deps")),
    ("facts", ("nb2aml.analysis",)),
    ("findings", ("nb2aml.rules",)),
    ("rewrites", ("nb2aml.refactor",)),
    ("files", ("nb2aml.emit", "nb2aml.secrets_guard", "nb2aml.envtools")),
    ("plan", ("nb2aml.plan", "nb2aml.split")),
    ("present", ("nb2aml.report",)),
    ("write", ("nb2aml.writer", "nb2aml.update", "nb2aml.api")),
    ("runs", ("nb2aml.run", "nb2aml.verify")),
    ("command line", ("nb2aml.cli", "nb2aml.cli_options", "nb2aml.command_options", "nb2aml.__main__")),
)


def _stage_of(module: str) -> int:
    best, best_len = -1, -1
    for index, (_, prefixes) in enumerate(STAGES):
        for prefix in prefixes:
            # The package itself (`__version__`) is a leaf; its submodules each have a stage.
            matches = module == prefix or (prefix != "nb2aml" and module.startswith(prefix + "."))
            if matches and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module
    names: tuple[str, ...]  # names taken from it (`from target import a, b`)
    line: int
    top_level: bool  # at module level: runs at import time, so it can close a circle


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(module: str, path: Path, known: set[str]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top_level_nodes = {id(n) for n in tree.body}
    for node in tree.body:  # `if TYPE_CHECKING:` blocks never run, so never close a circle
        if isinstance(node, ast.If):
            top_level_nodes.update(id(n) for n in node.body if not _is_type_checking(node))
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("nb2aml"):
                continue
            names = tuple(a.name for a in node.names)
            # `from . import knowledge` imports the submodule, not a name of the package.
            submodules = [n for n in names if f"{target}.{n}" in known]
            for sub in submodules:
                found.append(Import(module, f"{target}.{sub}", (), node.lineno, id(node) in top_level_nodes))
            rest = tuple(n for n in names if n not in submodules)
            if rest:
                found.append(Import(module, target, rest, node.lineno, id(node) in top_level_nodes))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("nb2aml"):
                    found.append(Import(module, alias.name, (), node.lineno, id(node) in top_level_nodes))
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _all_imports() -> list[Import]:
    modules = _modules()
    known = set(modules)
    return [imp for name, path in sorted(modules.items()) for imp in _imports(name, path, known)]


def test_no_private_name_is_imported_across_modules() -> None:
    offences = [
        f"{imp.source}:{imp.line} imports {name} from {imp.target}"
        for imp in _all_imports()
        for name in imp.names
        if name.startswith("_") and not name.startswith("__") and imp.source != imp.target
    ]
    assert offences == []


def test_data_flows_one_way() -> None:
    offences = []
    for imp in _all_imports():
        source, target = _stage_of(imp.source), _stage_of(imp.target)
        assert source >= 0, f"{imp.source} belongs to no stage: add it to STAGES and docs/architecture.md"
        assert target >= 0, f"{imp.target} belongs to no stage: add it to STAGES and docs/architecture.md"
        if target > source:
            offences.append(f"{imp.source}:{imp.line} ({STAGES[source][0]}) imports {imp.target} ({STAGES[target][0]})")
    assert offences == []


def test_no_import_circle() -> None:
    graph: dict[str, set[str]] = {}
    for imp in _all_imports():
        # A package's own `__init__` importing its submodules is how packages re-export; a
        # submodule importing a *name* of its package back is the circle Python trips over.
        if imp.top_level and imp.source != imp.target:
            graph.setdefault(imp.source, set()).add(imp.target)
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                circles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert [" -> ".join(c) for c in circles] == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_source_file_is_small(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(SRC)} has {lines} lines: split it by job"


def test_stage_table_matches_docs() -> None:
    doc = (SRC.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for stage, prefixes in STAGES:
        assert f"**{stage}**" in doc, f"docs/architecture.md does not name the stage {stage!r}"
        for prefix in prefixes:
            if prefix == "nb2aml" or not any(m == prefix or m.startswith(prefix + ".") for m in _modules()):
                continue
            short = prefix.removeprefix("nb2aml.")
            assert f"`{short}" in doc, f"docs/architecture.md does not place `{short}` in {stage!r}"
