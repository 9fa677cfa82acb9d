"""Facts from a notebook: the stage between `notebook` and `rules` / `refactor`."""

from __future__ import annotations

from dataclasses import dataclass

from ..naming import UniqueNames
from ..types import DataAsset, Facts, Metric, Notebook, Parameter
from .assets import find_assets
from .collect import collect
from .hyperparams_containers import find_container_parameters
from .metrics import find_metrics
from .parameters import find_parameters
from .slice import backward_slice
from .versions import LibraryVersions
from .world import with_local_plot_calls, world_assets

RESERVED_ARGUMENTS = {"help"}


@dataclass(frozen=True)
class NotebookFacts:
    """Facts plus what is derived from them: the slice and the job's interface."""

    facts: Facts
    kept: frozenset[int]
    removed_nested: frozenset[int]
    inputs: tuple[DataAsset, ...]
    outputs: tuple[DataAsset, ...]
    parameters: tuple[Parameter, ...]
    metrics: tuple[Metric, ...]
    # The library versions the code meets (the data scientist's pins, the ones here): NB501 checks both.
    versions: LibraryVersions = LibraryVersions()


def analyse(notebook: Notebook, *, strip_prints: bool = False) -> NotebookFacts:
    facts, _ = collect(notebook)
    facts = with_local_plot_calls(notebook, facts)
    kept, removed_nested = backward_slice(facts, strip_prints=strip_prints)
    names = UniqueNames(RESERVED_ARGUMENTS)
    inputs, outputs = find_assets(facts, names)
    inputs, outputs = world_assets(notebook, facts, inputs, outputs)
    asset_variables = {a.variable for a in inputs + outputs if a.variable}
    parameters = find_parameters(facts, names, asset_variables)
    asset_literals = frozenset(pos for a in inputs + outputs for pos in (a.pos, *a.uses))
    parameters += find_container_parameters(facts, names, parameters, asset_literals, asset_variables, kept)
    metrics = find_metrics(facts, UniqueNames())
    return NotebookFacts(facts, kept, removed_nested, inputs, outputs, parameters, metrics)
