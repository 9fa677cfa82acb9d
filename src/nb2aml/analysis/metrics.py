"""Metric computations: sklearn.metrics scalars, `estimator.score`, and metric helper functions."""

from __future__ import annotations

from dataclasses import replace

from ..naming import UniqueNames, slug
from ..types import CallFact, Facts, Metric, Statement
from . import knowledge as K


def metric_function(call: CallFact, metric_helpers: frozenset[str]) -> str | None:
    qual = call.qualname
    if qual and qual.startswith("sklearn.metrics."):
        last = qual.rsplit(".", 1)[1]
        if last[:1].islower() and last not in K.NON_SCALAR_METRICS and not last.startswith(("plot_", "make_", "get_")):
            return qual
    if qual in K.FOLD_METRICS:
        return qual
    if call.method == "score" and call.receiver_type == "estimator":
        return "<estimator>.score"
    if qual and qual.startswith("<local>.") and qual[8:] in metric_helpers:
        return qual[8:]
    return None


def _metric_helpers(facts: Facts) -> frozenset[str]:
    helpers: set[str] = set()
    by_id = {s.id: s for s in facts.statements}
    for sid, call in facts.calls:
        statement = by_id[sid]
        if (
            statement.kind in ("FunctionDef", "AsyncFunctionDef")
            and call.in_function
            and metric_function(call, frozenset())
        ):
            helpers |= statement.defines
    for name in facts.functions:
        if set(name.lower().split("_")) & K.METRIC_LIKE_NAMES:
            helpers.add(name)
    # A helper that returns nothing (it prints or plots a score) gives no number to log.
    return frozenset(
        h
        for h in helpers
        if h in facts.functions and facts.functions[h].returns_value and not facts.functions[h].plots_only
    )


def find_metrics(facts: Facts, names: UniqueNames) -> tuple[Metric, ...]:
    helpers = _metric_helpers(facts)
    logged_all = any(c.qualname in K.MLFLOW_AUTOLOG for _, c in facts.calls)
    logged_reads: set[str] = set()
    printed_reads: set[str] = set()
    by_id = {s.id: s for s in facts.statements}
    for sid, call in facts.calls:
        if call.qualname in K.MLFLOW_METRIC_LOGGERS:
            logged_reads |= by_id[sid].reads
        if call.qualname == "builtins.print":
            printed_reads |= by_id[sid].reads
    print_labels = {sid: c.label for sid, c in facts.calls if c.qualname == "builtins.print" and c.label}
    # (call, metric function, its last name, printed, logged, print label, statement)
    found: list[tuple[CallFact, str, str, bool, bool, str | None, Statement]] = []
    elements: list[tuple[int, Metric]] = []
    for sid, call in facts.calls:
        if call.in_function:
            continue
        function = metric_function(call, helpers)
        if function is None:
            continue
        statement = by_id[sid]
        if function in helpers and len(call.assigned_to) > 1:
            # `mae, r2 = evaluate(model, X, y)`: the helper returns several numbers, each name is a metric.
            where = dict(statement.define_positions)
            for variable in call.assigned_to:
                if variable in where:
                    elements.append(
                        (
                            len(found),
                            Metric(
                                name=variable,
                                pos=where[variable],
                                function=function,
                                printed=variable in printed_reads,
                                logged=logged_all or variable in logged_reads,
                                variable=variable,
                            ),
                        )
                    )
            continue
        in_print = "builtins.print" in call.enclosing
        in_log = any(e in K.MLFLOW_METRIC_LOGGERS for e in call.enclosing)
        printed = in_print or bool(statement.defines & printed_reads)
        logged = logged_all or in_log or bool(statement.defines & logged_reads)
        base = function.rsplit(".", 1)[-1]
        found.append((call, function, base, printed, logged, print_labels.get(sid) if in_print else None, statement))
    counts: dict[str, int] = {}
    for item in found:
        counts[item[2]] = counts.get(item[2], 0) + 1
    metrics = []
    for call, function, base, printed, logged, label, statement in found:
        name = base
        if counts[base] > 1:
            if label:
                name = slug(label)
            elif len(statement.defines) == 1:
                name = next(iter(statement.defines))
        metrics.append(
            Metric(
                name=names.claim(name), pos=call.pos, function=function, printed=printed, logged=logged, end=call.end
            )
        )
    for index, metric in reversed(elements):  # in notebook order among the others
        metrics.insert(index, metric)
    return tuple(replace(m, name=names.claim(m.name)) if m.variable else m for m in metrics)
