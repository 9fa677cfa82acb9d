"""What a job plan and a pipeline plan start from alike."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..analysis import NotebookFacts
from ..refactor.interface import dropped_from_interface, kept_interface
from ..refactor.mlflow_logging import notebook_experiment
from ..refactor.script import ConvertOptions
from ..types import Analysis

if TYPE_CHECKING:
    from .job import JobOptions


def kept_plan(
    analysis: Analysis, nb: NotebookFacts, convert: ConvertOptions, options: JobOptions
) -> tuple[Analysis, JobOptions, tuple[str, ...]]:
    """(the analysis restricted to what kept code reads, the options, what is not in the output).

    The experiment the notebook names with `mlflow.set_experiment` is the job's (the call is left
    out); only what the kept code reads is an input, output or parameter (`--no-fix` literals are
    none), so no step is bound to a variable it will not be given.
    """
    options = replace(options, experiment_name=options.experiment_name or notebook_experiment(nb.facts, nb.kept))
    kept = kept_interface(analysis, nb, nb.kept, policy=convert.policy, tidy_names=True)
    return kept, options, dropped_from_interface(analysis, kept) + convert.policy.describe()
