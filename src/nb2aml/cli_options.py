"""The options `convert` and `split` share, and the small pure helpers of the command line.

Kept apart from `cli.py` so that the commands there read as: parse, call the library, print.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import ConfigError


def confirm(yes: bool) -> bool:
    if yes or not sys.stdin.isatty():
        return True
    return click.confirm("Write these files?", default=True)


def output_options(func):
    """The options `convert` and `split` share: environment, review and writing.

    Each one is a field of `command_options.OutputOptions` under its parameter name.
    """
    options = [
        click.option(
            "-o",
            "--output",
            "out_dir",
            type=click.Path(path_type=Path),
            required=True,
            help="Output folder (must be empty or new).",
        ),
        click.option(
            "--requirements",
            type=click.Path(path_type=Path),
            help="The data scientist's pip freeze (default: requirements.txt beside the notebook).",
        ),
        click.option(
            "--environment", type=click.Path(path_type=Path), help="The data scientist's conda environment yaml."
        ),
        click.option("--compute", default="azureml:cpu-cluster", show_default=True, help="Compute target."),
        click.option("--base-image", help="Docker base image (default: python:X.Y-slim of the notebook's Python)."),
        click.option(
            "--data-uri",
            "data_uris",
            multiple=True,
            metavar="NAME=URI",
            help="Also write a full-data YAML with input NAME at URI (azureml://...).",
        ),
        click.option(
            "--input",
            "named_inputs",
            multiple=True,
            metavar="NAME=PATH",
            help="Name a path nb2aml cannot resolve (NB801 prints the option): PATH, relative to the notebook's "
            "folder, becomes input NAME.",
        ),
        click.option("--experiment-name", help="Experiment name (default: the job's name)."),
        click.option("--strip-prints", is_flag=True, help="Remove print calls too."),
        click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour."),
        click.option(
            "--no-fix",
            "no_fix",
            multiple=True,
            metavar="CODE",
            help=(
                "Turn off one rule's rewrite (NB201, NB202, NB301, NB302, NB501, NB703); "
                "--select/--ignore only change the report."
            ),
        ),
        click.option(
            "--mlflow-model",
            is_flag=True,
            help="Also save the model the notebook writes as an MLflow model in the same output.",
        ),
        click.option("--diff", "show_diff", is_flag=True, help="Show the scripts as a diff against the notebook."),
        click.option("--side-by-side", is_flag=True, help="Show the diff side by side."),
        click.option("--dry-run", is_flag=True, help="Show everything, write nothing."),
        click.option("--yes", "-y", is_flag=True, help="Do not ask before writing."),
        click.option(
            "--force",
            is_flag=True,
            help="Write into a folder nb2aml did not write: the files it replaces go to .nb2aml/backup/ first.",
        ),
        click.option("--ours", is_flag=True, help="Updating a folder: settle conflicting hunks with your side."),
        click.option("--theirs", is_flag=True, help="Updating a folder: settle conflicting hunks with nb2aml's side."),
        click.option("--no-validate", is_flag=True, help="Skip the azure-ai-ml validation of the YAML files."),
        click.option(
            "--resolve",
            "resolve_first",
            is_flag=True,
            help="Resolve the requirements for the image before writing (see validate --resolve).",
        ),
        click.option("--verify", "verify_after", is_flag=True, help="Run `nb2aml verify` right after writing."),
        *sweep_options(),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def sweep_options() -> list:
    """`--sweep` and what shapes the sweep job (see emit/sweep.py)."""
    return [
        click.option(
            "--sweep", is_flag=True, help="Also write sweep.yml: an Azure ML sweep job over the hyperparameters."
        ),
        click.option(
            "--search-space",
            "search_space",
            multiple=True,
            metavar="NAME=SPEC",
            help=(
                "Search NAME with SPEC: choice(a,b), uniform(a,b), loguniform(a,b), randint(n), quniform(a,b,q) "
                "or fixed."
            ),
        ),
        click.option(
            "--objective",
            metavar="METRIC[=minimize|maximize]",
            help="Metric the sweep optimises (default: the first logged).",
        ),
        click.option(
            "--max-trials", type=click.IntRange(1), default=20, show_default=True, help="Trials of the sweep."
        ),
        click.option(
            "--max-concurrent", type=click.IntRange(1), default=4, show_default=True, help="Trials running at once."
        ),
    ]


def start_validator(validates: bool):
    """azure-ai-ml loads in a second process while the notebook is analysed (emit/background.py)."""
    if not validates:
        return None
    from .emit.background import BackgroundValidator

    return BackgroundValidator()


def pair(item: str, option: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name or not value:
        raise ConfigError(f"{option} takes NAME=VALUE, not {item!r}")
    return name.strip(), value.strip()


def warn_missing_inputs(console, analysis) -> None:
    """Inputs whose local path does not exist: the job keeps it as a default, `nb2aml run` will need --input."""
    from .analysis.assets import is_remote
    from .plan.assets import written_data_files

    folder = Path(analysis.notebook.path).parent
    written = written_data_files(analysis.notebook)  # shipped under written/: not read from the notebook's folder
    for asset in analysis.inputs:
        if is_remote(asset.path) or "*" in asset.path or os.path.normpath(asset.path) in written:
            continue
        local = Path(asset.path).expanduser()
        local = Path(os.path.abspath(local if local.is_absolute() else folder / local))
        if not local.exists():
            console.print(
                f"[yellow]warning:[/] input --{asset.name}: {asset.path} does not exist ({local}); it stays the "
                f"default path, so `nb2aml run` needs --input {asset.name}=PATH",
                markup=True,
                highlight=False,
            )
