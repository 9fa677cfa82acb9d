"""Paths the notebook resolved from its working folder: `os.getcwd()`, `Path.cwd()`,
`Path().absolute().parents[1] / 'regression'`, and relative paths read inside function bodies.

In the notebook the working folder is the notebook's own; in a job it is the code folder (`src/`
here, a snapshot of it on Azure ML), so such a path names another file there, or none.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path

from ..types import Notebook, Position

_CWD_CALLS = frozenset({"getcwd", "getcwdb", "cwd"})
_ROOTING = frozenset({"absolute", "resolve"})
_READERS = ("pandas.read_", "numpy.load", "numpy.loadtxt", "numpy.genfromtxt", "joblib.load", "builtins.open", "io.open", "json.load",
            "PIL.Image.open", "cv2.imread", "torch.load", "h5py.File")


@dataclass(frozen=True)
class CwdPath:
    pos: Position
    end: Position
    text: str  # the expression as written
    resolved: str | None  # where it pointed in the notebook, relative to the notebook's folder, when known


def cwd_paths(notebook: Notebook, kept_spans: list[tuple[Position, Position]]) -> list[CwdPath]:
    """Maximal path expressions rooted in the working folder, in kept code."""
    folder = Path(notebook.path).resolve().parent
    found = []
    for cell in notebook.code_cells:
        if cell.foreign or "cwd" not in cell.python and "absolute" not in cell.python and "resolve" not in cell.python:
            continue
        try:
            tree = ast.parse(cell.python)
        except (SyntaxError, ValueError):
            continue
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        seen: set[int] = set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.expr) or not _is_cwd_root(node):
                continue
            top = node
            while (isinstance(parent := parents.get(top), (ast.Attribute, ast.Subscript, ast.BinOp, ast.Call))
                   and _extends(parent, top)):
                top = parent
            if id(top) in seen:
                continue
            seen.add(id(top))
            pos = Position(cell.number, top.lineno, top.col_offset + 1)
            if not any(start <= pos <= end for start, end in kept_spans):
                continue
            end = Position(cell.number, top.end_lineno or top.lineno, (top.end_col_offset or 0) + 1)
            value = _evaluate(top, folder)
            resolved = None if value is None else Path(os.path.relpath(value, folder)).as_posix()
            found.append(CwdPath(pos, end, ast.get_source_segment(cell.python, top) or "", resolved))
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
            return not inner.args or (isinstance(inner.args[0], ast.Constant) and inner.args[0].value in (".", "./", ""))
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
        name = _name(parent.func)
        return name in ("os.path.join", "os.path.dirname", "Path", "str", "os.path.abspath") and bool(parent.args) and parent.args[0] is child
    return False


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
        if inner is not None and isinstance(node.right, ast.Constant) and isinstance(node.right.value, str):
            return inner / node.right.value
        return None
    if isinstance(node, ast.Call) and node.args:
        name = _name(node.func)
        inner = _evaluate(node.args[0], folder)
        if inner is None:
            return None
        if name == "os.path.join" and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[1:]):
            # All are `str` constants (checked above); the filter narrows the type.
            parts = [a.value for a in node.args[1:] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            return inner.joinpath(*parts)
        if name == "os.path.dirname" and len(node.args) == 1:
            return inner.parent
        if name in ("Path", "str", "os.path.abspath") and len(node.args) == 1:
            return inner
    return None


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _name(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def is_reader(qualname: str | None) -> bool:
    return qualname is not None and qualname.startswith(_READERS)
