"""Paths the notebook resolved from its working folder: `os.getcwd()`, `Path.cwd()`,
`Path().absolute().parents[1] / 'regression'`, and relative paths read inside function bodies.

In the notebook the working folder is the notebook's own; in a job it is the code folder (`src/`
here, a snapshot of it on Azure ML), so such a path names another file there, or none.
"""

from __future__ import annotations

import ast
import os
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..types import CallFact, LiteralFact, Notebook, Position

_CWD_CALLS = frozenset({"getcwd", "getcwdb", "cwd"})
_ROOTING = frozenset({"absolute", "resolve"})
_READERS = (
    "pandas.read_",
    "numpy.load",
    "numpy.loadtxt",
    "numpy.genfromtxt",
    "joblib.load",
    "builtins.open",
    "io.open",
    "json.load",
    "PIL.Image.open",
    "cv2.imread",
    "torch.load",
    "h5py.File",
)


@dataclass(frozen=True)
class CwdPath:
    pos: Position
    end: Position
    text: str  # the expression as written
    resolved: str | None  # where it pointed in the notebook, relative to the notebook's folder, when known


def cwd_paths(notebook: Notebook, kept_spans: list[tuple[Position, Position]]) -> list[CwdPath]:
    """Path expressions rooted in the working folder that kept code still holds (those
    `rewrite_cwd_paths` could not turn into a literal: multi-line, or of unknown value)."""
    folder = Path(notebook.path).resolve().parent
    found = []
    for cell in notebook.code_cells:
        if cell.foreign or not any(w in cell.python for w in ("cwd", "absolute", "resolve")):
            continue
        for top in maximal_cwd_expressions(cell.python):
            pos = Position(cell.number, top.lineno, top.col_offset + 1)
            if not any(start <= pos <= end for start, end in kept_spans):
                continue
            end = Position(cell.number, top.end_lineno or top.lineno, (top.end_col_offset or 0) + 1)
            value = _evaluate(top, folder)
            resolved = None if value is None else Path(os.path.relpath(value, folder)).as_posix()
            found.append(CwdPath(pos, end, ast.get_source_segment(cell.python, top) or "", resolved))
    return found


def rewritten_lines(notebook: Notebook) -> list[tuple[Position, str, str]]:
    """(where, as the notebook wrote it, as the analysis reads it) for lines `rewrite_cwd_paths` changed."""
    found = []
    for cell in notebook.code_cells:
        if cell.foreign or cell.python == cell.source:
            continue
        for number, (before, after) in enumerate(
            zip(cell.source.split("\n"), cell.python.split("\n"), strict=False), start=1
        ):
            if (
                before != after
                and before.lstrip()[:1] not in ("%", "!", "")
                and any(w in before for w in ("cwd", "absolute", "resolve"))
            ):
                found.append(
                    (
                        Position(cell.number, number, len(before) - len(before.lstrip()) + 1),
                        before.strip(),
                        after.strip(),
                    )
                )
    return found


def _is_cwd_root(node: ast.expr) -> bool:
    """`os.getcwd()`, `Path.cwd()`, `Path().absolute()`, `Path('.').resolve()`."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    if node.func.attr in _CWD_CALLS and not node.args:
        return True
    if node.func.attr in _ROOTING and not node.args:
        inner = node.func.value
        if isinstance(inner, ast.Call) and _name(inner.func) in ("Path", "pathlib.Path", "PurePath"):
            return not inner.args or (
                isinstance(inner.args[0], ast.Constant) and inner.args[0].value in (".", "./", "")
            )
    return False


def _extends(parent: ast.AST, child: ast.expr) -> bool:
    """Does `parent` build a path from `child` (`.parent`, `.parents[1]`, `/ 'x'`, `os.path.join(child, ...)`)?"""
    if isinstance(parent, ast.Attribute):
        return parent.attr in ("parent", "parents") and parent.value is child
    if isinstance(parent, ast.Subscript):
        return parent.value is child and isinstance(parent.value, ast.Attribute) and parent.value.attr == "parents"
    if isinstance(parent, ast.BinOp):
        return isinstance(parent.op, ast.Div) and parent.left is child
    if isinstance(parent, ast.Call):
        if (
            isinstance(parent.func, ast.Attribute)
            and parent.func.attr in _ROOTING
            and parent.func.value is child
            and not parent.args
        ):
            return True
        name = _name(parent.func)
        return name in _WRAPPERS | {"os.path.join", "os.path.dirname"} and bool(parent.args) and parent.args[0] is child
    return False


_WRAPPERS = frozenset(
    {"Path", "pathlib.Path", "str", "os.path.abspath", "os.path.realpath", "os.path.normpath", "os.fspath"}
)
_PARTS = {"os.pardir": "..", "os.curdir": "."}


def _part(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return _PARTS.get(_name(node) or "")


def _evaluate(node: ast.expr, folder: Path) -> Path | None:
    if _is_cwd_root(node):
        return folder
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        inner = _evaluate(node.value, folder)
        return inner.parent if inner is not None else None
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
        inner = _evaluate(node.value.value, folder)
        index = node.slice
        if inner is not None and isinstance(index, ast.Constant) and isinstance(index.value, int):
            return inner.parents[index.value] if index.value < len(inner.parents) else None
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        inner = _evaluate(node.left, folder)
        part = _part(node.right)
        return Path(os.path.normpath(inner / part)) if inner is not None and part is not None else None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _ROOTING
        and not node.args
    ):
        return _evaluate(node.func.value, folder)
    if isinstance(node, ast.Call) and node.args:
        name = _name(node.func)
        inner = _evaluate(node.args[0], folder)
        if inner is None:
            return None
        if name == "os.path.join":
            parts = [_part(a) for a in node.args[1:]]
            known = [p for p in parts if p is not None]
            return Path(os.path.normpath(inner.joinpath(*known))) if len(known) == len(parts) else None
        if name == "os.path.dirname" and len(node.args) == 1:
            return inner.parent
        if name in _WRAPPERS and len(node.args) == 1:
            return inner
    return None


def _makes_path(node: ast.expr) -> bool:
    """Is the value a `pathlib.Path` (else a string)?"""
    if isinstance(node, (ast.BinOp, ast.Attribute, ast.Subscript)):
        return True
    if isinstance(node, ast.Call):
        name = _name(node.func) or ""
        if name in ("Path", "pathlib.Path"):
            return True
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("cwd", "absolute", "resolve"):
            return node.func.attr != "cwd" or _name(node.func.value) in ("Path", "pathlib.Path")
    return False


def _path_constructor(node: ast.expr, source: str) -> str | None:
    for child in ast.walk(node):
        if isinstance(child, (ast.Name, ast.Attribute)) and (_name(child) or "").split(".")[-1] in ("Path", "PurePath"):
            return ast.get_source_segment(source, child)
    return None


def maximal_cwd_expressions(source: str) -> list[ast.expr]:
    """The outermost expressions built from the working folder whose value is known statically."""
    roots, parents = _cwd_roots_and_parents(source)
    found: dict[int, ast.expr] = {}
    for node, top in roots:
        # A path is built from it, or it is kept in a name: `print(os.getcwd())` only shows where the notebook ran.
        if top is not node or isinstance(parents.get(top), (ast.Assign, ast.AnnAssign)):
            found[id(top)] = top
    return list(found.values())


def rewrite_cwd_paths(notebook: Notebook) -> Notebook:
    """Each one-line path expression built from the working folder becomes the literal path it
    named in the notebook, relative to the notebook's folder: `Path().absolute().parents[1] / 'data'`
    becomes `Path('../../data')`. The analysis then sees a literal (an input, an output), the job
    gets it as an argument, and the notebook itself, run from its folder, reads the same file."""
    from dataclasses import replace

    folder = Path(notebook.path).resolve().parent
    cells = []
    changed = False
    for cell in notebook.cells:
        if cell.kind != "code" or cell.foreign or not any(w in cell.python for w in ("cwd", "absolute", "resolve")):
            cells.append(cell)
            continue
        lines = cell.python.split("\n")
        edits = []
        for node in maximal_cwd_expressions(cell.python):
            value = _evaluate(node, folder)
            if value is None or node.lineno != node.end_lineno or not cell.python.isascii():
                continue
            relative = Path(os.path.relpath(value, folder)).as_posix()
            if _makes_path(node):
                constructor = _path_constructor(node, cell.python)
                if constructor is None:
                    continue
                text = f"{constructor}({relative!r})"
            else:
                text = repr(relative)
            edits.append((node.lineno - 1, node.col_offset, node.end_col_offset or 0, text))
        for index, start, end, text in sorted(edits, key=lambda e: (e[0], -e[1])):
            lines[index] = lines[index][:start] + text + lines[index][end:]
            changed = True
        cells.append(replace(cell, python="\n".join(lines)) if edits else cell)
    return replace(notebook, cells=tuple(cells)) if changed else notebook


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _name(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def is_reader(qualname: str | None) -> bool:
    return qualname is not None and qualname.startswith(_READERS)


# --- paths nb2aml cannot resolve, which `--input NAME=PATH` names -----------------------------------

UnresolvedKind = Literal["function_literal", "cwd_root"]


@dataclass(frozen=True)
class UnresolvedPath:
    """A path the kept code uses that nb2aml cannot resolve statically (an NB801 error).

    `pos` is the node `--input NAME=PATH` replaces: the string literal (a relative path read inside a
    function body) or the working-folder call (`os.getcwd()`, `Path.cwd()`, `Path().absolute()`)
    a multi-line or run-time path is built from. `suggested_path` is what the notebook read, relative
    to its folder; `replacement` is the text that replaces the node, with `{arg}` for the argument.
    """

    pos: Position
    end: Position
    kind: UnresolvedKind
    text: str
    suggested_name: str
    suggested_path: str
    replacement: str | None  # None: the node's meaning cannot be carried by one argument (ambiguous)

    def option(self, name: str | None = None) -> str:
        return f"--input {name or self.suggested_name}={self.suggested_path}"


def unresolved_paths(
    notebook: Notebook,
    calls: Iterable[tuple[int, CallFact]],
    literals: Iterable[LiteralFact],
    kept_top_of: Callable[[int], bool],
    kept_spans: list[tuple[Position, Position]],
    written: set[str],
    taken: set[str] | None = None,
) -> tuple[UnresolvedPath, ...]:
    """Every NB801 error site of the kept code, in notebook order, each with the `--input` that names it.

    `kept_top_of(statement id)`: is the statement inside a top-level statement the job keeps;
    `taken`: names a suggestion must not take (the notebook's own inputs, outputs, parameters).
    """
    from ..naming import UniqueNames, identifier

    found: list[UnresolvedPath] = []
    by_literal: dict[str, str] = {}
    names = UniqueNames(taken)
    literal_list = list(literals)
    for sid, call in calls:
        if not call.in_function or not is_reader(call.qualname) or call.end is None or not kept_top_of(sid):
            continue
        for literal in literal_list:
            if not (call.pos <= literal.pos <= call.end) or not looks_relative_path(literal.value):
                continue
            if literal.value in written:
                continue
            if literal.value not in by_literal:
                stem = posixpath.basename(literal.value.rstrip("/")).split(".")[0]
                by_literal[literal.value] = names.claim(identifier(stem, "input"))
            end = literal.end or literal.pos
            found.append(
                UnresolvedPath(
                    literal.pos,
                    end,
                    "function_literal",
                    repr(literal.value),
                    by_literal[literal.value],
                    literal.value,
                    "{arg}" if _is_whole_path_argument(notebook, call, literal) else None,
                )
            )
            break
    workdir: list[str] = []  # every working-folder call names the same folder: one name for all
    for cwd in cwd_paths(notebook, kept_spans):
        cell = next(c for c in notebook.cells if c.number == cwd.pos.cell)
        for root, top in cwd_roots(cell.python):
            pos = Position(cell.number, top.lineno, top.col_offset + 1)
            if pos != cwd.pos:
                continue
            root_pos = Position(cell.number, root.lineno, root.col_offset + 1)
            root_end = Position(cell.number, root.end_lineno or root.lineno, (root.end_col_offset or 0) + 1)
            if not workdir:
                workdir.append(names.claim("workdir"))
            found.append(
                UnresolvedPath(
                    root_pos,
                    root_end,
                    "cwd_root",
                    ast.get_source_segment(cell.python, root) or "",
                    workdir[0],
                    ".",
                    _root_replacement(root, cell.python),
                )
            )
    return tuple(sorted(found, key=lambda u: u.pos))


def _is_whole_path_argument(notebook: Notebook, call: CallFact, literal: LiteralFact) -> bool:
    """Is the literal the reader's whole path argument (`read_csv('data/a.csv')`), not a part of one
    (`read_csv(os.path.join('data', 'a.csv'))`), so that one argument can stand for it?"""
    cell = next((c for c in notebook.cells if c.number == literal.pos.cell), None)
    try:
        tree = ast.parse(cell.python) if cell is not None else None
    except (SyntaxError, ValueError):
        return False
    for node in ast.walk(tree) if tree is not None else ():
        if (
            isinstance(node, ast.Call)
            and (node.lineno, node.col_offset + 1) == (call.pos.line, call.pos.col)
            and any(
                isinstance(given, ast.Constant)
                and (given.lineno, given.col_offset + 1) == (literal.pos.line, literal.pos.col)
                for given in _path_arguments(node)
            )
        ):
            return True
    return False


def _path_arguments(call: ast.Call) -> list[ast.expr]:
    """The call's arguments, and the one argument of a path constructor given as one (`Path('a.csv')`)."""
    given = [*call.args, *(k.value for k in call.keywords)]
    for node in list(given):
        if (
            isinstance(node, ast.Call)
            and len(node.args) == 1
            and not node.keywords
            and (_name(node.func) or "").split(".")[-1] in ("Path", "PurePath", "str", "fspath", "abspath", "normpath")
        ):
            given.append(node.args[0])
    return given


def _root_replacement(root: ast.expr, source: str) -> str | None:
    """`os.getcwd()` -> the argument (a str); `Path.cwd()` / `Path().absolute()` -> `Path(arg).absolute()`."""
    assert isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute)  # `_is_cwd_root` holds
    if root.func.attr in ("getcwd", "getcwdb"):
        return "os.path.abspath({arg})" if root.func.attr == "getcwd" else None
    constructor = _path_constructor(root, source)
    return f"{constructor}({{arg}}).absolute()" if constructor else None


def cwd_roots(source: str) -> list[tuple[ast.expr, ast.expr]]:
    """(working-folder call, outermost path expression built from it) for each one in `source`."""
    return _cwd_roots_and_parents(source)[0]


def _cwd_roots_and_parents(source: str) -> tuple[list[tuple[ast.expr, ast.expr]], dict[ast.AST, ast.AST]]:
    """`cwd_roots`, and each node's parent in `source`'s tree (empty when it does not parse)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return [], {}
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.expr) or not _is_cwd_root(node):
            continue
        top = node
        while isinstance(parents.get(top), (ast.Attribute, ast.Subscript, ast.BinOp, ast.Call)) and _extends(
            parents[top], top
        ):
            top = parents[top]  # type: ignore[assignment]
        found.append((node, top))
    return found, parents


def looks_relative_path(value: str) -> bool:
    if not value or value.startswith(("/", "~")) or "://" in value or "\n" in value or " " in value.strip():
        return False
    return "/" in value or "." in value.lstrip(".")[-6:]
