"""What each command was asked, as one frozen dataclass built once from click's parameters.

A command's click options (in `cli.py` and `cli_options.py`) and its dataclass here name the same
things: click's parameter names are the field names, and `parsed_into` builds the dataclass from
them before the command runs, so a command receives one typed value, never a `**kwargs` dict.
Adding an option is one field here and one `click.option` there; a click option with no field
fails the first time the command runs (and `tests/test_command_options.py` checks every command).

The methods turn the parsed options into the library's own option types (`ConvertOptions`,
`JobOptions`, `SweepOptions`) and the record `.nb2aml/manifest.json` keeps; nothing here reads a
notebook or writes a file.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, TypeVar

from .cli_options import pair
from .errors import ConfigError

Options = TypeVar("Options")


def parsed_into(cls: type[Options]) -> Callable[[Callable[[Options], None]], Callable[..., None]]:
    """Decorate a command taking one `cls`: click's keyword parameters become that dataclass."""

    def decorate(command: Callable[[Options], None]) -> Callable[..., None]:
        @functools.wraps(command)
        def from_click(**params: Any) -> None:
            command(cls(**params))

        from_click.options_class = cls  # type: ignore[attr-defined]  # for tests/test_command_options.py
        return from_click

    return decorate


def _one_of_two(first: tuple[str, object], second: tuple[str, object]) -> None:
    if first[1] and second[1]:
        raise ConfigError(f"give {first[0]} or {second[0]}, not both")


@dataclass(frozen=True)
class EnvironmentFileOptions:
    """The data scientist's environment: a pip freeze or a conda file (default: found beside the notebook)."""

    requirements: Path | None = None
    environment: Path | None = None

    def __post_init__(self) -> None:
        _one_of_two(("--requirements", self.requirements), ("--environment", self.environment))


@dataclass(frozen=True)
class AnalyzeCommand(EnvironmentFileOptions):
    notebook: Path = Path()
    fmt: Literal["text", "json", "sarif"] = "text"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strip_prints: bool = False

    @property
    def selected(self) -> tuple[str, ...]:
        return _codes(self.select)

    @property
    def ignored(self) -> tuple[str, ...]:
        return _codes(self.ignore)


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """Rule codes given repeated or comma-separated, upper-cased."""
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


@dataclass(frozen=True)
class OutputOptions(EnvironmentFileOptions):
    """What `convert` and `split` share: one field per option of `cli_options.output_options`."""

    notebook: Path = Path()
    out_dir: Path = Path()
    compute: str = "azureml:cpu-cluster"
    base_image: str | None = None
    data_uris: tuple[str, ...] = ()  # NAME=URI
    named_inputs: tuple[str, ...] = ()  # NAME=PATH: paths nb2aml cannot resolve, named by the user
    experiment_name: str | None = None
    strip_prints: bool = False
    unsafe_fixes: bool = False
    no_fix: tuple[str, ...] = ()
    mlflow_model: bool = False
    show_diff: bool = False
    side_by_side: bool = False
    dry_run: bool = False
    yes: bool = False
    force: bool = False
    ours: bool = False
    theirs: bool = False
    no_validate: bool = False
    resolve_first: bool = False
    verify_after: bool = False
    sweep: bool = False
    search_space: tuple[str, ...] = ()  # NAME=SPEC
    objective: str | None = None
    max_trials: int = 20
    max_concurrent: int = 4

    def __post_init__(self) -> None:
        super().__post_init__()
        _one_of_two(("--ours", self.ours), ("--theirs", self.theirs))
        if not self.sweep and (self.search_space or self.objective):
            raise ConfigError("--search-space and --objective shape the sweep: add --sweep")

    @property
    def side(self) -> Literal["ours", "theirs", "merge"]:
        """How an update settles a conflicting hunk."""
        return "ours" if self.ours else "theirs" if self.theirs else "merge"

    @property
    def reviewed(self) -> bool:
        """The scripts are shown before anything is written."""
        return self.show_diff or self.side_by_side or self.dry_run

    @property
    def validates(self) -> bool:
        """azure-ai-ml checks the folder before it is written (and may start loading at once)."""
        return not (self.no_validate or self.dry_run)

    @property
    def protected(self) -> tuple[Path, ...]:
        """What the output folder must not hold: `--force` replaces it whole."""
        return tuple(p for p in (self.notebook, self.requirements, self.environment) if p is not None)

    def named_input_items(self):
        """`--input NAME=PATH`, checked (one line for a bad item, or one `--no-fix NB201` cannot serve)."""
        from .analysis.named_inputs import parse_named_inputs
        from .refactor.policy import no_fix_codes

        return parse_named_inputs(self.named_inputs, no_fix=no_fix_codes(self.no_fix))

    def convert_options(self):
        """The rewrite options of `refactor/script.py`."""
        from .refactor.policy import no_fix_codes
        from .refactor.script import ConvertOptions

        return ConvertOptions(
            strip_prints=self.strip_prints,
            unsafe_fixes=self.unsafe_fixes,
            mlflow_model=self.mlflow_model,
            no_fix=no_fix_codes(self.no_fix),
        )

    def job_options(self):
        """The planning options of `plan/job.py` (and of `plan/pipeline.py`, which adds its own)."""
        from .plan.job import JobOptions

        return JobOptions(
            compute=self.compute,
            base_image=self.base_image,
            data_uris=tuple(pair(item, "--data-uri") for item in self.data_uris),
            experiment_name=self.experiment_name,
            sweep=self.sweep_options(),
        )

    def sweep_options(self):
        if not self.sweep:
            return None
        from .emit.sweep import SweepOptions

        return SweepOptions(
            objective=self.objective,
            max_trials=self.max_trials,
            max_concurrent=min(self.max_concurrent, self.max_trials),
            search_space=tuple(pair(item, "--search-space") for item in self.search_space),
        )

    def recorded(self) -> dict[str, object]:
        """The options of a conversion, as `.nb2aml/manifest.json` records them."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in NOT_RECORDED}
        return {
            key: (str(value) if isinstance(value, Path) else list(value) if isinstance(value, tuple) else value)
            for key, value in sorted(values.items())
        }


# How the output is reviewed and written, not what it holds: an update does not need them again.
NOT_RECORDED = frozenset(
    {
        "notebook",
        "out_dir",
        "show_diff",
        "side_by_side",
        "dry_run",
        "yes",
        "force",
        "no_validate",
        "verify_after",
        "resolve_first",
        "ours",
        "theirs",
    }
)


@dataclass(frozen=True)
class ConvertCommand(OutputOptions):
    """`nb2aml convert`: the shared output options alone."""


@dataclass(frozen=True)
class SplitCommand(OutputOptions):
    """`nb2aml split`: the shared output options and how cells are assigned to components."""

    cells: tuple[str, ...] = ()  # NAME=START[-END],...
    split_on: Literal["markers", "headings"] | None = None
    heading_level: int = 2
    env_per_component: bool = False

    def job_options(self):
        from dataclasses import replace

        return replace(super().job_options(), env_per_component=self.env_per_component)


@dataclass(frozen=True)
class IsolationOptions:
    """Where `run` / `verify` run the job: here, or in a fresh uv environment (`--isolated`)."""

    isolated: bool = False
    python_request: str | None = None

    def __post_init__(self) -> None:
        if self.python_request and not self.isolated:
            raise ConfigError("--python chooses the interpreter of --isolated: give --isolated too")

    def where(self) -> dict[str, object]:
        """The keyword arguments `run_folder` and `verify_command` take for it."""
        return {"isolated": True, "python": self.python_request} if self.isolated else {}


@dataclass(frozen=True)
class VerifyCommand(IsolationOptions):
    notebook: Path = Path()
    folder: Path = Path()
    seed: int = 0
    rtol: float = 1e-9
    fmt: Literal["text", "json"] = "text"
    unsafe_fixes: bool = False


@dataclass(frozen=True)
class RunCommand(IsolationOptions):
    folder: Path = Path()
    in_docker: bool = False  # in the image the emitted Dockerfile builds
    inputs: tuple[str, ...] = ()  # NAME=PATH
    params: tuple[str, ...] = ()  # NAME=VALUE
    tracking_uri: str | None = None
    fmt: Literal["text", "json"] = "text"
    unsafe_fixes: bool = False
    trials: int = 3

    def __post_init__(self) -> None:
        super().__post_init__()
        _one_of_two(("--isolated", self.isolated), ("--docker", self.in_docker))

    def where(self) -> dict[str, object]:
        return {"docker": True} if self.in_docker else super().where()

    def parameter_values(self) -> dict[str, str]:
        return dict(pair(item, "--set") for item in self.params)


def input_paths(items: tuple[str, ...]) -> dict[str, str]:
    """`run --input NAME=PATH` items that override the job's inputs, as a mapping."""
    return dict(pair(item, "--input") for item in items)
