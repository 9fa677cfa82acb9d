"""Copy-on-write traps: pandas code that changed a DataFrame before pandas 3 and does nothing since.

Under copy-on-write (the only mode of pandas 3), `df[c]` is a new object: assigning into it
(`df[c][mask] = v`) or changing it in place (`df[c].fillna(x, inplace=True)`) leaves `df` as it
was. The notebook ran on an older pandas, where both changed `df`: the rewrite keeps that meaning
on every version (`df.loc[mask, c] = v`, `df[c] = df[c].fillna(x)`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal

from ..types import Facts, Position
from .api_uses import parsed_cells, positioner

TrapKind = Literal["chained_assignment", "chained_inplace"]
# Methods whose in-place form keeps the length and index: assigning their result back is the same.
ELEMENTWISE_INPLACE = frozenset({"fillna", "replace", "clip", "interpolate", "ffill", "bfill", "where", "mask"})
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**"}


@dataclass(frozen=True)
class CowTrap:
    kind: TrapKind
    pos: Position  # the statement
    end: Position | None
    statement: Position  # the statement's start, where the rewrite replaces it
    fixed: str  # the statement that keeps the old meaning; "" when there is no exact rewrite
    written: str  # the statement as written, for messages


def find_cow_traps(facts: Facts) -> tuple[CowTrap, ...]:
    traps = []
    for cell, tree in parsed_cells(facts):
        pos = positioner(cell)
        for node in ast.walk(tree):
            trap = _trap(node, cell.python, facts.types)
            if trap is not None and isinstance(node, ast.stmt):  # traps are statements; narrows the type
                kind, fixed = trap
                start = pos(node.lineno, node.col_offset)
                end = None
                if node.end_lineno and node.end_col_offset is not None:  # parsed nodes carry both or neither
                    end = pos(node.end_lineno, node.end_col_offset)
                written = " ".join((ast.get_source_segment(cell.python, node) or "").split())
                traps.append(CowTrap(kind, start, end, start, fixed, written))
    return tuple(traps)


def _is_frame(node: ast.AST, types: dict) -> bool:
    return isinstance(node, ast.Name) and types.get(node.id) == "pandas"


def _trap(node: ast.AST, source: str, types: dict) -> tuple[TrapKind, str] | None:
    def text(part: ast.AST) -> str:
        return ast.get_source_segment(source, part) or ""

    if isinstance(node, (ast.Assign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if len(targets) != 1 or not isinstance(targets[0], ast.Subscript):
            return None
        outer = targets[0]
        inner = outer.value
        operator = "=" if isinstance(node, ast.Assign) else _OPERATORS.get(type(node.op), "") + "="
        if operator == "=" and isinstance(node, ast.AugAssign):
            return None
        # df[c][mask] = v  and  df[c].loc[mask] = v
        if isinstance(inner, ast.Attribute) and inner.attr == "loc":
            inner = inner.value
        if (
            isinstance(inner, ast.Subscript)
            and _is_frame(inner.value, types)
            and not isinstance(inner.slice, ast.Slice)
        ):
            column, rows = text(inner.slice), text(outer.slice)
            if isinstance(outer.slice, ast.Slice) or isinstance(inner.slice, (ast.List, ast.Tuple)):
                return "chained_assignment", ""
            return "chained_assignment", f"{text(inner.value)}.loc[{rows}, {column}] {operator} {text(node.value)}"
        return None
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        call = node.value
        inplace = next((k for k in call.keywords if k.arg == "inplace"), None)
        if inplace is None or not (isinstance(inplace.value, ast.Constant) and inplace.value.value is True):
            return None
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        chained = func.value
        if (
            isinstance(chained, ast.Subscript)
            and _is_frame(chained.value, types)
            and not isinstance(chained.slice, (ast.Slice, ast.List, ast.Tuple))
        ):
            target = text(chained)
        elif isinstance(chained, ast.Attribute) and _is_frame(chained.value, types):
            target = f"{text(chained.value)}[{chained.attr!r}]"
        else:
            return None
        if func.attr not in ELEMENTWISE_INPLACE:
            return "chained_inplace", ""
        arguments = [text(a) for a in call.args] + [text(k) for k in call.keywords if k is not inplace]
        return "chained_inplace", f"{target} = {text(chained)}.{func.attr}({', '.join(arguments)})"
    return None
