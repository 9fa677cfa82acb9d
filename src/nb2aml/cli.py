"""Command line: click for parsing, rich for output. Heavy modules load inside the commands."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .types import NotebookError

FORMATS = click.Choice(["text", "json", "sarif"])


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


def _fail(message: str) -> "NoReturn":  # noqa: F821
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
        except Exception as exc:  # a bug: one line, the traceback only on request
            if os.environ.get("NB2AML_DEBUG"):
                raise
            detail = " ".join(str(exc).split())[:300]
            click.echo(f"nb2aml: internal error (a bug in nb2aml, please report it): {type(exc).__name__}: {detail}; "
                       "set NB2AML_DEBUG=1 for the traceback", err=True)
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
@click.option("--requirements", type=click.Path(path_type=Path), help="The data scientist's pip freeze (default: requirements.txt beside the notebook).")
@click.option("--environment", type=click.Path(path_type=Path), help="The data scientist's conda environment yaml.")
def analyze(notebook: Path, fmt: str, select: tuple[str, ...], ignore: tuple[str, ...], strip_prints: bool, requirements, environment) -> None:
    """Report findings and the refactoring plan. Writes nothing.

    Exit code 0: no error-level findings; 1: error-level findings; 2: the notebook could not be read.
    """
    from .api import analyze_path

    try:
        env = _env_spec(notebook, requirements, environment)
        analysis, facts = analyze_path(notebook, select=_codes(select), ignore=_codes(ignore), strip_prints=strip_prints,
                                       env=env, requirements=True)
    except NotebookError as exc:
        _fail(str(exc))
    if fmt == "json":
        from .report.json_report import analysis_document

        click.echo(json.dumps(analysis_document(analysis), indent=2, default=str))
    elif fmt == "sarif":
        from .report.sarif import sarif_document

        click.echo(json.dumps(sarif_document(analysis), indent=2))
    else:
        from rich.console import Console

        from .refusals import analyze_verdict
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
            raise NotebookError(f"{given}: {what} (given as {option})")
    path = requirements or environment or find_env_file(notebook)
    return load_env_file(path) if path else None


def _warn_missing_inputs(console, analysis) -> None:
    """Inputs whose local path does not exist: the job keeps it as a default, `nb2aml run` will need --input."""
    from .analysis.assets import is_remote

    from .asset_paths import written_data_files

    folder = Path(analysis.notebook.path).parent
    written = written_data_files(analysis.notebook)  # shipped under written/: not read from the notebook's folder
    for asset in analysis.inputs:
        if is_remote(asset.path) or "*" in asset.path or os.path.normpath(asset.path) in written:
            continue
        local = Path(asset.path).expanduser()
        local = Path(os.path.abspath(local if local.is_absolute() else folder / local))
        if not local.exists():
            console.print(f"[yellow]warning:[/] input --{asset.name}: {asset.path} does not exist ({local}); it stays the default "
                          f"path, so `nb2aml run` needs --input {asset.name}=PATH", markup=True, highlight=False)


def _confirm(yes: bool) -> bool:
    if yes or not sys.stdin.isatty():
        return True
    return click.confirm("Write these files?", default=True)


def _output_options(func):
    """The options `convert` and `split` share: environment, review and writing."""
    options = [
        click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), required=True, help="Output folder (must be empty or new)."),
        click.option("--requirements", type=click.Path(path_type=Path), help="The data scientist's pip freeze (default: requirements.txt beside the notebook)."),
        click.option("--environment", type=click.Path(path_type=Path), help="The data scientist's conda environment yaml."),
        click.option("--compute", default="azureml:cpu-cluster", show_default=True, help="Compute target."),
        click.option("--base-image", help="Docker base image (default: python:X.Y-slim of the notebook's Python)."),
        click.option("--data-uri", "data_uris", multiple=True, metavar="NAME=URI", help="Also write a full-data YAML with input NAME at URI (azureml://...)."),
        click.option("--experiment-name", help="Experiment name (default: the job's name)."),
        click.option("--strip-prints", is_flag=True, help="Remove print calls too."),
        click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour."),
        click.option("--mlflow-model", is_flag=True, help="Also save the model the notebook writes as an MLflow model in the same output."),
        click.option("--diff", "show_diff", is_flag=True, help="Show the scripts as a diff against the notebook."),
        click.option("--side-by-side", is_flag=True, help="Show the diff side by side."),
        click.option("--dry-run", is_flag=True, help="Show everything, write nothing."),
        click.option("--yes", "-y", is_flag=True, help="Do not ask before writing."),
        click.option("--force", is_flag=True, help="Replace a non-empty output folder (earlier runs are kept)."),
        click.option("--no-validate", is_flag=True, help="Skip the azure-ai-ml validation of the YAML files."),
        click.option("--verify", "verify_after", is_flag=True, help="Run `nb2aml verify` right after writing."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _protected(notebook: Path, o: dict) -> list[Path]:
    """What the output folder must not hold: `--force` replaces it whole."""
    return [p for p in (notebook, o["requirements"], o["environment"]) if p is not None]


def _prepare(notebook: Path, o: dict):
    """Analyse and check everything `convert` / `split` need before planning files."""
    from .api import analyze_path
    from .convert import JobOptions
    from .refactor.script import ConvertOptions
    from .writer import check_destination

    uris = tuple(_pair(item, "--data-uri") for item in o["data_uris"])
    if not o["dry_run"]:
        check_destination(o["out_dir"], o["force"], _protected(notebook, o))
    env = _env_spec(notebook, o["requirements"], o["environment"])
    analysis, facts = analyze_path(notebook, strip_prints=o["strip_prints"])
    from .refusals import check_convertible

    o["overridden"] = check_convertible(analysis, facts, force=o["force"])
    convert_options = ConvertOptions(strip_prints=o["strip_prints"], unsafe_fixes=o["unsafe_fixes"], mlflow_model=o["mlflow_model"])
    job_options = JobOptions(compute=o["compute"], base_image=o["base_image"], data_uris=uris, experiment_name=o["experiment_name"],
                             env_per_component=o.get("env_per_component", False))
    return analysis, facts, env, convert_options, job_options


def _review_and_write(console, notebook: Path, plan, scripts, o: dict) -> bool:
    from .writer import write_tree

    if o["show_diff"] or o["side_by_side"] or o["dry_run"]:
        from .report.diff import print_diff

        for name, script in scripts:
            print_diff(console, script.before, script.text, str(notebook), f"src/{name}.py", side_by_side=o["side_by_side"])
    if o["dry_run"]:
        console.print("[bold]--dry-run:[/] nothing written.")
        return False
    if not _confirm(o["yes"]):
        console.print("Nothing written.")
        return False
    from .refusals import readme_with_overrides

    if o.get("overridden") and "README.md" in plan.files:
        plan.files["README.md"] = readme_with_overrides(plan.files["README.md"], o["overridden"])
    _check_scripts_compile(plan.files)
    write_tree(plan.files, o["out_dir"], force=o["force"], check=None if o["no_validate"] else _validate_folder,
               protect=_protected(notebook, o))
    _WRITTEN.append(o["out_dir"])
    checked = "" if o["no_validate"] else " (validated with azure-ai-ml)"
    console.print(f"[green]Wrote {len(plan.files)} files to {o['out_dir']}[/]{checked}.")
    return True


def _check_scripts_compile(files: dict) -> None:
    """The last check of the scripts before writing: a script that does not compile is not written."""
    import warnings

    for name, text in sorted(files.items()):
        if not name.endswith(".py"):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compile(text, name, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None)
            raise NotebookError(f"{name}{f':{line}' if line else ''}: the generated script does not compile ({getattr(exc, 'msg', exc)}); "
                                "this is a bug in nb2aml, nothing was written") from None


@main.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@_output_options
def convert(notebook: Path, **o) -> None:
    """Convert NOTEBOOK into a standalone Azure ML command job in OUTPUT."""
    from rich.console import Console

    from .convert import plan_job
    from .report.diff import print_summary

    console = Console()
    try:
        analysis, facts, env, convert_options, job_options = _prepare(notebook, o)
        plan = plan_job(analysis, facts, o["out_dir"], env=env, convert=convert_options, options=job_options)
        print_summary(console, plan, analysis)
        _warn_missing_inputs(console, analysis)
        written = _review_and_write(console, notebook, plan, [(plan.script.name, plan.script)], o)
    except NotebookError as exc:
        _fail(str(exc))
    if written:
        _next_steps(console, notebook, o, "job.yml")


@main.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@click.option("--cells", "cells", multiple=True, metavar="NAME=START[-END],...", help="Components by cell ranges (cell numbers as `analyze` prints them).")
@click.option("--split-on", type=click.Choice(["markers", "headings"]), default=None, help="Split at cell tags / marker comments (default when present) or at markdown headings.")
@click.option("--heading-level", type=click.IntRange(1, 6), default=2, show_default=True, help="Deepest heading level that starts a component.")
@click.option("--env-per-component", is_flag=True, help="One minimal environment per component instead of one shared image.")
@_output_options
def split(notebook: Path, cells, split_on, heading_level, env_per_component, **o) -> None:
    """Split NOTEBOOK into Azure ML components joined by a pipeline, in OUTPUT."""
    from rich.console import Console

    from .notebook import load_notebook
    from .report.pipeline import print_pipeline
    from .split.assign import from_cells_option, from_headings, from_markers
    from .split.plan import plan_pipeline

    console = Console()
    try:
        analysis, facts, env, convert_options, job_options = _prepare(notebook, {**o, "env_per_component": env_per_component})
        if cells:
            assignment = from_cells_option(analysis.notebook, cells)
        elif split_on == "headings":
            assignment = from_headings(analysis.notebook, heading_level)
        else:
            assignment = from_markers(analysis.notebook)
            if assignment is None:
                raise NotebookError(f"{notebook}: no component markers: give --cells NAME=START,... or --split-on headings")
        plan = plan_pipeline(analysis, facts, assignment, o["out_dir"], env=env, convert=convert_options, options=job_options)
        print_pipeline(console, plan)
        _warn_missing_inputs(console, analysis)
        written = _review_and_write(console, notebook, plan, [(s.name, s.script) for s in plan.steps], o)
    except NotebookError as exc:
        _fail(str(exc))
    if written:
        _next_steps(console, notebook, o, "pipeline.yml")


def _next_steps(console, notebook: Path, o: dict, yaml_name: str) -> None:
    console.print(f"Next: [bold]nb2aml run {o['out_dir']}[/], then [bold]az ml job create --file {o['out_dir']}/{yaml_name} --web[/]")
    if o["verify_after"]:
        _verify(notebook, o["out_dir"])


def _verify(notebook: Path, out_dir: Path) -> None:
    from .verify import verify_command

    sys.exit(verify_command(notebook, out_dir))


@main.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of Python's and NumPy's global generators in every process.")
@click.option("--rtol", type=float, default=1e-9, show_default=True, help="Relative tolerance for metrics.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def verify(notebook: Path, folder: Path, seed: int, rtol: float, fmt: str) -> None:
    """Prove FOLDER (a job or a pipeline) computes what NOTEBOOK computes.

    Exit code 0: equivalent; 1: not equivalent; 2: the notebook itself fails (or bad input).
    """
    from .verify import verify_command

    sys.exit(verify_command(notebook, folder, seed=seed, rtol=rtol, fmt=fmt))


def _pair(item: str, option: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name or not value:
        raise NotebookError(f"{option} takes NAME=VALUE, not {item!r}")
    return name.strip(), value.strip()


def _validate_folder(folder: Path) -> None:
    from .emit.check import validate_folder
    from .emit.validate import InvalidYaml

    try:
        validate_folder(folder)
    except InvalidYaml as exc:
        raise NotebookError(f"validation failed: {exc}") from None


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
def validate(folder: Path) -> None:
    """Validate every job, component and environment YAML in FOLDER with azure-ai-ml."""
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


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--input", "inputs", multiple=True, metavar="NAME=PATH", help="Use PATH for input NAME.")
@click.option("--set", "params", multiple=True, metavar="NAME=VALUE", help="Set parameter NAME.")
@click.option("--tracking-uri", help="MLflow tracking URI (default: sqlite:///FOLDER/.nb2aml/mlflow.db).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def run(folder: Path, inputs, params, tracking_uri, fmt) -> None:
    """Run the job (or pipeline) in FOLDER here, on its local data, tracked with MLflow."""
    from .run.folder import run_folder

    try:
        overrides = dict(_pair(i, "--input") for i in inputs)
        values = dict(_pair(p, "--set") for p in params)
        stream = (lambda line: click.echo(line, err=True)) if fmt == "json" else click.echo
        result = run_folder(folder, inputs=overrides, params=values, tracking_uri=tracking_uri, stream=stream)
    except NotebookError as exc:
        _fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2, default=str))
    else:
        from rich.console import Console

        from .report.runs import print_run

        print_run(Console(), result)
    sys.exit(0 if result.status == "succeeded" else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
