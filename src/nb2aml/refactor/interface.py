"""The interface of a script is what its kept code reads.

The analysis finds every hard-coded path, hyperparameter and metric of the notebook; a job (or
one pipeline step) declares only those its kept code holds: an input read only by a stripped
cell is no argument, no job.yml input and no parameter to log, and a metric whose computation
was stripped is not logged. `--no-fix` rewrites (see `policy`) leave their literals in place, so
they are not part of the interface either.
"""

from __future__ import annotations

from dataclasses import replace

from ..analysis import NotebookFacts
from ..analysis.assets import is_remote
from ..types import Analysis, Position
from .policy import FixPolicy


def kept_spans(
    nb: NotebookFacts, keep: frozenset[int]
) -> tuple[list[tuple[Position, Position]], list[tuple[Position, Position]]]:
    """(spans of the kept top-level statements, spans removed inside them)."""
    kept = [(s.pos, s.end) for s in nb.facts.statements if s.depth == 0 and s.id in keep]
    holes = [(s.pos, s.end) for s in nb.facts.statements if s.id in nb.removed_nested]
    return kept, holes


def in_kept_code(pos: Position, spans: tuple[list, list]) -> bool:
    kept, holes = spans
    return any(start <= pos <= end for start, end in kept) and not any(start <= pos <= end for start, end in holes)


def kept_interface(
    analysis: Analysis,
    nb: NotebookFacts,
    keep: frozenset[int],
    *,
    policy: FixPolicy | None = None,
    bound: frozenset[str] = frozenset(),
    tidy_names: bool = False,
) -> Analysis:
    """`analysis` with only the inputs, outputs, parameters and metrics the code `keep` holds.

    `bound`: variables a pipeline step gets as arguments although another step defines them.
    `tidy_names`: give back a name a dropped item had taken (`alpha_2` becomes `alpha`); only for
    the whole notebook, before steps are planned, since the steps of a pipeline share its names.
    """
    policy = policy or FixPolicy()
    spans = kept_spans(nb, keep)
    constants = {variable: pos for variable, (_, pos) in nb.facts.constants.items()}

    def held(uses: tuple[Position, ...], variable: str | None) -> bool:
        return any(in_kept_code(p, spans) for p in uses) or (variable is not None and variable in bound)

    # A URL holding a credential (a SAS URL) stays an input: `secrets_guard` then refuses, naming it.
    inputs = tuple(a for a in analysis.inputs if policy.applies("NB201") and held(a.uses, a.variable))
    # A file written to a URL stays where the notebook wrote it: an output folder would stay empty.
    outputs = tuple(
        a
        for a in analysis.outputs
        if policy.applies("NB202")
        and not is_remote(a.path)
        and held(tuple(p for p in a.uses if p not in a.reads), a.variable)
    )
    # A file an earlier step wrote and this one reads back: that step's output is this step's input.
    inputs += tuple(
        replace(a, direction="read")
        for a in analysis.outputs
        if a not in outputs and any(in_kept_code(p, spans) for p in a.reads)
    )
    parameters = tuple(
        p
        for p in analysis.parameters
        if policy.applies("NB301") and (in_kept_code(p.pos, spans) or any(constants.get(v) == p.pos for v in bound))
    )
    metrics = tuple(m for m in analysis.metrics if policy.applies("NB302") and in_kept_code(m.pos, spans))
    if tidy_names:
        inputs, outputs, parameters = _tidy(analysis, inputs, outputs, parameters)
    return replace(analysis, inputs=inputs, outputs=outputs, parameters=parameters, metrics=metrics)


def _tidy(full: Analysis, inputs: tuple, outputs: tuple, parameters: tuple) -> tuple[tuple, tuple, tuple]:
    """`alpha_2` -> `alpha` when the `alpha` it was numbered after is no longer in the interface."""
    kept: list = [*inputs, *outputs, *parameters]
    every: list = [*full.inputs, *full.outputs, *full.parameters]
    dropped = {item.name for item in every} - {item.name for item in kept}
    taken = {item.name for item in kept}
    renamed: list = []
    for item in kept:
        base, _, number = item.name.rpartition("_")
        if number.isdigit() and base in dropped and base not in taken:
            taken.discard(item.name)
            taken.add(base)
            dropped.discard(base)
            item = replace(item, name=base)
        renamed.append(item)
    n_in, n_out = len(inputs), len(outputs)
    return tuple(renamed[:n_in]), tuple(renamed[n_in : n_in + n_out]), tuple(renamed[n_in + n_out :])


def dropped_from_interface(full: Analysis, kept: Analysis) -> tuple[str, ...]:
    """One line per input, output, parameter or metric of the notebook the script does not have."""
    lines = []
    held = (
        {a.pos for a in kept.inputs + kept.outputs} | {p.pos for p in kept.parameters} | {m.pos for m in kept.metrics}
    )
    for asset in full.inputs + full.outputs:
        if asset.pos not in held:
            kind = "input" if asset.direction == "read" else "output"
            lines.append(f"{kind} {asset.path!r} (cell {asset.pos.cell}): no kept code reads it")
    for param in full.parameters:
        if param.pos not in held:
            lines.append(f"parameter {param.name}={param.value!r} (cell {param.pos.cell}): no kept code reads it")
    for metric in full.metrics:
        if metric.pos not in held:
            lines.append(f"metric {metric.name} (cell {metric.pos.cell}): its computation is not kept")
    return tuple(lines)
