"""Metrics the notebook prints under its own label: per step in a training loop, or a final value.

`print(f"epoch {epoch} loss={loss:.4f}")` inside `for epoch in range(epochs)` is a metric named
`loss` at step `epoch`; `print("final mse", history[-1])` is a metric named `final_mse`. The
label is the text printed right before the value (`loss=`, `"final mse"`, `"loss: %.4f" % loss`,
`"loss: {}".format(loss)`), and it must name a metric (loss, error, accuracy, auc, ...). The value
is logged only when evaluating it again cannot change anything: a name, an attribute, an item
(`history[-1]`), `.item()`, or a metric function's call.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..naming import slug
from ..types import Facts, Metric, Position
from .astutil import Located

METRIC_WORDS = frozenset(
    {
        "loss",
        "error",
        "mse",
        "rmse",
        "mae",
        "mape",
        "smape",
        "rmsle",
        "accuracy",
        "acc",
        "auc",
        "roc",
        "f1",
        "r2",
        "score",
        "precision",
        "recall",
        "logloss",
        "perplexity",
        "deviance",
    }
)
_LABEL_TAIL = re.compile(r"([A-Za-z_][A-Za-z0-9_ \-]*?)\s*[:=]?\s*$")


@dataclass(frozen=True)
class PrintedMetric:
    name: str  # the MLflow key, from the printed label
    expression: str  # the printed value's source text
    print_pos: Position  # the print call: the metric is logged after its line
    step: str | None = None  # the loop variable, for a metric printed in `for step in range(...)`/`enumerate(...)`
    covers: tuple[Position, ...] = ()  # metric calls (analysis.metrics) this logging replaces
    known_number: bool = False  # the value is a metric function's result: no guard needed


def find_printed_metrics(facts: Facts, metrics: tuple[Metric, ...]) -> tuple[PrintedMetric, ...]:
    prints = {c.pos for _, c in facts.calls if c.qualname == "builtins.print" and not c.in_function}
    metric_calls = {m.pos: m for m in metrics if not m.variable}
    # Names bound from a metric call: at the top level the metric's own edit logs them.
    metric_names = {v for _, c in facts.calls if c.pos in metric_calls for v in c.assigned_to} | {
        m.variable for m in metrics if m.variable
    }
    found: list[PrintedMetric] = []
    for cell in facts.notebook.cells:
        if cell.kind != "code" or cell.foreign or not cell.python.strip():
            continue
        try:
            tree = ast.parse(cell.python)
        except (SyntaxError, ValueError):
            continue
        where = _Where(cell.number, cell.python)
        _walk(tree.body, None, (), where, prints, metric_calls, found, metric_names)
    return tuple(found)


class _Where:
    def __init__(self, cell: int, source: str) -> None:
        self.cell = cell
        self.source = source
        self.lines = None if source.isascii() else source.split("\n")

    def __call__(self, node: Located) -> Position:
        col = node.col_offset
        if self.lines is not None:
            col = len(self.lines[node.lineno - 1].encode("utf-8")[:col].decode("utf-8", "replace"))
        return Position(self.cell, node.lineno, col + 1)


def _walk(
    body: list[ast.stmt],
    step: str | None,
    loop_body: tuple[ast.stmt, ...],
    where: _Where,
    prints: set[Position],
    metric_calls: dict[Position, Metric],
    found: list[PrintedMetric],
    metric_names: set,
) -> None:
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(statement, ast.For):
            _walk(
                statement.body,
                _step_variable(statement),
                tuple(statement.body),
                where,
                prints,
                metric_calls,
                found,
                metric_names,
            )
            _walk(statement.orelse, step, loop_body, where, prints, metric_calls, found, metric_names)
            continue
        if isinstance(statement, ast.While):
            _walk(statement.body, None, tuple(statement.body), where, prints, metric_calls, found, metric_names)
            continue
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(statement, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                _walk(inner, step, loop_body, where, prints, metric_calls, found, metric_names)
        for handler in getattr(statement, "handlers", ()) or ():
            _walk(handler.body, step, loop_body, where, prints, metric_calls, found, metric_names)
        if (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and where(statement.value) in prints
        ):
            found += _from_print(statement.value, step, loop_body, where, metric_calls, metric_names)


def _step_variable(loop: ast.For) -> str | None:
    """The loop variable when it counts (0, 1, 2, ...): MLflow's step is an integer."""
    head = loop.iter
    if not (isinstance(head, ast.Call) and isinstance(head.func, ast.Name)):
        return None
    if head.func.id == "range" and isinstance(loop.target, ast.Name):
        return loop.target.id
    if (
        head.func.id == "enumerate"
        and isinstance(loop.target, ast.Tuple)
        and loop.target.elts
        and isinstance(loop.target.elts[0], ast.Name)
    ):
        return loop.target.elts[0].id
    return None


def _from_print(
    call: ast.Call,
    step: str | None,
    loop_body: tuple[ast.stmt, ...],
    where: _Where,
    metric_calls: dict[Position, Metric],
    metric_names: set,
) -> list[PrintedMetric]:
    out = []
    in_loop = bool(loop_body)
    for label, value in _labelled_values(call):
        name = slug(label)
        if not (set(name.split("_")) & METRIC_WORDS) or not _pure(value, where, metric_calls):
            continue
        inside = [pos for pos in metric_calls if _contains(value, pos, where)]
        covers = tuple(inside)
        if isinstance(value, ast.Name):
            covers += tuple(_assigned_metric(loop_body, value.id, where, metric_calls)) if in_loop else ()
        if not in_loop and (inside or (isinstance(value, ast.Name) and value.id in metric_names)):
            continue  # a top-level metric call is logged as the metric it is
        text = ast.get_source_segment(where.source, value)
        if text is None or "\n" in text:
            continue
        out.append(
            PrintedMetric(
                name=name,
                expression=text,
                print_pos=where(call),
                step=step if in_loop else None,
                covers=covers,
                known_number=bool(covers),
            )
        )
    return out


def _assigned_metric(
    body: tuple[ast.stmt, ...], name: str, where: _Where, metric_calls: dict[Position, Metric]
) -> list[Position]:
    """Metric calls of the loop body whose value is the whole right side of `name = metric(...)`."""
    found = []
    for statement in body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == name
            and isinstance(statement.value, ast.Call)
            and where(statement.value) in metric_calls
        ):
            found.append(where(statement.value))
    return found


def _contains(node: ast.AST, pos: Position, where: _Where) -> bool:
    return any(isinstance(n, ast.Call) and where(n) == pos for n in ast.walk(node))


def _pure(node: ast.expr, where: _Where, metric_calls: dict[Position, Metric]) -> bool:
    if isinstance(node, (ast.Name, ast.Constant)):
        return True
    if isinstance(node, ast.Attribute):
        return _pure(node.value, where, metric_calls)
    if isinstance(node, ast.Subscript):
        index = node.slice
        constant = isinstance(index, ast.Constant) or (
            isinstance(index, ast.UnaryOp) and isinstance(index.operand, ast.Constant)
        )
        return constant and _pure(node.value, where, metric_calls)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "item" and not node.args:
            return _pure(node.func.value, where, metric_calls)
        return where(node) in metric_calls
    return False


def _labelled_values(call: ast.Call) -> list[tuple[str, ast.expr]]:
    """(label, value) for each value the print call shows after some text."""
    pairs: list[tuple[str, ast.expr]] = []
    pending = ""
    for argument in call.args:
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            pending = argument.value
            continue
        if isinstance(argument, ast.JoinedStr):
            text = ""
            for part in argument.values:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    text += part.value
                elif isinstance(part, ast.FormattedValue):
                    if _label(text):
                        pairs.append((_label(text), part.value))
                    text = ""
            pending = ""
            continue
        if (
            isinstance(argument, ast.BinOp)
            and isinstance(argument.op, ast.Mod)
            and isinstance(argument.left, ast.Constant)
            and isinstance(argument.left.value, str)
            and not isinstance(argument.right, ast.Tuple)
        ):
            head = argument.left.value.split("%", 1)[0]
            if _label(head):
                pairs.append((_label(head), argument.right))
            pending = ""
            continue
        if (
            isinstance(argument, ast.Call)
            and isinstance(argument.func, ast.Attribute)
            and argument.func.attr == "format"
            and isinstance(argument.func.value, ast.Constant)
            and isinstance(argument.func.value.value, str)
            and len(argument.args) == 1
        ):
            head = argument.func.value.value.split("{", 1)[0]
            if _label(head):
                pairs.append((_label(head), argument.args[0]))
            pending = ""
            continue
        if pending and _label(pending):
            pairs.append((_label(pending), argument))
        pending = ""
    return pairs


def _label(text: str) -> str:
    """The words right before a value: `"epoch 3 loss="` -> `loss`; `"Mean squared error: "` -> the three words."""
    tail = re.split(r"[,;|()\[\]{}\n\t]|\s{2,}|(?<=[:=])\s", text.rstrip())
    last = tail[-1] if tail else ""
    match = _LABEL_TAIL.search(last)
    words = match.group(1).strip() if match else ""
    return re.sub(r"^(epoch|step|iter|iteration|batch)\s*\d*\s*", "", words).strip()
