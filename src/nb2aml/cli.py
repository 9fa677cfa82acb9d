"""Command line: click for parsing, rich for output. Heavy modules load inside the commands."""

from __future__ import annotations

import sys

if sys.argv[1:2] in (["convert"], ["split"]):  # the commands that validate; every other one skips the import
    from .emit.background import start_early

    start_early(sys.argv)  # before the imports below: azure-ai-ml loads for `convert` / `split` while they do

import json
import os
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .cli_options import confirm, output_options, start_validator, warn_missing_inputs
from .command_options import (
    AnalyzeCommand,
    ConvertCommand,
    OutputOptions,
    RunCommand,
    SplitCommand,
    VerifyCommand,
    parsed_into,
)
from .errors import ConfigError, Nb2amlError
from .types import NotebookError

FORMATS = click.Choice(["text", "json", "sarif"])


def _fail(message: str) -> NoReturn:
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

        from .interrupts import raise_if_interrupted, watch_swallowed_interrupts

        _WRITTEN.clear()
        restore_unraisable_hook = watch_swallowed_interrupts()
        try:
            with warnings.catch_warnings():
                # Parsing the notebook's code warns about it (`0x1for`, `"\d"` on 3.12) as `<unknown>:2: SyntaxWarning`,
                # with no file or cell: noise on stderr, which carries one line per error.
                warnings.simplefilter("ignore", SyntaxWarning)
                result = super().invoke(ctx)
            raise_if_interrupted()
            return result
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
        finally:
            restore_unraisable_hook()


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
@parsed_into(AnalyzeCommand)
def analyze(options: AnalyzeCommand) -> None:
    """Report findings and the refactoring plan. Writes nothing.

    Exit code 0: no error-level findings; 1: error-level findings; 2: the notebook could not be read.
    """
    from .api import analyze_path, env_spec

    try:
        env = env_spec(options.notebook, options.requirements, options.environment)
        analysis, facts = analyze_path(
            options.notebook,
            select=options.selected,
            ignore=options.ignored,
            strip_prints=options.strip_prints,
            env=env,
            requirements=True,
        )
    except Nb2amlError as exc:
        _fail(str(exc))
    fmt = options.fmt
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


def _prepared(options: OutputOptions):
    """The library's checks before planning, with this command's options."""
    from .api import prepare

    return prepare(
        options.notebook,
        options.out_dir,
        force=options.force,
        preview=options.dry_run,
        protect=options.protected,
        requirements=options.requirements,
        environment=options.environment,
        strip_prints=options.strip_prints,
        named_inputs=options.named_input_items(),
    )


def _review_and_write(console, options: OutputOptions, plan, scripts, validator) -> bool:
    from .api import folder_check
    from .update import plan_update, write_update
    from .update.report import print_outcome, print_plan

    command = click.get_current_context().info_name or "convert"
    update = plan_update(
        plan.files,
        options.out_dir,
        command=command,
        notebook=options.notebook,
        options=options.recorded(),
        force=options.force,
        side=options.side,
        preview=options.dry_run,
    )
    if update.kind != "new":
        print_plan(console, update, diff=options.reviewed, side_by_side=options.side_by_side)
    elif options.reviewed:
        from .report.diff import print_diff

        for name, script in scripts:
            print_diff(
                console,
                script.before,
                script.text,
                str(options.notebook),
                f"src/{name}.py",
                side_by_side=options.side_by_side,
            )
    if options.dry_run:
        console.print("[bold]--dry-run:[/] nothing written.")
        if update.open_conflicts:
            sys.exit(1)
        return False
    if not confirm(options.yes):
        console.print("Nothing written.")
        return False
    check = folder_check(
        shown_as=options.out_dir,
        validate=not options.no_validate,
        validator=validator,
        resolve=options.resolve_first,
        on_resolved=_print_resolution,
    )
    problems = write_update(update, check=check, protect=list(options.protected))
    _WRITTEN.append(options.out_dir)
    if update.kind == "new":
        checked = "" if options.no_validate else " (validated with azure-ai-ml)"
        console.print(f"[green]Wrote {len(plan.files)} files to {options.out_dir}[/]{checked}.")
    elif print_outcome(console, update, problems):
        sys.exit(1)
    return True


def _say_left_out(left_out) -> None:
    """`--resolve`: the freeze's pins that cannot hold in the image, each said."""
    for pin, why in left_out:
        click.echo(f"nb2aml: left out of constraints.txt: {pin}: {' '.join(why.split())[:300]}", err=True)


@main.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@output_options
@parsed_into(ConvertCommand)
def convert(options: ConvertCommand) -> None:
    """Convert NOTEBOOK into a standalone Azure ML command job in OUTPUT."""
    validator = start_validator(options.validates)  # first: azure-ai-ml loads while the rest of nb2aml does
    from .api import plan_convert
    from .report.diff import print_summary

    def plan(prepared, convert_options, job_options):
        return plan_convert(
            prepared,
            options.out_dir,
            convert=convert_options,
            options=job_options,
            force=options.force,
            resolve=options.resolve_first,
        )

    def show(console, plan, analysis):
        print_summary(console, plan, analysis)
        return [(plan.script.name, plan.script)]

    _plan_review_write(options, validator, plan, show, "job.yml")


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
@parsed_into(SplitCommand)
def split(options: SplitCommand) -> None:
    """Split NOTEBOOK into Azure ML components joined by a pipeline, in OUTPUT."""
    validator = start_validator(options.validates)  # first: azure-ai-ml loads while the rest of nb2aml does
    from .api import plan_split
    from .report.pipeline import print_pipeline

    def plan(prepared, convert_options, job_options):
        return plan_split(
            prepared,
            options.out_dir,
            cells=options.cells,
            split_on=options.split_on,
            heading_level=options.heading_level,
            convert=convert_options,
            options=job_options,
            force=options.force,
            resolve=options.resolve_first,
        )

    def show(console, plan, analysis):
        print_pipeline(console, plan)
        return [(s.name, s.script) for s in plan.steps]

    _plan_review_write(options, validator, plan, show, "pipeline.yml")


def _plan_review_write(options: OutputOptions, validator, plan, show, yaml_name: str) -> None:
    """What `convert` and `split` share: prepare, `plan(prepared, convert_options, job_options)`, print the
    plan with `show(console, plan, analysis)` (which returns the scripts to review), review, write, say what
    is next. The options' own errors come first, then the notebook's, as before."""
    from rich.console import Console

    from .envtools.folder_check import Unresolvable

    console = Console()
    try:
        convert_options, job_options = options.convert_options(), options.job_options()
        prepared = _prepared(options)
        planned = plan(prepared, convert_options, job_options)
        _say_left_out(planned.left_out)
        analysis = planned.plan.analysis or prepared.analysis
        scripts = show(console, planned.plan, analysis)
        warn_missing_inputs(console, analysis)
        written = _review_and_write(console, options, planned.plan, scripts, validator)
    except Unresolvable:  # each unresolvable pin was said, one line each
        sys.exit(1)
    except Nb2amlError as exc:
        _fail(str(exc))
    finally:
        if validator is not None:
            validator.close()
    if written:
        _next_steps(console, options, yaml_name)


def _next_steps(console, options: OutputOptions, yaml_name: str) -> None:
    console.print(
        f"Next: [bold]nb2aml run {options.out_dir}[/], "
        f"then [bold]az ml job create --file {options.out_dir}/{yaml_name} --web[/]"
    )
    if options.verify_after:
        _verify(options.notebook, options.out_dir, options.unsafe_fixes)


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
@parsed_into(VerifyCommand)
def verify(options: VerifyCommand) -> None:
    """Prove FOLDER (a job or a pipeline) computes what NOTEBOOK computes.

    Exit code 0: equivalent; 1: not equivalent; 2: the notebook itself fails (or bad input);
    4: nothing comparable (no metric the job keeps, no output).
    """
    from .verify import verify_command

    _require_run_extras("verify")
    sys.exit(
        verify_command(
            options.notebook,
            options.folder,
            seed=options.seed,
            rtol=options.rtol,
            fmt=options.fmt,
            unsafe_fixes=options.unsafe_fixes,
            **options.where(),
        )
    )


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
        from .envtools.folder_check import resolve_and_record

        try:
            resolution = resolve_and_record(folder)
        except Nb2amlError as exc:
            _fail(str(exc))
        _print_resolution(resolution)
        if not resolution.ok:
            sys.exit(1)


def _print_resolution(resolution) -> None:
    """`--resolve`'s outcome: each requirements file resolved, or each of its problems by package."""
    for file in resolution.files:
        if not file.problems:
            click.echo(f"resolved: {file.where} for {file.target} ({file.packages} packages)")
        for problem in file.problems:
            click.echo(f"nb2aml: unresolvable: {file.where} ({file.target}): {problem}", err=True)


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
@parsed_into(RunCommand)
def run(options: RunCommand) -> None:
    """Run the job (or pipeline, or sweep.yml) in FOLDER here, on its local data, tracked with MLflow.

    FOLDER may also be a notebook: it is converted into a job in a new temporary folder first.
    """
    from .command_options import input_paths
    from .run.fixes import fixes_in_readme
    from .run.folder import run_folder
    from .run.sweep import is_sweep_yaml

    _require_run_extras("run")
    folder, fmt = options.folder, options.fmt
    if is_sweep_yaml(folder):
        _run_sweep(folder, options.trials, options.tracking_uri, fmt, bool(options.inputs or options.params))
    try:
        stream = (lambda line: click.echo(line, err=True)) if fmt == "json" else click.echo
        if folder.is_file():
            from .run.notebook_job import convert_for_run

            folder, fixes, overrides = convert_for_run(folder, options.unsafe_fixes, options.inputs)
            stream(f"converted into {folder}")
        elif options.unsafe_fixes:
            raise ConfigError(
                f"{folder}: --unsafe-fixes applies when converting: give the notebook, or convert with --unsafe-fixes"
            )
        else:
            fixes, overrides = fixes_in_readme(folder), options.inputs
        result = run_folder(
            folder,
            inputs=input_paths(overrides),
            params=options.parameter_values(),
            tracking_uri=options.tracking_uri,
            stream=stream,
            **options.where(),
        )
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
