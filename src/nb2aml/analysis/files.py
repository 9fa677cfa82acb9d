"""Files as values: a path the notebook writes and later reads back is internal to the run.

`clean.to_csv('clean.csv')` ... `pd.read_csv('clean.csv')` reads what the notebook itself wrote a
moment ago, never the copy left on disk by an earlier session. Such a read is not a job input: it
reads the output folder the write went to (a job writes it, then reads it from there; in a pipeline
the writing step's output is the reading step's input, an edge of the DAG).
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from ..types import DataAsset, Facts, PathUse, Position


def _norm(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/")) if path else "."


def written_files(asset: DataAsset) -> set[str]:
    """Every path the output asset stands for: the folder itself and each file written inside it."""
    folder = _norm(asset.path)
    return {folder} | {_norm(posixpath.join(folder, member)) for member in asset.members}


def link_internal_files(
    facts: Facts,
    inputs: tuple[DataAsset, ...],
    outputs: tuple[DataAsset, ...],
    prefixes: dict[Position, str] | None = None,
) -> tuple[tuple[DataAsset, ...], tuple[DataAsset, ...]]:
    """Inputs that read back what an output wrote earlier become reads of that output.

    `prefixes` maps a literal's position to the folder `%cd` made current there, so that a path is
    compared as the notebook resolved it.
    """
    prefixes = prefixes or {}
    first_write: dict[str, int] = {}  # output name -> first statement writing it
    first_read: dict[Position, int] = {}  # literal -> first statement reading through it
    for sid, use in facts.paths:
        if use.direction == "write":
            for asset in outputs:
                if use.literal_pos in asset.uses:
                    first_write.setdefault(asset.name, sid)
        else:
            first_read.setdefault(use.literal_pos, sid)
    files = {asset.name: written_files(_prefixed(asset, prefixes)) for asset in outputs}
    wholes = _whole_writes(facts, outputs)
    kept_inputs = []
    reads: dict[str, list[Position]] = {}
    for asset in inputs:
        target = _norm(_prefixed(asset, prefixes).path)
        read_at = min((first_read.get(pos, 1 << 30) for pos in asset.uses), default=1 << 30)
        writer = next(
            (o for o in outputs if target in files[o.name] and first_write.get(o.name, 1 << 30) < read_at), None
        ) or next(
            (
                o
                for where, whole, o in wholes
                if where < asset.pos and (target == whole or target.startswith(whole + "/") or whole == ".")
            ),
            None,
        )
        if writer is None:
            kept_inputs.append(asset)
            continue
        reads.setdefault(writer.name, []).extend(asset.uses)
    linked = []
    for asset in outputs:
        extra = tuple(p for p in reads.get(asset.name, ()) if p not in asset.uses)
        if extra:
            asset = replace(asset, uses=tuple(sorted(asset.uses + extra)), reads=tuple(sorted(asset.reads + extra)))
        linked.append(asset)
    return tuple(kept_inputs), tuple(linked)


def _whole_writes(facts: Facts, outputs: tuple[DataAsset, ...]) -> list[tuple[Position, str, DataAsset]]:
    """(where, path, output) for what a shell step writes wholesale (a folder it extracts or copies):
    a later read below the path reads what the step made, from the output the step writes into."""
    from .shell_steps import shell_steps

    found = []
    for step in shell_steps(facts.notebook):
        at_step = [o for o in outputs if any((p.cell, p.line) == (step.cell, step.line) for p in o.uses)]
        writer = next((o for o in at_step if not all(p in o.reads for p in o.uses)), None)
        if writer is not None:
            found += [(Position(step.cell, step.line, 1), _norm(whole), writer) for whole in step.whole]
    return found


def _prefixed(asset: DataAsset, prefixes: dict[Position, str]) -> DataAsset:
    prefix = prefixes.get(asset.pos)
    if not prefix or asset.path.startswith(("/", "~")) or "://" in asset.path:
        return asset
    return replace(asset, path=posixpath.join(prefix, asset.path))


def is_internal_use(use: PathUse, outputs: tuple[DataAsset, ...]) -> bool:
    return any(use.literal_pos in a.reads for a in outputs)
