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


if __name__ == "__main__":  # pragma: no cover
    main()
