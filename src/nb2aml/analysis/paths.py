"""Constant propagation for path expressions.

`raw_data = './data/'` then `Path(raw_data) / 'green.csv'` resolves to `./data/green.csv` with its
root literal in the variable `raw_data`, used as a folder. Only what is certain is resolved: parts
that depend on run-time values become `*`.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from ..types import Position
from .astutil import Located

UNKNOWN = "*"
_PATH_CONSTRUCTORS = frozenset(
    {
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
        "pathlib.WindowsPath",
        "os.fspath",
        "builtins.str",
        "os.path.abspath",
        "os.path.normpath",
        "os.path.expanduser",
    }
)
_JOINS = frozenset({"os.path.join", "posixpath.join", "ntpath.join"})


@dataclass(frozen=True)
class PathValue:
    text: str
    root_value: str  # the literal the path starts from
    root_pos: Position
    variable: str | None = None  # variable the root literal was assigned to
    folder: bool = False  # something was joined below the root
    member: str | None = None  # the joined part below the root


def join(base: PathValue, tail: PathValue | None, tail_text: str) -> PathValue:
    text = posixpath.join(base.text, tail_text) if not tail_text.startswith("/") else base.text.rstrip("/") + tail_text
    member = posixpath.join(base.member, tail_text) if base.member else tail_text
    if base.variable is None and not base.folder:
        # Two literals joined inline: the first one is the folder root.
        return replace(base, text=text, folder=True, member=member)
    return replace(base, text=text, folder=True, member=member)


class PathEvaluator:
    """Evaluates expressions against the constants known at the statement being analysed."""

    def __init__(
        self,
        resolve: Callable[[ast.expr], str | None],
        constants: Mapping[str, PathValue],
        position: Callable[[Located], Position],
    ) -> None:
        self._resolve = resolve  # ast expr -> qualified name or None
        self._constants = constants  # name -> PathValue
        self._position = position  # ast node -> Position

    def evaluate(self, node: ast.expr) -> PathValue | None:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return PathValue(text=node.value, root_value=node.value, root_pos=self._position(node))
            return None
        if isinstance(node, ast.Name):
            return self._constants.get(node.id)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.JoinedStr):
            return self._fstring(node)
        return None

    def _call(self, node: ast.Call) -> PathValue | None:
        qual = self._resolve(node.func)
        if qual in _PATH_CONSTRUCTORS and len(node.args) == 1 and not node.keywords:
            return self.evaluate(node.args[0])
        if qual in _JOINS and node.args:
            base = self.evaluate(node.args[0])
            if base is None:
                return None
            for part in node.args[1:]:
                base = join(base, None, self._text(part))
            return base
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("joinpath",) and node.args:
            base = self.evaluate(node.func.value)
            if base is not None:
                for part in node.args:
                    base = join(base, None, self._text(part))
            return base
        return None

    def _binop(self, node: ast.BinOp) -> PathValue | None:
        if isinstance(node.op, ast.Div):
            left = self.evaluate(node.left)
            return join(left, None, self._text(node.right)) if left is not None else None
        if isinstance(node.op, ast.Add):
            left = self.evaluate(node.left)
            if left is None:
                return None
            tail = self._text(node.right)
            if left.variable is not None or left.folder:
                member = (left.member or "") + tail if left.member else tail.lstrip("/")
                return replace(left, text=left.text + tail, folder=True, member=member)
            return None
        return None

    def _fstring(self, node: ast.JoinedStr) -> PathValue | None:
        if not node.values:
            return None
        first, rest = node.values[0], node.values[1:]
        if isinstance(first, ast.FormattedValue) and first.format_spec is None and first.conversion == -1:
            base = self.evaluate(first.value)
            if base is None:
                return None
            tail = "".join(self._fpart(v) for v in rest)
            member = tail.lstrip("/")
            return replace(
                base,
                text=base.text.rstrip("/") + "/" + member if tail.startswith("/") else base.text + tail,
                folder=True,
                member=(posixpath.join(base.member, member) if base.member else member),
            )
        # The constant parts of an f-string are always `str`: the checks below only narrow the type.
        if isinstance(first, ast.Constant) and all(isinstance(v, ast.Constant) for v in rest):
            text = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
            return PathValue(text=text, root_value=text, root_pos=self._position(node))
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            # f"data/sales_{year}.csv": the literal head is the folder root.
            head = first.value
            folder = head.rsplit("/", 1)[0] if "/" in head else ""
            if not folder:
                # f"forecast_{year}.csv": a file in the working folder, which is the root.
                tail = head + "".join(self._fpart(v) for v in rest)
                return PathValue(text=tail, root_value=".", root_pos=self._position(node), folder=True, member=tail)
            tail = head[len(folder) :] + "".join(self._fpart(v) for v in rest)
            return PathValue(
                text=folder + tail,
                root_value=folder,
                root_pos=self._position(node),
                folder=True,
                member=tail.lstrip("/"),
            )
        return None

    def _fpart(self, node: ast.expr) -> str:
        if isinstance(node, ast.Constant):
            return str(node.value)
        if isinstance(node, ast.FormattedValue) and node.format_spec is None:
            return self._text(node.value)
        return UNKNOWN

    def _text(self, node: ast.expr) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)):
            return str(node.value)
        value = self.evaluate(node)
        if value is not None:
            return value.text
        return UNKNOWN
