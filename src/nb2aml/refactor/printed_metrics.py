"""Log what the notebook prints as a metric: per step in a training loop, or a final value.

The facts come from `analysis.printed_metrics`; this module turns each into statements added
after the print's line. A value a metric function computed is logged as it is; any other printed
value is converted with `float()` inside a guard, so that a label that only looked like a metric
(`print("scores:", scores)` of a list) logs nothing rather than stopping the job.
"""

from __future__ import annotations

import libcst as cst

from ..analysis import NotebookFacts
from ..analysis.printed_metrics import find_printed_metrics
from ..naming import UniqueNames
from ..types import Analysis, Position
from .cell import CellEdits, Change


def printed_metric_edits(
    analysis: Analysis,
    nb: NotebookFacts,
    spans: list[tuple[Position, Position]] | None,
    strip_prints: bool,
    changes: list,
    record: str | None = None,
) -> tuple[dict[int, CellEdits], frozenset[Position]]:
    """(edits by cell, the metric calls whose logging these edits take over).

    `spans`: the statements of the script (None: the whole notebook); `record`: a function called
    `record(name, value)` instead of `mlflow.log_metric` (the baseline `verify` runs).
    """
    if strip_prints:
        return {}, frozenset()  # the prints go, and what only they read may go with them
    found, covered = _found(analysis, nb, spans)
    edits: dict[int, dict] = {}
    for printed, key in _keyed(analysis, found, covered):
        step = f", step={printed.step}" if printed.step and record is None else ""
        log = record or "mlflow.log_metric"
        if printed.known_number:
            statement: cst.BaseStatement = cst.parse_statement(f"{log}({key!r}, {printed.expression}{step})")
        else:
            statement = cst.parse_statement(
                f"try:\n    {log}({key!r}, float({printed.expression}){step})\n"
                "except (TypeError, ValueError):  # printed, but not one number\n    pass\n"
            )
        pos = printed.print_pos
        edits.setdefault(pos.cell, {}).setdefault((pos.line, pos.col), []).append(statement)
        where = f" at each step {printed.step}" if printed.step else ""
        changes.append(
            Change(
                "NB302", pos.cell, f"printed metric {key} ({printed.expression}) logged with mlflow.log_metric{where}"
            )
        )
    return {cell: CellEdits(after=after) for cell, after in edits.items()}, covered


def _found(analysis: Analysis, nb: NotebookFacts, spans: list[tuple[Position, Position]] | None):
    found = [
        p
        for p in find_printed_metrics(nb.facts, analysis.metrics)
        if spans is None or any(a <= p.print_pos <= b for a, b in spans)
    ]
    return found, frozenset(pos for p in found for pos in p.covers)


def _keyed(analysis: Analysis, found: list, covered: frozenset[Position]) -> list[tuple]:
    """Each printed metric with the MLflow key it is logged under (unique beside the other metrics)."""
    names = UniqueNames({m.name for m in analysis.metrics if m.pos not in covered})
    keys: dict[str, str] = {}
    return [(printed, keys.setdefault(printed.name, names.claim(printed.name))) for printed in found]


def printed_metric_keys(
    analysis: Analysis, nb: NotebookFacts, spans: list[tuple[Position, Position]]
) -> tuple[str, ...]:
    """The keys of the printed metrics the statements `spans` hold print (and so log)."""
    found, covered = _found(analysis, nb, spans)
    return tuple(dict.fromkeys(key for _, key in _keyed(analysis, found, covered)))
