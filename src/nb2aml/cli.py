"""Command line: click for parsing, rich for output. Heavy modules load inside the commands."""

from __future__ import annotations

import sys

from .emit.background import start_early

start_early(sys.argv)  # before the imports below: azure-ai-ml loads for `convert` / `split` while they do

import json
import os
from pathlib import Path

import click

from . import __version__
from .cli_options import (
    check_scripts_compile,
    confirm,
    environment_options,
    output_options,
    pair,
    recorded_options,
    start_validator,
    stop_validator,
    sweep_choice,
    warn_missing_inputs,
)
from .errors import ConfigError, Nb2amlError
from .types import NotebookError

FORMATS = click.Choice(["text", "json", "sarif"])


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


def _fail(message: str) -> NoReturn:  # noqa: F821
    click.echo(f"nb2aml: error: {message}", err=True)
    sys.exit(2)


# Where the current command has written a complete output folder (for the Ctrl-C message).
_WRITTEN: list[Path] = []
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a command stopped by Ctrl-C
EXIT_INTERNAL = 3


class _Main(click.Group):
    """The command group: Ctrl-C gives one line and exit 130; an unexpected error one line and exit 3."""

    def invoke(self, ctx: click.Context):
        import warnings

        _WRITTEN.clear()
        try:
            with warnings.catch_warnings():
                # Parsing the notebook's code warns about it (`0x1for`, `"\d"` on 3.12) as `<unknown>:2: SyntaxWarning`,
                # with no file or cell: noise on stderr, which carries one line per error.
                warnings.simplefilter("ignore", SyntaxWarning)
                return super().invoke(ctx)
        except KeyboardInterrupt:
            if _WRITTEN:
                message = f"interrupted after {_WRITTEN[-1]} was written"
            elif ctx.invoked_subcommand in ("run", "verify"):
                message = "interrupted"
            else:
                message = "interrupted: nothing written"
            click.echo(f"nb2aml: {message}", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Nb2amlError as exc:  # something the user can fix: one line naming the file, exit 2
            click.echo(f"nb2aml: error: {exc}", err=True)
            ctx.exit(2)
        except Exception as exc:  # a bug: one line, the traceback only on request
            if os.environ.get("NB2AML_DEBUG"):
                raise
            detail = " ".join(str(exc).split())[:300]
            click.echo(
                f"nb2aml: internal error (a bug in nb2aml, please report it): {type(exc).__name__}: {detail}; "
                "set NB2AML_DEBUG=1 for the traceback",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nb2aml")
def main() -> None:
    """Turn a data scientist's notebook into an Azure ML command job and pipeline."""


@main.command()
@click.argument("notebook", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Report format.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to report (e.g. NB1,NB501).")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to leave out.")
@click.option("--strip-prints", is_flag=True, help="Plan to remove print calls too.")
@click.option(
    "--requirements",
    type=click.Path(path_type=Path),
    help="The data scientist's pip freeze (default: requirements.txt beside the notebook).",
)
@click.option("--environment", type=click.Path(path_type=Path), help="The data scientist's conda environment yaml.")
def analyze(
    notebook: Path,
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    strip_prints: bool,
    requirements,
    environment,
) -> None:
    """Report findings and the refactoring plan. Writes nothing.

    Exit code 0: no error-level findings; 1: error-level findings; 2: the notebook could not be read.
    """
    from .api import analyze_path

    try:
        env = _env_spec(notebook, requirements, environment)
        analysis, facts = analyze_path(
            notebook,
            select=_codes(select),
            ignore=_codes(ignore),
            strip_prints=strip_prints,
            env=env,
            requirements=True,
        )
    except Nb2amlError as exc:
        _fail(str(exc))
    if fmt == "json":
        from .report.json_report import analysis_document

        click.echo(json.dumps(analysis_document(analysis), indent=2, default=str))
    elif fmt == "sarif":
        from .report.sarif import sarif_document

        click.echo(json.dumps(sarif_document(analysis), indent=2))
    else:
        from rich.console import Console

        from .plan.refusals import analyze_verdict
        from .report.console import print_analysis

        print_analysis(Console(), analysis, verdict=analyze_verdict(analysis, facts))
    sys.exit(1 if any(f.severity == "error" for f in analysis.findings) else 0)


@main.command()
@click.argument("code", required=False)
def rules(code: str | None) -> None:
    """List the rules, or explain one (`nb2aml rules NB501`)."""
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.table import Table

    from .rules import all_rules, rule_by_code

    console = Console()
    if code is None:
        table = Table(title="nb2aml rules")
        for column in ("code", "name", "severity", "fix", "message"):
            table.add_column(column)
        for rule in all_rules():
            table.add_row(rule.CODE, rule.NAME, rule.SEVERITY, rule.FIX, rule.MESSAGE)
        console.print(table)
        return
    rule = rule_by_code(code)
    if rule is None:
        _fail(f"no rule {code!r}; `nb2aml rules` lists them")
    from .rules.docs import rule_markdown

    console.print(Markdown(rule_markdown(rule)))


def _env_spec(notebook: Path, requirements: Path | None, environment: Path | None):
    from .deps.envfile import load_env_file
    from .deps.infer import find_env_file

    if requirements and environment:
        _fail("give --requirements or --environment, not both")
    for option, given in (("--requirements", requirements), ("--environment", environment)):
        if given is not None and not given.is_file():
            what = "is a folder, not a file" if given.is_dir() else "no such file"
            raise ConfigError(f"{given}: {what} (given as {option})")
    path = requirements or environment or find_env_file(notebook)
    return load_env_file(path) if path else None


def _protected(notebook: Path, o: dict) -> list[Path]:
    """What the output folder must not hold: `--force` replaces it whole."""
    return [p for p in (notebook, o["requirements"], o["environment"]) if p is not None]


def _prepare(notebook: Path, o: dict):
    """Analyse and check everything `convert` / `split` need before planning files."""
    from .api import analyze_path
    from .plan.job import JobOptions
    from .refactor.policy import no_fix_codes
    from .refactor.script import ConvertOptions
    from .writer import check_destination

    uris = tuple(pair(item, "--data-uri") for item in o["data_uris"])
    if not o["dry_run"]:
        from .update import folder_kind

        # A folder nb2aml wrote before is updated, keeping the engineer's edits: no --force needed.
        check_destination(o["out_dir"], o["force"] or folder_kind(o["out_dir"]) == "update", _protected(notebook, o))
    env = _env_spec(notebook, o["requirements"], o["environment"])
    analysis, facts = analyze_path(notebook, strip_prints=o["strip_prints"], env=env)
    from .plan.refusals import check_convertible

    o["overridden"] = check_convertible(analysis, facts, force=o["force"])
    convert_options = ConvertOptions(
        strip_prints=o["strip_prints"],
        unsafe_fixes=o["unsafe_fixes"],
        mlflow_model=o["mlflow_model"],
        no_fix=no_fix_codes(o["no_fix"]),
    )
    job_options = JobOptions(
        compute=o["compute"],
        base_image=o["base_image"],
        data_uris=uris,
        experiment_name=o["experiment_name"],
        env_per_component=o.get("env_per_component", False),
        sweep=sweep_choice(o),
    )
    return analysis, facts, env, convert_options, job_options


def _review_and_write(console, notebook: Path, plan, scripts, o: dict) -> bool:
    from .plan.refusals import readme_with_overrides
    from .update import plan_update, write_update
    from .update.report import print_outcome, print_plan

    if o["ours"] and o["theirs"]:
        raise ConfigError("give --ours or --theirs, not both")
    if o.get("overridden") and "README.md" in plan.files:
        plan.files["README.md"] = readme_with_overrides(plan.files["README.md"], o["overridden"])
    check_scripts_compile(plan.files)
    command = click.get_current_context().info_name or "convert"
    side = "ours" if o["ours"] else "theirs" if o["theirs"] else "merge"
    update = plan_update(
        plan.files,
        o["out_dir"],
        command=command,
        notebook=notebook,
        options=recorded_options(o),
        force=o["force"],
        side=side,
        preview=o["dry_run"],
    )
    review = o["show_diff"] or o["side_by_side"] or o["dry_run"]
    if update.kind != "new":
        print_plan(console, update, diff=review, side_by_side=o["side_by_side"])
    elif review:
        from .report.diff import print_diff

        for name, script in scripts:
            print_diff(
                console, script.before, script.text, str(notebook), f"src/{name}.py", side_by_side=o["side_by_side"]
            )
    if o["dry_run"]:
        console.print("[bold]--dry-run:[/] nothing written.")
        if update.open_conflicts:
            sys.exit(1)
        return False
    if not confirm(o["yes"]):
        console.print("Nothing written.")
        return False
    validator = o.get("validator")
    check = None if o["no_validate"] else (lambda folder: _validate_folder(folder, validator))
    if o["resolve_first"]:
        check = _then_resolve(check, o["out_dir"])
    problems = write_update(update, check=check, protect=_protected(notebook, o))
    _WRITTEN.append(o["out_dir"])
    if update.kind == "new":
        checked = "" if o["no_validate"] else " (validated with azure-ai-ml)"
        console.print(f"[green]Wrote {len(plan.files)} files to {o['out_dir']}[/]{checked}.")
    elif print_outcome(console, update, problems):
        sys.exit(1)
    return True


def _pruned_env(plan, env):
    """`--resolve`: the freeze less the pins that cannot hold in the image (each said here), or None."""
    from .envtools.prune import without_unresolvable_pins

    pruned = without_unresolvable_pins(plan.files, env, plan.python_version)
    for pin, why in pruned.refused if pruned is not None else ():
        click.echo(f"nb2aml: left out of constraints.txt: {pin}: {' '.join(why.split())[:300]}", err=True)
    return pruned


def _then_resolve(check, out_dir: Path):
    """The folder's check, then `--resolve` on the staged folder: nothing is written when a pin does not resolve."""

    def checked(staging: Path) -> None:
        if check is not None:
            check(staging)
        _resolve_or_exit(staging, shown_as=out_dir)

    return checked


@main.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@output_options
def convert(notebook: Path, **o) -> None:
    """Convert NOTEBOOK into a standalone Azure ML command job in OUTPUT."""
    o["validator"] = start_validator(o)  # first: azure-ai-ml loads while the rest of nb2aml does
    from rich.console import Console

    from .plan.job import plan_job
    from .report.diff import print_summary

    console = Console()
    try:
        analysis, facts, env, convert_options, job_options = _prepare(notebook, o)
        plan = plan_job(analysis, facts, o["out_dir"], env=env, convert=convert_options, options=job_options)
        if o["resolve_first"] and (env := _pruned_env(plan, env)) is not None:  # freeze pins the image cannot hold
            plan = plan_job(analysis, facts, o["out_dir"], env=env, convert=convert_options, options=job_options)
        print_summary(console, plan, plan.analysis or analysis)
        warn_missing_inputs(console, plan.analysis or analysis)
        written = _review_and_write(console, notebook, plan, [(plan.script.name, plan.script)], o)
    except Nb2amlError as exc:
        _fail(str(exc))
    finally:
        stop_validator(o)
    if written:
        _next_steps(console, notebook, o, "job.yml")


@main.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@click.option(
    "--cells",
    "cells",
    multiple=True,
    metavar="NAME=START[-END],...",
    help="Components by cell ranges (cell numbers as `analyze` prints them).",
)
@click.option(
    "--split-on",
    type=click.Choice(["markers", "headings"]),
    default=None,
    help="Split at cell tags / marker comments (default when present) or at markdown headings.",
)
@click.option(
    "--heading-level",
    type=click.IntRange(1, 6),
    default=2,
    show_default=True,
    help="Deepest heading level that starts a component.",
)
@click.option(
    "--env-per-component", is_flag=True, help="One minimal environment per component instead of one shared image."
)
@output_options
def split(notebook: Path, cells, split_on, heading_level, env_per_component, **o) -> None:
    """Split NOTEBOOK into Azure ML components joined by a pipeline, in OUTPUT."""
    o["validator"] = start_validator(o)  # first: azure-ai-ml loads while the rest of nb2aml does
    from rich.console import Console

    from .plan.pipeline import plan_pipeline
    from .report.pipeline import print_pipeline
    from .split.assign import from_cells_option, from_headings, from_markers

    console = Console()
    try:
        analysis, facts, env, convert_options, job_options = _prepare(
            notebook, {**o, "env_per_component": env_per_component}
        )
        if cells:
            assignment = from_cells_option(analysis.notebook, cells)
        elif split_on == "headings":
            assignment = from_headings(analysis.notebook, heading_level)
        else:
            assignment = from_markers(analysis.notebook)
            if assignment is None:
                raise NotebookError(
                    f"{notebook}: no component markers: give --cells NAME=START,... or --split-on headings"
                )
        plan = plan_pipeline(
            analysis, facts, assignment, o["out_dir"], env=env, convert=convert_options, options=job_options
        )
        if o["resolve_first"] and (env := _pruned_env(plan, env)) is not None:  # freeze pins the image cannot hold
            plan = plan_pipeline(
                analysis, facts, assignment, o["out_dir"], env=env, convert=convert_options, options=job_options
            )
        print_pipeline(console, plan)
        warn_missing_inputs(console, plan.analysis or analysis)
        recorded = {
            **o,
            "cells": cells,
            "split_on": split_on,
            "heading_level": heading_level,
            "env_per_component": env_per_component,
        }
        written = _review_and_write(console, notebook, plan, [(s.name, s.script) for s in plan.steps], recorded)
    except Nb2amlError as exc:
        _fail(str(exc))
    finally:
        stop_validator(o)
    if written:
        _next_steps(console, notebook, o, "pipeline.yml")


def _next_steps(console, notebook: Path, o: dict, yaml_name: str) -> None:
    console.print(
        f"Next: [bold]nb2aml run {o['out_dir']}[/], then [bold]az ml job create --file {o['out_dir']}/{yaml_name} --web[/]"
    )
    if o["verify_after"]:
        _verify(notebook, o["out_dir"], o["unsafe_fixes"])


def _verify(notebook: Path, out_dir: Path, unsafe_fixes: bool = False) -> None:
    from .verify import verify_command

    _require_run_extras("verify")
    sys.exit(verify_command(notebook, out_dir, unsafe_fixes=unsafe_fixes))


@main.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed of Python's and NumPy's global generators in every process.",
)
@click.option("--rtol", type=float, default=1e-9, show_default=True, help="Relative tolerance for metrics.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--isolated", is_flag=True, help="Run FOLDER in a fresh environment built from its requirements alone.")
@click.option(
    "--python",
    "python_request",
    metavar="X.Y|PATH",
    help="With --isolated: build from this Python instead of the image's.",
)
@click.option(
    "--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour to the notebook's own run."
)
def verify(
    notebook: Path,
    folder: Path,
    seed: int,
    rtol: float,
    fmt: str,
    isolated: bool,
    python_request: str | None,
    unsafe_fixes: bool,
) -> None:
    """Prove FOLDER (a job or a pipeline) computes what NOTEBOOK computes.

    Exit code 0: equivalent; 1: not equivalent; 2: the notebook itself fails (or bad input);
    4: nothing comparable (no metric the job keeps, no output).
    """
    from .verify import verify_command

    _require_run_extras("verify")
    try:
        where = environment_options(isolated, python_request, False)
    except Nb2amlError as exc:
        _fail(str(exc))
    sys.exit(verify_command(notebook, folder, seed=seed, rtol=rtol, fmt=fmt, unsafe_fixes=unsafe_fixes, **where))


def _validate_folder(folder: Path, validator=None) -> None:
    from .emit.check import validate_folder
    from .emit.validate import InvalidYaml

    try:
        validator.validate_folder(folder) if validator is not None else validate_folder(folder)
    except InvalidYaml as exc:
        raise NotebookError(f"validation failed: {exc}") from None


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--resolve",
    is_flag=True,
    help="Also resolve each requirements file for the image's Python and Linux, wheels only (uv).",
)
def validate(folder: Path, resolve: bool) -> None:
    """Validate every job, component and environment YAML in FOLDER with azure-ai-ml.

    Exit code 0: valid (and resolved); 1: invalid or unresolvable; 2: not a folder, or the index cannot be reached.
    """
    from .emit.check import validate_folder
    from .emit.validate import InvalidYaml

    if not folder.is_dir():
        _fail(f"{folder}: not a folder")
    try:
        checked = validate_folder(folder)
    except InvalidYaml as exc:
        click.echo(f"nb2aml: invalid: {exc}", err=True)
        sys.exit(1)
    for path in checked:
        click.echo(f"valid: {path}")
    if resolve:
        _resolve_or_exit(folder)


def _resolve_or_exit(folder: Path, shown_as: Path | None = None) -> None:
    """`--resolve`: each requirements file resolved for its image; problems by package and exit 1."""
    from .envtools.resolve import resolve_folder

    try:
        resolutions = resolve_folder(folder)
    except Nb2amlError as exc:
        _fail(str(exc))
    from .envtools.record import record_check

    failed = []
    base = folder.resolve()
    for resolution in resolutions:
        where = (shown_as or folder) / resolution.requirements.relative_to(base)
        target = f"Python {resolution.python_version} on {resolution.platform}, wheels only"
        if resolution.ok:
            click.echo(f"resolved: {where} for {target} ({len(resolution.pinned)} packages)")
            continue
        for problem in resolution.problems:
            click.echo(f"nb2aml: unresolvable: {where} ({target}): {problem.render()}", err=True)
            failed.append(f"{resolution.requirements.relative_to(base)}: {problem.render()}")
    targets = sorted({f"Python {r.python_version} on {r.platform}" for r in resolutions})
    record_check(
        folder,
        "resolve",
        f"failed: {failed[0]}"
        if failed
        else f"passed: {sum(len(r.pinned) for r in resolutions)} packages for {', '.join(targets)}, wheels only",
    )
    if failed:
        sys.exit(1)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--input", "inputs", multiple=True, metavar="NAME=PATH", help="Use PATH for input NAME.")
@click.option("--set", "params", multiple=True, metavar="NAME=VALUE", help="Set parameter NAME.")
@click.option("--tracking-uri", help="MLflow tracking URI (default: sqlite:///FOLDER/.nb2aml/mlflow.db).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--isolated",
    is_flag=True,
    help="Run in a fresh environment built from the emitted requirements alone (uv, cached).",
)
@click.option(
    "--python",
    "python_request",
    metavar="X.Y|PATH",
    help="With --isolated: build from this Python instead of the image's.",
)
@click.option(
    "--docker",
    "in_docker",
    is_flag=True,
    help="Build the emitted Dockerfile and run in the image (needs a Docker engine).",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="FOLDER is a notebook: also apply fixes that may change behaviour when converting it.",
)
@click.option(
    "--trials",
    type=click.IntRange(1),
    default=3,
    show_default=True,
    help="For a sweep.yml: trials to sample and run here.",
)
def run(
    folder: Path,
    inputs,
    params,
    tracking_uri,
    fmt,
    isolated,
    python_request,
    in_docker,
    unsafe_fixes: bool,
    trials: int,
) -> None:
    """Run the job (or pipeline, or sweep.yml) in FOLDER here, on its local data, tracked with MLflow.

    FOLDER may also be a notebook: it is converted into a job in a new temporary folder first.
    """
    from .run.fixes import fixes_in_readme
    from .run.folder import run_folder
    from .run.sweep import is_sweep_yaml

    _require_run_extras("run")
    if is_sweep_yaml(folder):
        _run_sweep(folder, trials, tracking_uri, fmt, bool(inputs or params))
    try:
        stream = (lambda line: click.echo(line, err=True)) if fmt == "json" else click.echo
        if folder.is_file():
            folder, fixes = _convert_for_run(folder, unsafe_fixes)
            stream(f"converted into {folder}")
        elif unsafe_fixes:
            raise ConfigError(
                f"{folder}: --unsafe-fixes applies when converting: give the notebook, or convert with --unsafe-fixes"
            )
        else:
            fixes = fixes_in_readme(folder)
        overrides = dict(pair(i, "--input") for i in inputs)
        values = dict(pair(p, "--set") for p in params)
        where = environment_options(isolated, python_request, in_docker)
        result = run_folder(folder, inputs=overrides, params=values, tracking_uri=tracking_uri, stream=stream, **where)
    except Nb2amlError as exc:
        _fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps({**result.to_json(), "fixes": list(fixes)}, indent=2, default=str))
    else:
        from rich.console import Console

        from .report.runs import print_run

        console = Console()
        if fixes:
            console.print(
                "fixes the job needed to run on these libraries: " + "; ".join(fixes), highlight=False, markup=False
            )
        print_run(console, result)
    sys.exit(0 if result.status == "succeeded" else 1)


def _require_run_extras(command: str) -> None:
    """`run` and `verify` track with MLflow, which a plain install leaves out: one line, exit 2."""
    import importlib.util

    if importlib.util.find_spec("mlflow") is None:
        _fail(f"nb2aml {command} needs MLflow here (a plain install leaves it out): pip install 'nb2aml[run]'")


def _convert_for_run(notebook: Path, unsafe_fixes: bool) -> tuple[Path, tuple[str, ...]]:
    """`nb2aml run NOTEBOOK`: convert into a new temporary folder (kept: the run's outputs are in it)."""
    import tempfile

    from .api import analyze_path
    from .plan.job import plan_job
    from .plan.refusals import check_convertible
    from .refactor.script import ConvertOptions
    from .run.fixes import fixes_of_changes
    from .writer import write_tree

    env = _env_spec(notebook, None, None)
    analysis, facts = analyze_path(notebook, env=env)
    check_convertible(analysis, facts)
    out_dir = Path(tempfile.mkdtemp(prefix=f"nb2aml-run-{notebook.stem}-")) / "job"
    plan = plan_job(analysis, facts, out_dir, env=env, convert=ConvertOptions(unsafe_fixes=unsafe_fixes))
    check_scripts_compile(plan.files)
    write_tree(plan.files, out_dir, force=False, check=None, protect=[notebook])
    return out_dir, fixes_of_changes(plan.script.changes)


def _run_sweep(path: Path, trials: int, tracking_uri, fmt: str, overrides: bool) -> None:
    from .run.sweep import run_sweep

    try:
        if overrides:
            raise NotebookError(f"{path}: --input and --set do not apply to a sweep: its trials sample the parameters")
        stream = (lambda line: click.echo(line, err=True)) if fmt == "json" else click.echo
        result = run_sweep(path, trials=trials, tracking_uri=tracking_uri, stream=stream)
    except Nb2amlError as exc:
        _fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2, default=str))
    else:
        from rich.console import Console

        from .report.sweep import print_leaderboard

        print_leaderboard(Console(), result)
    sys.exit(0 if result.best is not None else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
