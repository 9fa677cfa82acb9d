"""The edits of one cell, applied in a single libcst pass.

Every edit is addressed by a position the analysis reported (line and 1-based column in the
cell), so the pass resolves libcst's PositionProvider once per cell and never matches by text.
What each edit produces is built by the small pure functions in `fixes`, `parameterize` and
`metrics`; this module only finds the nodes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

Key = tuple[int, int]  # (line, 1-based column) inside the cell

# What made a change to the script: the rule whose rewrite it is, or one of nb2aml's own rewrites
# (leaving the run's placement to Azure ML, saving an MLflow model beside a pickled one).
ChangeKind = Literal[
    "NB101",
    "NB102",
    "NB201",
    "NB202",
    "NB301",
    "NB302",
    "NB501",
    "NB502",
    "NB601",
    "NB701",
    "NB703",
    "run_placement",
    "mlflow_model",
    "shell_step",
    "named_input",
]
# How nb2aml's own changes are headed in a job's README ("What was changed").
_OWN_LABELS: dict[str, str] = {
    "run_placement": "NB",
    "mlflow_model": "MLflow model",
    "shell_step": "Shell steps",
    "named_input": "--input",
}


@dataclass(frozen=True)
class Change:
    """One change a rewrite made to the script, for the README and the diff."""

    kind: ChangeKind
    cell: int
    description: str

    @property
    def code(self) -> str | None:
        """The rule whose rewrite made the change; None for nb2aml's own."""
        return None if self.kind in _OWN_LABELS else self.kind

    @property
    def label(self) -> str:
        """The heading the change is listed under: its rule code, or a few words for nb2aml's own."""
        return _OWN_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class MetricEdit:
    name: str  # the MLflow metric key
    variable: str  # the name the value is kept in
    hoist: bool = True  # False: the call is the whole value of `x = metric(...)`; log `x` after
    reduce: str | None = None  # a method giving the one number to log: "mean" for one score per fold
    end: Key | None = None  # where the metric call ends: calls chained on it start at the same place

    def value(self, variable: str) -> str:
        """The expression logged for the value held in `variable`."""
        return f"{variable}.{self.reduce}()" if self.reduce else variable


@dataclass(frozen=True)
class CellEdits:
    remove: frozenset[Key] = frozenset()  # statements to drop
    replace: dict = field(
        default_factory=dict
    )  # Key of an expression -> (node types it may be, replacement or node -> replacement)
    calls: dict = field(default_factory=dict)  # Key of a call -> function(call) -> replacement expression
    metrics: dict = field(default_factory=dict)  # Key of a metric call -> MetricEdit
    after: dict = field(default_factory=dict)  # Key of a call -> statements to add after the line holding it
    # Key of an import statement -> ("drop", names to unbind) or ("replace", small statement)
    import_rewrites: dict = field(default_factory=dict)
    # Key of a statement -> (line, text): run it inside `try`, recording a failure instead of
    # raising (verify's baseline: a statement the job strips need not run on today's libraries).
    guard: dict = field(default_factory=dict)


class _CellTransformer(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, edits: CellEdits, logged_metric: Callable[[str, str], cst.SimpleStatementLine]):
        super().__init__()
        self.edits = edits
        self.logged_metric = logged_metric  # (key, variable) -> cst.SimpleStatementLine
        self._pending: list[list[cst.BaseStatement]] = []  # statements to insert before the current line
        self._after: list[list[cst.BaseStatement]] = []
        self._unsafe_depth = 0  # inside lambdas, comprehensions, conditional expressions
        self._assigned_metric: dict[Key, str] = {}  # metric calls that are the whole value of `x = ...`

    def _key(self, node: cst.CSTNode) -> Key:
        start = self.get_metadata(PositionProvider, node).start
        return (start.line, start.column + 1)

    def _end(self, node: cst.CSTNode) -> Key:
        end = self.get_metadata(PositionProvider, node).end
        return (end.line, end.column + 1)

    def _statement_key(self, node: cst.CSTNode) -> Key:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            start = self.get_metadata(PositionProvider, node.name).start
            keyword = self.get_metadata(PositionProvider, node).start
            # ast places a decorated definition at its `def` line; libcst at its first decorator.
            col = keyword.column + 1 if not node.decorators else None
            return (start.line, col if col is not None else _def_column(node, start.column))
        return self._key(node)

    # -- statements ----------------------------------------------------------------------------

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        self._pending.append([])
        self._after.append([])
        return True

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        before = self._pending.pop()
        after = self._after.pop()
        kept_small = []
        for orig_small, new_small in zip(original.body, updated.body, strict=False):
            key = self._key(orig_small)
            if key in self.edits.remove:
                continue
            if key in self.edits.import_rewrites:
                new_small = _rewrite_import(new_small, self.edits.import_rewrites[key])
                if new_small is None:
                    continue
            kept_small.append(new_small)
        if not kept_small and not before and not after:
            return cst.RemoveFromParent()
        out: list[cst.BaseStatement] = list(before)
        if kept_small:
            kept_small[-1] = kept_small[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            out.append(updated.with_changes(body=kept_small))
        out.extend(after)
        if out and out[0] is not updated and before:
            out[0] = out[0].with_changes(leading_lines=updated.leading_lines)
            if kept_small:
                out[len(before)] = out[len(before)].with_changes(leading_lines=())
        keys = [self._key(small) for small in original.body]
        if self.edits.guard and keys and all(key in self.edits.guard for key in keys):
            return guarded(out, self.edits.guard[keys[0]])
        return cst.FlattenSentinel(out) if len(out) != 1 else out[0]

    def on_leave(self, original_node, updated_node):
        if (
            isinstance(original_node, cst.BaseCompoundStatement)
            and self._statement_key(original_node) in self.edits.remove
        ):
            return cst.RemoveFromParent()
        result = super().on_leave(original_node, updated_node)
        if (
            isinstance(original_node, cst.BaseCompoundStatement)
            and self.edits.guard
            and isinstance(result, cst.BaseCompoundStatement)
            and self._statement_key(original_node) in self.edits.guard
        ):
            return guarded([result], self.edits.guard[self._statement_key(original_node)])
        return result

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock):
        if not updated.body:
            return updated.with_changes(body=[cst.SimpleStatementLine(body=[cst.Pass()])])
        return updated

    def visit_Assign(self, node: cst.Assign) -> bool:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) and isinstance(node.value, cst.Call):
            key = self._key(node.value)
            if key in self.edits.metrics:
                self._assigned_metric[key] = node.targets[0].target.value
        return True

    # -- expressions ---------------------------------------------------------------------------

    def visit_Lambda(self, node):
        self._unsafe_depth += 1

    def leave_Lambda(self, original, updated):
        self._unsafe_depth -= 1
        return updated

    def visit_ListComp(self, node):
        self._unsafe_depth += 1

    def leave_ListComp(self, original, updated):
        self._unsafe_depth -= 1
        return updated

    def visit_GeneratorExp(self, node):
        self._unsafe_depth += 1

    def leave_GeneratorExp(self, original, updated):
        self._unsafe_depth -= 1
        return updated

    def visit_IfExp(self, node):
        self._unsafe_depth += 1

    def leave_IfExp(self, original, updated):
        self._unsafe_depth -= 1
        return updated

    def visit_BooleanOperation(self, node):
        self._unsafe_depth += 1

    def leave_BooleanOperation(self, original, updated):
        self._unsafe_depth -= 1
        return updated

    def leave_SimpleString(self, original, updated):
        return self._replace(original, updated)

    def leave_ConcatenatedString(self, original, updated):
        return self._replace(original, updated)

    def leave_FormattedString(self, original, updated):
        return self._replace(original, updated)

    def leave_Integer(self, original, updated):
        return self._replace(original, updated)

    def leave_Float(self, original, updated):
        return self._replace(original, updated)

    def leave_Name(self, original, updated):
        metric = self.edits.metrics.get(self._key(original)) if self.edits.metrics else None
        if metric is not None and not metric.hoist and metric.variable == original.value and self._after:
            # A name bound from a helper returning several metrics (`mae, r2 = evaluate(...)`): log it after.
            self._after[-1].append(self.logged_metric(metric.name, metric.value(metric.variable)))
        return self._replace(original, updated)

    def leave_UnaryOperation(self, original, updated):
        return self._replace(original, updated)

    def leave_Attribute(self, original, updated):
        return self._replace(original, updated)

    def leave_BinaryOperation(self, original, updated):
        return self._replace(original, updated)

    def _replace(self, original, updated):
        if not self.edits.replace:
            return updated
        key = self._key(original)
        replacement = self.edits.replace.get(key)
        if replacement is None:
            return updated
        # Several nodes can start at one place (`np.float` and `np`): the edit names the node type it means.
        expected_type, expression = replacement
        if not isinstance(original, expected_type):
            return updated
        # A function rewrites the node it is given (an f-string path keeps the parts that vary).
        return expression(updated) if callable(expression) else expression

    def leave_Call(self, original: cst.Call, updated: cst.Call):
        key = self._key(original)
        rewrite = self.edits.calls.get(key)
        if rewrite is not None:
            updated = rewrite(updated)
        if key in self.edits.after and self._after:
            self._after[-1].extend(self.edits.after[key])
        metric = self.edits.metrics.get(key)
        if metric is not None and metric.end is not None and self._end(original) != metric.end:
            metric = None  # `cross_val_score(...).mean()`: the edit is for the inner call only
        if metric is not None and self._pending:
            if key in self._assigned_metric:
                self._after[-1].append(self.logged_metric(metric.name, metric.value(self._assigned_metric[key])))
            elif metric.hoist and self._unsafe_depth == 0:
                self._pending[-1].append(_assign(metric.variable, updated))
                self._pending[-1].append(self.logged_metric(metric.name, metric.value(metric.variable)))
                return cst.Name(metric.variable)
            if not metric.hoist:
                self._after[-1].append(self.logged_metric(metric.name, metric.value(metric.variable)))
        return updated


def _rewrite_import(node, rewrite):
    kind, value = rewrite
    if kind == "replace":
        return value
    if not isinstance(node, (cst.Import, cst.ImportFrom)) or isinstance(node.names, cst.ImportStar):
        return node
    kept = [alias for alias in node.names if _bound_name(alias) not in value]
    if not kept:
        return None
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    if isinstance(node, cst.ImportFrom) and len(kept) < len(node.names) and node.lpar is not None and len(kept) == 1:
        return node.with_changes(names=kept, lpar=None, rpar=None)
    return node.with_changes(names=kept)


def combine_import_rewrites(first: dict, second: dict) -> dict:
    """Both edits of one statement: a fix replaces an import (`sklearn.cross_validation` ->
    `sklearn.model_selection`), then the names nothing uses are dropped from the replacement."""
    combined = dict(first)
    for key, rewrite in second.items():
        earlier = combined.get(key)
        if earlier is not None and earlier[0] == "replace" and rewrite[0] == "drop":
            kept = _rewrite_import(earlier[1], rewrite)
            combined[key] = ("replace", kept) if kept is not None else rewrite
        else:
            combined[key] = rewrite
    return combined


def simple_statement(code: str) -> cst.SimpleStatementLine:
    """One line of code nb2aml writes (a logging call, an assignment), parsed."""
    statement = cst.parse_statement(code)
    if not isinstance(statement, cst.SimpleStatementLine):
        raise ValueError(f"not a simple statement: {code!r}")
    return statement


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    name: cst.BaseExpression = alias.name
    while isinstance(name, cst.Attribute):
        name = name.value
    return name.value if isinstance(name, cst.Name) else ""


def _def_column(node, name_column: int) -> int:
    prefix = (
        len("async def ")
        if getattr(node, "asynchronous", None)
        else len("def ")
        if isinstance(node, cst.FunctionDef)
        else len("class ")
    )
    return name_column - prefix + 1


def _assign(name: str, value: cst.BaseExpression) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine(body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=value)])


def apply_cell_edits(module: cst.Module, edits: CellEdits, logged_metric) -> cst.Module:
    """Module -> Module: the cell with `edits` applied. Pure."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    return wrapper.visit(_CellTransformer(edits, logged_metric))


GUARD_RECORDER = "__nb2aml_skipped__"


def guarded(statements: list, label: tuple[int, str]) -> cst.Try:
    """`try: <statements> except Exception as e: __nb2aml_skipped__(line, text, e)`."""
    line, text = label
    template = cst.parse_statement(
        f"try:\n    pass\nexcept Exception as __nb2aml_error:\n    {GUARD_RECORDER}({line}, {text!r}, __nb2aml_error)\n"
    )
    assert isinstance(template, cst.Try)
    first = statements[0]
    body = [first.with_changes(leading_lines=()), *statements[1:]]
    return template.with_changes(body=template.body.with_changes(body=body), leading_lines=first.leading_lines)
