"""Command line: click for parsing, rich for output. Heavy modules load inside the commands."""

from __future__ import annotations

import json
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nb2aml")
def main() -> None:
    """Turn a data scientist's notebook into an Azure ML command job and pipeline."""


@main.command()
@click.argument("notebook", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Report format.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to report (e.g. NB1,NB501).")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to leave out.")
@click.option("--strip-prints", is_flag=True, help="Plan to remove print calls too.")
def analyze(notebook: Path, fmt: str, select: tuple[str, ...], ignore: tuple[str, ...], strip_prints: bool) -> None:
    """Report findings and the refactoring plan. Writes nothing.

    Exit code 0: no error-level findings; 1: error-level findings; 2: the notebook could not be read.
    """
    from .api import analyze_path

    try:
        analysis, _ = analyze_path(notebook, select=_codes(select), ignore=_codes(ignore), strip_prints=strip_prints)
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

        from .report.console import print_analysis

        print_analysis(Console(), analysis)
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
    path = requirements or environment or find_env_file(notebook)
    return load_env_file(path) if path else None


def _refuse_blocking_findings(analysis, allow_secrets: bool) -> None:
    path = analysis.notebook.path
    for finding in analysis.findings:
        if finding.code == "NB001":
            raise NotebookError(f"{finding.pos.render(path)}: {finding.message}; fix the cell before converting")
        if finding.code == "NB601" and not allow_secrets:
            raise NotebookError(f"{finding.pos.render(path)}: {finding.message}; refusing to copy it (--allow-secrets to override)")


def _confirm(yes: bool) -> bool:
    if yes or not sys.stdin.isatty():
        return True
    return click.confirm("Write these files?", default=True)


@main.command()
@click.argument("notebook", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), required=True, help="Output folder (must be empty or new).")
@click.option("--requirements", type=click.Path(path_type=Path), help="The data scientist's pip freeze (default: requirements.txt beside the notebook).")
@click.option("--environment", type=click.Path(path_type=Path), help="The data scientist's conda environment yaml.")
@click.option("--compute", default="azureml:cpu-cluster", show_default=True, help="Compute target of the job.")
@click.option("--base-image", help="Docker base image (default: python:X.Y-slim of the notebook's Python).")
@click.option("--data-uri", "data_uris", multiple=True, metavar="NAME=URI", help="Also write job_full_data.yml with input NAME at URI (azureml://...).")
@click.option("--experiment-name", help="Experiment name (default: the job's name).")
@click.option("--strip-prints", is_flag=True, help="Remove print calls too.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour.")
@click.option("--allow-secrets", is_flag=True, help="Convert even when NB601 finds a credential.")
@click.option("--diff", "show_diff", is_flag=True, help="Show the script as a diff against the notebook.")
@click.option("--side-by-side", is_flag=True, help="Show the diff side by side.")
@click.option("--dry-run", is_flag=True, help="Show everything, write nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before writing.")
@click.option("--force", is_flag=True, help="Replace a non-empty output folder (earlier runs are kept).")
@click.option("--no-validate", is_flag=True, help="Skip the azure-ai-ml validation of the YAML files.")
def convert(notebook: Path, out_dir: Path, requirements, environment, compute, base_image, data_uris, experiment_name,
            strip_prints, unsafe_fixes, allow_secrets, show_diff, side_by_side, dry_run, yes, force, no_validate) -> None:
    """Convert NOTEBOOK into a standalone Azure ML command job in OUTPUT."""
    from rich.console import Console

    from .api import analyze_path
    from .convert import JobOptions, plan_job
    from .refactor.script import ConvertOptions
    from .report.diff import print_diff, print_summary
    from .writer import check_destination, write_tree

    console = Console()
    try:
        uris = tuple(_pair(item, "--data-uri") for item in data_uris)
        if not dry_run:
            check_destination(out_dir, force)
        env = _env_spec(notebook, requirements, environment)
        analysis, facts = analyze_path(notebook, strip_prints=strip_prints)
        _refuse_blocking_findings(analysis, allow_secrets)
        plan = plan_job(analysis, facts, out_dir, env=env, convert=ConvertOptions(strip_prints=strip_prints, unsafe_fixes=unsafe_fixes),
                        options=JobOptions(compute=compute, base_image=base_image, data_uris=uris, experiment_name=experiment_name))
        if show_diff or side_by_side or dry_run:
            print_diff(console, plan.script.before, plan.script.text, str(notebook), f"src/{plan.script.name}.py", side_by_side=side_by_side)
        print_summary(console, plan, analysis)
        if dry_run:
            console.print("[bold]--dry-run:[/] nothing written.")
            return
        if not _confirm(yes):
            console.print("Nothing written.")
            return
        write_tree(plan.files, out_dir, force=force, check=None if no_validate else _validate_folder)
    except NotebookError as exc:
        _fail(str(exc))
    console.print(f"[green]Wrote {len(plan.files)} files to {out_dir}[/] (validated with azure-ai-ml)." if not no_validate else f"[green]Wrote {len(plan.files)} files to {out_dir}[/].")
    console.print(f"Next: [bold]nb2aml run {out_dir}[/], then [bold]az ml job create --file {out_dir}/job.yml --web[/]")


def _pair(item: str, option: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name or not value:
        raise NotebookError(f"{option} takes NAME=VALUE, not {item!r}")
    return name.strip(), value.strip()


def _validate_folder(folder: Path) -> None:
    from .emit.validate import InvalidYaml, validate_folder

    try:
        validate_folder(folder)
    except InvalidYaml as exc:
        raise NotebookError(f"validation failed: {exc}") from None


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
def validate(folder: Path) -> None:
    """Validate every job, component and environment YAML in FOLDER with azure-ai-ml."""
    from .emit.validate import InvalidYaml, validate_folder

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
    from .run import run_folder

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
