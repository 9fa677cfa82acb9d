"""`nb2aml run DIR`: a pipeline folder runs as a pipeline, anything else as a command job."""

from __future__ import annotations

from pathlib import Path

from .pipeline import find_pipeline_yaml, run_pipeline
from .result import RunResult


def run_folder(folder: Path, **options) -> RunResult:
    folder = Path(folder)
    if folder.is_dir() and find_pipeline_yaml(folder) is not None:
        return run_pipeline(folder, **options)
    from .local import run_job

    options.pop("parallel", None)
    return run_job(folder, **options)
