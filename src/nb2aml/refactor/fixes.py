"""The autofixes of NB501 (removed APIs) and NB502 (copy-on-write traps), as edits for `cell.apply_cell_edits`.

Each use the analysis found is rewritten when a finding for it is in the analysis (it was not
suppressed or deselected) and its fix is allowed (safe, or unsafe with --unsafe-fixes). Every
rewrite is addressed by the position of the call, attribute or import it changes, and checks the
node it is given: several calls can start at one place (`df.groupby(...).mean()`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from ..analysis.api_uses import ApiUse, find_api_uses
from ..analysis.catalogue import RemovedApi, by_key
from ..analysis.cow import CowTrap, find_cow_traps
from .cell import CellEdits, Change

CallRewrite = Callable[[cst.Call], cst.BaseExpression]
_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


@dataclass(frozen=True)
class FixEdits:
    edits: dict  # cell -> CellEdits
    needs_pandas: bool  # a rewrite calls `pd.concat`
    imports: tuple[str, ...] = ()  # modules a rewrite names in full (`sklearn.pipeline`)
    applied: tuple[str, ...] = field(default=())  # one line per fix, for reports


def concat_call(pandas_alias: str) -> CallRewrite:
    """`a.append(b, ignore_index=True)` -> `pd.concat([a, b], ignore_index=True)`."""

    def rewrite(call: cst.Call) -> cst.BaseExpression:
        if not _method_is(call, "append"):
            return call
        receiver = call.func.value  # type: ignore[attr-defined]
        positional = [arg for arg in call.args if arg.keyword is None]
        keywords = [arg for arg in call.args if arg.keyword is not None]
        frames = cst.List([cst.Element(receiver), *(cst.Element(arg.value) for arg in positional)])
        return cst.Call(
            func=cst.Attribute(cst.Name(pandas_alias), cst.Name("concat")), args=_joined([cst.Arg(frames), *keywords])
        )

    return rewrite


def rename_method(old: str, new: str) -> CallRewrite:
    def rewrite(call: cst.Call) -> cst.BaseExpression:
        return call.with_changes(func=call.func.with_changes(attr=cst.Name(new))) if _method_is(call, old) else call  # type: ignore[attr-defined]

    return rewrite


def _method_is(call: cst.Call, name: str) -> bool:
    return isinstance(call.func, cst.Attribute) and call.func.attr.value == name


def _callee_is(call: cst.Call, names: frozenset[str]) -> bool:
    func = call.func
    last = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    return last in names


def _joined(args: list[cst.Arg]) -> list[cst.Arg]:
    args = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in args]
    return [a.with_changes(comma=_COMMA) for a in args[:-1]] + args[-1:]


def _first_small_statement(code: str) -> cst.BaseSmallStatement:
    statement = cst.parse_statement(code)
    if not isinstance(statement, cst.SimpleStatementLine):
        raise ValueError(f"not a simple statement: {code!r}")
    return statement.body[0]


def _keyword(arg: cst.Arg, name: str | None) -> bool:
    return name is not None and arg.keyword is not None and arg.keyword.value == name


def _literal(text: str) -> cst.BaseExpression:
    try:
        float(text)
        return cst.parse_expression(text)
    except ValueError:
        return cst.SimpleString(repr(text))


def _parenthesized(node: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)) or node.lpar:
        return node
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def call_rewrite(entry: RemovedApi, pandas_alias: str) -> CallRewrite:
    """The rewrite of a call for a catalogue entry matched on a call."""
    callees = frozenset(t.rsplit(".", 1)[-1] for t in entry.targets)
    kind, new = entry.rewrite, entry.replacement or ""

    def rewrite(call: cst.Call) -> cst.BaseExpression:
        if not _callee_is(call, callees):
            return call
        args = list(call.args)
        if kind == "concat":
            return concat_call(pandas_alias)(call)
        if kind == "rename" and entry.match == "method":
            return rename_method(call.func.attr.value, new)(call)  # type: ignore[attr-defined]
        if kind == "rename":
            return call.with_changes(
                args=[a.with_changes(keyword=cst.Name(new)) if _keyword(a, entry.keyword) else a for a in args]
            )
        if kind == "drop_keyword":
            return call.with_changes(args=_joined([a for a in args if not _keyword(a, entry.keyword)]))
        if kind == "keyword_value":
            return call.with_changes(
                args=[a.with_changes(value=_literal(new)) if _keyword(a, entry.keyword) else a for a in args]
            )
        if kind == "positional_keywords":
            names = iter(new.split(","))
            positional = [i for i, a in enumerate(args) if a.keyword is None][entry.positional :]
            for index in positional:
                args[index] = args[index].with_changes(
                    keyword=cst.Name(next(names)),
                    equal=cst.AssignEqual(
                        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                    ),
                )
            return call.with_changes(args=args)
        if kind == "string_argument":
            first = args[0].value
            if not isinstance(first, cst.SimpleString):
                return call
            quote, text = first.value[0], first.evaluated_value
            if not isinstance(text, str):
                return call  # a bytes literal names no option
            value = new + text[len(str(entry.value)) :]
            return call.with_changes(
                args=[args[0].with_changes(value=cst.SimpleString(f"{quote}{value}{quote}")), *args[1:]]
            )
        if kind == "add_keyword":
            name, _, value = new.partition("=")
            added = cst.Arg(
                keyword=cst.Name(name),
                value=cst.parse_expression(value),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                ),
            )
            return call.with_changes(args=_joined([*args, added]))
        if kind == "method_to_attribute":
            return cst.Attribute(value=call.func.value, attr=cst.Name(new))  # type: ignore[attr-defined]
        if kind == "function_to_method":
            return cst.Call(func=cst.Attribute(value=_parenthesized(args[0].value), attr=cst.Name(new)))
        if kind == "catplot":
            renamed = call.with_changes(func=call.func.with_changes(attr=cst.Name(new)))  # type: ignore[attr-defined]
            if any(_keyword(a, "kind") for a in args):
                return renamed
            return renamed.with_changes(
                args=_joined(
                    [
                        *args,
                        cst.Arg(
                            keyword=cst.Name("kind"),
                            value=cst.SimpleString("'point'"),
                            equal=cst.AssignEqual(
                                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                            ),
                        ),
                    ]
                )
            )
        if kind == "power_half":
            plain = call.with_changes(args=_joined([a for a in args if not _keyword(a, entry.keyword)]))
            return cst.BinaryOperation(
                left=plain,
                operator=cst.Power(),
                right=cst.Float("0.5"),
                lpar=[cst.LeftParen()],
                rpar=[cst.RightParen()],
            )
        if kind == "one_vs_rest":
            model = call.with_changes(args=_joined([a for a in args if not _keyword(a, entry.keyword)]))
            wrapped = cst.parse_expression("sklearn.multiclass.OneVsRestClassifier(MODEL)").visit(_Substitute(model))
            assert isinstance(wrapped, cst.BaseExpression)  # substituting a name never removes the call
            return wrapped
        if kind == "scaled_pipeline":
            model = call.with_changes(args=_joined([a for a in args if not _keyword(a, entry.keyword)]))
            pipeline = cst.parse_expression(
                "sklearn.pipeline.make_pipeline(sklearn.preprocessing.StandardScaler(with_mean=False), MODEL)"
            ).visit(_Substitute(model))
            assert isinstance(pipeline, cst.BaseExpression)  # substituting a name never removes the call
            return pipeline
        return call

    return rewrite


class _Substitute(cst.CSTTransformer):
    def __init__(self, node: cst.BaseExpression):
        super().__init__()
        self.node = node

    def leave_Name(self, original: cst.Name, updated: cst.Name):
        return self.node if original.value == "MODEL" else updated


def attribute_rewrite(entry: RemovedApi, use: ApiUse) -> Callable[[cst.Attribute], cst.BaseExpression]:
    olds = frozenset(t.rsplit(".", 1)[-1] for t in entry.targets)

    def rewrite(node: cst.Attribute) -> cst.BaseExpression:
        if node.attr.value not in olds:
            return node
        if entry.rewrite == "replace_name":
            return cst.parse_expression((entry.replacement or "").format(module=use.detail))
        return node.with_changes(attr=cst.Name(entry.replacement or ""))

    return rewrite


def removed_api_edits(
    findings, facts, pandas_alias: str, unsafe: bool, changes: list, uses: tuple[ApiUse, ...] | None = None
) -> FixEdits:
    """The edits of the allowed NB501/NB502 fixes, by cell; `uses` (with `facts` None) rewrites the
    uses of one shipped module instead of the notebook's cells."""
    allowed: dict = {}
    for f in findings:
        if f.code in ("NB501", "NB502") and (f.fix == "safe" or (unsafe and f.fix == "unsafe")):
            allowed.setdefault((f.code, f.pos), []).append(f.message)
    entries = by_key()
    calls: dict[int, dict] = {}
    edits: dict[int, dict] = {}
    needs_pandas = False
    imports: set[str] = set()

    def add(cell: int, kind: str, key, value) -> None:
        edits.setdefault(cell, {"calls": {}, "replace": {}, "import_rewrites": {}})[kind][key] = value

    def add_call(cell: int, key, rewrite: CallRewrite) -> None:
        calls.setdefault(cell, {}).setdefault(key, []).append(rewrite)

    for use in find_api_uses(facts) if uses is None else uses:
        entry = entries[use.key]
        messages = allowed.get(("NB501", use.pos), [])
        if entry.rewrite is None or not any(m.startswith(entry.message) for m in messages):
            continue
        key = (use.anchor.line, use.anchor.col)
        if use.anchor_kind == "import":
            add(use.anchor.cell, "import_rewrites", key, ("replace", _first_small_statement(use.detail)))
        elif use.anchor_kind == "attribute" and entry.rewrite in ("rename", "replace_name"):
            add(use.anchor.cell, "replace", key, (cst.Attribute, attribute_rewrite(entry, use)))
        else:
            add_call(use.anchor.cell, key, call_rewrite(entry, pandas_alias))
        needs_pandas |= entry.rewrite == "concat"
        if entry.rewrite == "scaled_pipeline":
            imports |= {"sklearn.pipeline", "sklearn.preprocessing"}
        if entry.rewrite == "one_vs_rest":
            imports.add("sklearn.multiclass")
        changes.append(
            Change("NB501", use.anchor.cell, f"{fix_label(entry, use, pandas_alias)} at line {use.anchor.line}")
        )
    for trap in find_cow_traps(facts) if facts is not None else ():
        if allowed.get(("NB502", trap.pos)):
            add(
                trap.pos.cell,
                "import_rewrites",
                (trap.statement.line, trap.statement.col),
                ("replace", _first_small_statement(trap.fixed)),
            )
            changes.append(
                Change("NB502", trap.pos.cell, f"{trap.kind.replace('_', ' ')} at line {trap.pos.line} -> {trap.fixed}")
            )
    for cell, by_key_calls in calls.items():
        for key, rewrites in by_key_calls.items():
            add(cell, "calls", key, _composed(rewrites))
    result = {
        cell: CellEdits(replace=parts["replace"], calls=parts["calls"], import_rewrites=parts["import_rewrites"])
        for cell, parts in edits.items()
    }
    return FixEdits(
        result,
        needs_pandas,
        tuple(sorted(imports)),
        tuple(c.description for c in changes if c.code in ("NB501", "NB502")),
    )


def fix_label(entry: RemovedApi, use: ApiUse, pandas_alias: str) -> str:
    """What a fix did, in a few words: `DataFrame.append -> pd.concat`, `labels= -> tick_labels=`."""
    old = entry.targets[0].rsplit(".", 1)[-1]
    if entry.rewrite == "concat":
        return f"DataFrame.append -> {pandas_alias}.concat"
    if entry.rewrite == "module" or use.anchor_kind == "import":
        return f"{entry.targets[0]} -> {use.detail}"
    if entry.rewrite == "replace_name":
        return f"{entry.targets[0]} -> {(entry.replacement or '').format(module=use.detail)}"
    if entry.rewrite == "rename" and entry.keyword:
        return f"{entry.keyword}= -> {entry.replacement}="
    if entry.rewrite == "rename":
        call = "()" if entry.match == "method" else ""
        return f".{old}{call} -> .{entry.replacement}{call}"
    if entry.rewrite in ("keyword_value", "drop_keyword", "power_half", "scaled_pipeline", "one_vs_rest"):
        return (
            f"{entry.keyword}={entry.value!r} -> "
            + {
                "keyword_value": f"{entry.keyword}={entry.replacement!r}",
                "drop_keyword": "default",
                "power_half": "** 0.5",
                "scaled_pipeline": "StandardScaler pipeline",
                "one_vs_rest": "OneVsRestClassifier",
            }[entry.rewrite]
        )
    if entry.rewrite == "positional_keywords":
        return f"positional arguments of {old} -> {entry.replacement}="
    if entry.rewrite == "string_argument":
        return f"{entry.value!r} -> {entry.replacement!r}"
    return f"{entry.key} -> {entry.replacement}"


def _composed(rewrites: list[CallRewrite]) -> CallRewrite:
    def rewrite(call: cst.Call) -> cst.BaseExpression:
        node: cst.BaseExpression = call
        for one in rewrites:
            if not isinstance(node, cst.Call):
                break
            node = one(node)
        return node

    return rewrite


__all__ = ["CowTrap", "FixEdits", "concat_call", "removed_api_edits", "rename_method"]
