"""The library entry points the CLI and tests use: notebook in, `Analysis` out; and `convert` / `split`
as steps (prepare, plan, check, write) or whole (`convert_notebook`, `split_notebook`).

The command line calls these same steps and only prints between them, so a library caller gets
exactly its refusals (one line, an `Nb2amlError`), its files and its atomic writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from .analysis import NotebookFacts, analyse
from .analysis.slice import plan_cells
from .analysis.versions import LibraryVersions
from .config import find_config
from .errors import Nb2amlError
from .notebook import load_notebook
from .rules import reported, run_all_rules
from .types import Analysis, Notebook

if TYPE_CHECKING:
    from .deps.envfile import EnvSpec
    from .envtools.folder_check import FolderResolution
    from .plan.job import JobOptions, JobPlan
    from .plan.pipeline import PipelinePlan
    from .refactor.script import ConvertOptions
    from .update import UpdatePlan


def analyze_notebook(
    notebook: Notebook,
    *,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    strip_prints: bool = False,
    env=None,
    requirements: bool = False,
    versions: LibraryVersions | None = None,
    named_inputs: tuple = (),
) -> tuple[Analysis, NotebookFacts]:
    """Facts, findings and the plan; with `requirements=True` also the requirements the
    converted code will need, inferred against `env` (an `EnvSpec`, or None). Removed APIs are
    checked against `versions` (default: the pins of `env` and the libraries installed here).
    `named_inputs`: the `NamedInput`s of `--input NAME=PATH` (see `analysis.named_inputs`)."""
    from .analysis.named_inputs import with_named_inputs
    from .analysis.world import prepare_notebook

    notebook = prepare_notebook(notebook)
    nb = replace(analyse(notebook, strip_prints=strip_prints), versions=versions or LibraryVersions.from_env(env))
    nb = with_named_inputs(nb, named_inputs)
    every_finding = run_all_rules(nb)
    findings = reported(every_finding, notebook, select=select, ignore=ignore)
    by_cell: dict[int, list[str]] = {}
    for finding in findings:
        codes = by_cell.setdefault(finding.pos.cell, [])
        if finding.code not in codes:
            codes.append(finding.code)
    cells = plan_cells(
        notebook, nb.facts, nb.kept, nb.removed_nested, {k: tuple(sorted(v)) for k, v in by_cell.items()}
    )
    python_version = notebook.language_version
    inferred = ()
    if requirements:
        from .analysis.imports import kept_modules
        from .deps.infer import infer_requirements
        from .emit.environment import choose_python_version

        python_version, _ = choose_python_version(
            notebook.language_version, notebook.kernel_name, env.python if env else None
        )
        extra = ["mlflow", "azureml-mlflow"] if nb.parameters or nb.metrics else []
        pip_installs = [p for cell in notebook.cells for m in cell.magics for p in m.packages]
        inferred = infer_requirements(
            kept_modules(nb),
            pip_installs=pip_installs,
            env=env,
            python_version=python_version,
            extra=extra,
            local_dir=Path(notebook.path).parent,
        )
    analysis = Analysis(
        notebook=notebook,
        findings=findings,
        cells=cells,
        inputs=nb.inputs,
        outputs=nb.outputs,
        parameters=nb.parameters,
        metrics=nb.metrics,
        requirements=inferred,
        python_version=python_version,
        fix_findings=every_finding,
    )
    return analysis, nb


def analyze_path(
    path: str | Path,
    *,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    strip_prints: bool = False,
    env=None,
    requirements: bool = False,
    named_inputs: tuple = (),
) -> tuple[Analysis, NotebookFacts]:
    path = Path(path)
    notebook = load_notebook(path)
    config = find_config(path.parent)
    versions = LibraryVersions.from_env(env if env is not None else _env_beside(path))
    return analyze_notebook(
        notebook,
        select=select or config.select,
        ignore=ignore or config.ignore,
        strip_prints=strip_prints,
        env=env,
        requirements=requirements,
        versions=versions,
        named_inputs=named_inputs,
    )


def _env_beside(path: Path):
    """The data scientist's requirements beside the notebook, for the pinned versions; none when unreadable."""
    from .deps.envfile import load_env_file
    from .deps.infer import find_env_file

    found = find_env_file(path)
    try:
        return load_env_file(found) if found else None
    except Nb2amlError:
        return None


def env_spec(notebook: Path, requirements: Path | None = None, environment: Path | None = None):
    """The data scientist's environment (`EnvSpec`): the file given, else the one beside the notebook, else None."""
    from .deps.envfile import load_env_file
    from .deps.infer import find_env_file
    from .errors import ConfigError

    if requirements and environment:
        raise ConfigError("give --requirements or --environment, not both")
    for option, given in (("--requirements", requirements), ("--environment", environment)):
        if given is not None and not given.is_file():
            what = "is a folder, not a file" if given.is_dir() else "no such file"
            raise ConfigError(f"{given}: {what} (given as {option})")
    path = requirements or environment or find_env_file(notebook)
    return load_env_file(path) if path else None


# --- convert and split, step by step -----------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """A notebook `convert` / `split` accept, analysed, with the data scientist's environment (`EnvSpec` or None)."""

    analysis: Analysis
    facts: NotebookFacts
    env: EnvSpec | None


def prepare(
    notebook: Path,
    out_dir: Path,
    *,
    force: bool = False,
    preview: bool = False,
    protect: Iterable[Path] = (),
    requirements: Path | None = None,
    environment: Path | None = None,
    strip_prints: bool = False,
    named_inputs: tuple = (),
) -> Prepared:
    """What `convert` and `split` check before planning, in their order: the output folder (not for a
    `preview`), the environment file, the notebook, then its refusals (`NotebookRefused`; `force` overrides
    the overridable ones) before `split` reads its cells. `protect`: files the output folder must not hold;
    `named_inputs`: the `NamedInput`s of `--input NAME=PATH`."""
    from .plan.refusals import check_convertible

    if not preview:
        from .update import folder_kind
        from .writer import check_destination

        # A folder nb2aml wrote before is updated, keeping the engineer's edits: no --force needed.
        replace_it = force or folder_kind(out_dir) == "update"
        check_destination(out_dir, replace_it, list(protect))
    env = env_spec(notebook, requirements, environment)
    analysis, facts = analyze_path(notebook, strip_prints=strip_prints, env=env, named_inputs=named_inputs)
    check_convertible(analysis, facts, force=force)
    return Prepared(analysis, facts, env)


PlanT = TypeVar("PlanT")


@dataclass(frozen=True)
class Planned(Generic[PlanT]):
    plan: PlanT
    left_out: tuple[tuple[str, str], ...] = ()  # `--resolve`: freeze pins left out of constraints.txt, and why


def plan_convert(
    prepared: Prepared,
    out_dir: Path,
    *,
    convert: ConvertOptions | None = None,
    options: JobOptions | None = None,
    force: bool = False,
    resolve: bool = False,
) -> Planned[JobPlan]:
    """`plan_job` (its refusals included); with `resolve`, planned again without the freeze's pins the image
    cannot hold (uv asks the index)."""
    from .plan.job import JobOptions, plan_job
    from .refactor.script import ConvertOptions

    def planned(env: EnvSpec | None) -> JobPlan:
        return plan_job(
            prepared.analysis,
            prepared.facts,
            out_dir,
            env=env,
            convert=convert or ConvertOptions(),
            options=options or JobOptions(),
            force=force,
        )

    return _with_resolvable_pins(planned, prepared.env, resolve)


def plan_split(
    prepared: Prepared,
    out_dir: Path,
    *,
    cells: tuple[str, ...] = (),
    split_on: Literal["markers", "headings"] | None = None,
    heading_level: int = 2,
    convert: ConvertOptions | None = None,
    options: JobOptions | None = None,
    force: bool = False,
    resolve: bool = False,
) -> Planned[PipelinePlan]:
    """The components (`split.assign.assignment_for`: `cells`, headings or markers), then `plan_pipeline`."""
    from .plan.job import JobOptions
    from .plan.pipeline import plan_pipeline
    from .refactor.script import ConvertOptions
    from .split.assign import assignment_for

    assignment = assignment_for(prepared.analysis.notebook, cells=cells, split_on=split_on, heading_level=heading_level)

    def planned(env: EnvSpec | None) -> PipelinePlan:
        return plan_pipeline(
            prepared.analysis,
            prepared.facts,
            assignment,
            out_dir,
            env=env,
            convert=convert or ConvertOptions(),
            options=options or JobOptions(),
            force=force,
        )

    return _with_resolvable_pins(planned, prepared.env, resolve)


def _with_resolvable_pins(planned: Callable[[EnvSpec | None], Any], env: EnvSpec | None, resolve: bool) -> Planned:
    plan = planned(env)
    if not resolve:
        return Planned(plan)
    from .envtools.prune import without_unresolvable_pins

    pruned = without_unresolvable_pins(plan.files, env, plan.python_version)
    if pruned is None:  # every pin holds
        return Planned(plan)
    return Planned(planned(pruned), pruned.refused)


def validate_staged(folder: Path, validator: Any = None) -> None:
    """azure-ai-ml validation of a folder about to be written (`validator`: one already loading in the background)."""
    from .emit.check import validate_folder
    from .emit.validate import InvalidYaml
    from .types import NotebookError

    try:
        validator.validate_folder(folder) if validator is not None else validate_folder(folder)
    except InvalidYaml as exc:
        raise NotebookError(f"validation failed: {exc}") from None


def folder_check(
    *,
    shown_as: Path,
    validate: bool = True,
    validator: Any = None,
    resolve: bool = False,
    on_resolved: Callable[[FolderResolution], None] | None = None,
) -> Callable[[Path], None] | None:
    """The check `write_update` runs on the staged folder before it moves into place (None: no check):
    azure-ai-ml validation, then `--resolve` on the staged files (`on_resolved` is told the outcome;
    `Unresolvable` stops the write). `shown_as`: the output folder, as the user named it."""
    if not validate and not resolve:
        return None

    def check(staging: Path) -> None:
        if validate:
            validate_staged(staging, validator)
        if resolve:
            from .envtools.folder_check import Unresolvable, resolve_and_record

            resolution = resolve_and_record(staging, shown_as=shown_as)
            if on_resolved is not None:
                on_resolved(resolution)
            if not resolution.ok:
                raise Unresolvable(resolution)

    return check


def write_plan(
    files: dict[str, str],
    notebook: Path,
    out_dir: Path,
    *,
    command: Literal["convert", "split"],
    force: bool = False,
    validate: bool = True,
    protect: Iterable[Path] = (),
    recorded: dict[str, object] | None = None,
) -> tuple[UpdatePlan, tuple[str, ...]]:
    """Write planned files as `convert -y` / `split -y` do: a new folder atomically, or an update of one nb2aml
    wrote (the engineer's edits merged). Returns the update and the validation problems of edited files."""
    from .update import plan_update, write_update

    update = plan_update(files, out_dir, command=command, notebook=notebook, options=recorded or {}, force=force)
    problems = write_update(update, check=folder_check(shown_as=out_dir, validate=validate), protect=list(protect))
    return update, problems


def _prepared_to_write(
    notebook: Path,
    out_dir: Path,
    convert: ConvertOptions | None,
    force: bool,
    requirements: Path | None,
    environment: Path | None,
    named_inputs: tuple,
) -> tuple[Prepared, tuple[Path, ...]]:
    """`prepare` as the whole-command calls need it, and the files the output folder must not hold."""
    protect = tuple(p for p in (notebook, requirements, environment) if p is not None)
    prepared = prepare(
        notebook,
        out_dir,
        force=force,
        protect=protect,
        requirements=requirements,
        environment=environment,
        strip_prints=bool(convert and convert.strip_prints),
        named_inputs=named_inputs,
    )
    return prepared, protect


def convert_notebook(
    notebook: Path,
    out_dir: Path,
    *,
    convert: ConvertOptions | None = None,
    options: JobOptions | None = None,
    force: bool = False,
    validate: bool = True,
    requirements: Path | None = None,
    environment: Path | None = None,
    named_inputs: tuple = (),
) -> JobPlan:
    """`nb2aml convert NOTEBOOK -o OUT_DIR -y`: the same refusals and files, written."""
    prepared, protect = _prepared_to_write(notebook, out_dir, convert, force, requirements, environment, named_inputs)
    plan = plan_convert(prepared, out_dir, convert=convert, options=options, force=force).plan
    write_plan(plan.files, notebook, out_dir, command="convert", force=force, validate=validate, protect=protect)
    return plan


def split_notebook(
    notebook: Path,
    out_dir: Path,
    *,
    cells: tuple[str, ...] = (),
    split_on: Literal["markers", "headings"] | None = None,
    heading_level: int = 2,
    convert: ConvertOptions | None = None,
    options: JobOptions | None = None,
    force: bool = False,
    validate: bool = True,
    requirements: Path | None = None,
    environment: Path | None = None,
    named_inputs: tuple = (),
) -> PipelinePlan:
    """`nb2aml split NOTEBOOK -o OUT_DIR -y` (with `--cells`, `--split-on`): the same refusals and files, written."""
    prepared, protect = _prepared_to_write(notebook, out_dir, convert, force, requirements, environment, named_inputs)
    plan = plan_split(
        prepared,
        out_dir,
        cells=cells,
        split_on=split_on,
        heading_level=heading_level,
        convert=convert,
        options=options,
        force=force,
    ).plan
    write_plan(plan.files, notebook, out_dir, command="split", force=force, validate=validate, protect=protect)
    return plan
