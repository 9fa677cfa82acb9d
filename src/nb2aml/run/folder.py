"""`nb2aml run DIR`: a pipeline folder runs as a pipeline, anything else as a command job."""

from __future__ import annotations

from pathlib import Path

from .pipeline import find_pipeline_yaml, run_pipeline
from .result import RunResult


def run_folder(folder: Path, *, isolated: bool = False, docker: bool = False, **options) -> RunResult:
    """`isolated`: in fresh environments built from the folder's requirements (`python`: the
    interpreter or version to build them from, default the image's); `docker`: in the images."""
    folder = Path(folder)
    if docker:
        from .docker import run_docker

        return run_docker(folder, **options)
    if isolated:
        from .isolated import run_isolated

        return run_isolated(folder, **options)
    if folder.is_dir() and find_pipeline_yaml(folder) is not None:
        return run_pipeline(folder, **options)
    from .local import run_job

    options.pop("parallel", None)
    return run_job(folder, **options)
