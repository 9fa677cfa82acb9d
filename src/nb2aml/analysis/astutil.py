"""Small helpers over CPython `ast` nodes that the fact collector and its parts share."""

from __future__ import annotations

import ast
from typing import Protocol

NOT_LITERAL = "<not a literal>"


class Located(Protocol):
    """A node that carries its source span: statements, expressions, arguments, keywords, handlers.

    `ast.AST` itself declares no position, so position helpers take this instead."""

    @property
    def lineno(self) -> int: ...

    @property
    def col_offset(self) -> int: ...

    @property
    def end_lineno(self) -> int | None: ...

    @property
    def end_col_offset(self) -> int | None: ...


def flat_targets(target: ast.expr) -> list[ast.expr]:
    """`a, (b, c)` -> [a, b, c]; `a` -> [a]."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in flat_targets(element)]
    return [target.value] if isinstance(target, ast.Starred) else [target]


def target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if (
        isinstance(target, ast.Subscript)
        and isinstance(target.slice, ast.Constant)
        and isinstance(target.slice.value, str)
    ):
        return target.slice.value
    return None


def root_name(node: ast.expr) -> str | None:
    while True:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        else:
            return None


def argument(node: ast.Call, index: int, keywords: tuple[str, ...]) -> ast.expr | None:
    for kw in node.keywords:
        if kw.arg in keywords:
            return kw.value
    if index < len(node.args) and not any(isinstance(a, ast.Starred) for a in node.args[: index + 1]):
        return node.args[index]
    return None


def literal(node: ast.expr) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and isinstance(node.operand.value, (int, float))
        and not isinstance(node.operand.value, bool)
    ):
        return -node.operand.value
    if isinstance(node, (ast.List, ast.Tuple)):
        values = [literal(e) for e in node.elts]
        return NOT_LITERAL if any(v is NOT_LITERAL for v in values) else values
    return NOT_LITERAL


def print_label(node: ast.Call) -> str | None:
    for arg in node.args:
        text = leading_text(arg)
        if text:
            return text
    return None


def leading_text(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        # The constant parts of an f-string are always `str`; the check narrows the type.
        parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        return parts[0] if parts else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return leading_text(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return leading_text(node.func.value)
    return None


def child_statements(node: ast.stmt) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for field in ("body", "orelse", "finalbody"):
        out.extend(getattr(node, field, ()) or ())
    for handler in getattr(node, "handlers", ()) or ():
        out.extend(handler.body)
    for case in getattr(node, "cases", ()) or ():
        out.extend(case.body)
    return out
