"""The autofixes of rules whose rewrite is exact (NB501), as edits for `cell.apply_cell_edits`."""

from __future__ import annotations

import libcst as cst

from ..analysis import knowledge as K
from .cell import CellEdits


def concat_call(pandas_alias: str):
    """`a.append(b, ignore_index=True)` -> `pd.concat([a, b], ignore_index=True)`."""

    def rewrite(call: cst.Call) -> cst.BaseExpression:
        receiver = call.func.value  # type: ignore[attr-defined]
        positional = [arg for arg in call.args if arg.keyword is None]
        keywords = [arg for arg in call.args if arg.keyword is not None]
        frames = cst.List([cst.Element(receiver), *(cst.Element(arg.value) for arg in positional)])
        args = [cst.Arg(frames)] + [kw.with_changes(comma=cst.MaybeSentinel.DEFAULT) for kw in keywords]
        args = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in args[:-1]] + args[-1:]
        return cst.Call(func=cst.Attribute(cst.Name(pandas_alias), cst.Name("concat")), args=args)

    return rewrite


def rename_method(new_name: str):
    def rewrite(call: cst.Call) -> cst.BaseExpression:
        return call.with_changes(func=call.func.with_changes(attr=cst.Name(new_name)))  # type: ignore[attr-defined]

    return rewrite


def removed_api_edits(findings, facts, pandas_alias: str, unsafe: bool, changes: list) -> tuple[dict[int, CellEdits], bool]:
    from .script import Change

    allowed = {(f.pos): f.fix for f in findings if f.code == "NB501" and (f.fix == "safe" or (unsafe and f.fix == "unsafe"))}
    edits: dict[int, dict] = {}
    needs_pandas = False

    def add(cell: int, kind: str, key, value) -> None:
        edits.setdefault(cell, {"calls": {}, "replace": {}, "import_rewrites": {}})[kind][key] = value

    for _, call in facts.calls:
        if call.pos not in allowed or call.receiver_type != "pandas":
            continue
        key = (call.pos.line, call.pos.col)
        if call.method == "append":
            add(call.pos.cell, "calls", key, concat_call(pandas_alias))
            needs_pandas = True
            changes.append(Change("NB501", call.pos.cell, f"DataFrame.append -> {pandas_alias}.concat at line {call.pos.line}"))
        elif call.method == "iteritems":
            add(call.pos.cell, "calls", key, rename_method("items"))
            changes.append(Change("NB501", call.pos.cell, f".iteritems() -> .items() at line {call.pos.line}"))
    for _, qual, pos, _end in facts.references:
        if pos in allowed:
            replacement = K.REMOVED_ATTRIBUTES[qual]
            add(pos.cell, "replace", (pos.line, pos.col), (cst.Attribute, cst.Name(replacement)))
            changes.append(Change("NB501", pos.cell, f"{qual} -> {replacement} at line {pos.line}"))
    for s in facts.statements:
        for name, qual in s.imports:
            if qual in K.REMOVED_IMPORTS and s.pos in allowed:
                statement = cst.parse_statement(f"import {K.REMOVED_IMPORTS[qual]}").body[0]
                add(s.cell, "import_rewrites", (s.pos.line, s.pos.col), ("replace", statement))
                changes.append(Change("NB501", s.cell, f"{qual} -> import {K.REMOVED_IMPORTS[qual]}"))
    result = {
        cell: CellEdits(replace=parts["replace"], calls=parts["calls"], import_rewrites=parts["import_rewrites"])
        for cell, parts in edits.items()
    }
    return result, needs_pandas
