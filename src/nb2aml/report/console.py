"""The rich report of `nb2aml analyze`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..types import Analysis

_ACTION_STYLE = {"keep": "green", "strip": "red", "partial": "yellow"}


def print_analysis(console: Console, analysis: Analysis, verdict: str | None = None) -> None:
    # Everything that comes from the notebook is escaped: `df[column]` in a message is code, not markup.
    path = escape(analysis.notebook.path)
    cells = Table(title=f"Refactoring plan for {path}", title_justify="left")
    cells.add_column("cell", justify="right")
    cells.add_column("kind")
    cells.add_column("action")
    cells.add_column("why")
    cells.add_column("rules")
    for plan in analysis.cells:
        style = _ACTION_STYLE[plan.action]
        cells.add_row(str(plan.cell), plan.kind, f"[{style}]{plan.action}[/]", escape(plan.why), " ".join(plan.rules))
    console.print(cells)
    unknown = [(plan.cell, line, calls) for plan in analysis.cells for line, calls in plan.unknown]
    if unknown:
        console.print(
            "\n[bold yellow]Kept: effect unknown[/] (nb2aml cannot prove these only display; they stay in the job)"
        )
        for cell, line, calls in unknown:
            console.print(f"  [cyan]{path}:cell {cell}:{line}[/] {escape(calls)}", highlight=False, soft_wrap=True)

    if analysis.findings:
        console.print()
        console.rule("Findings")
        by_code: dict[str, list] = {}
        for finding in analysis.findings:
            by_code.setdefault(finding.code, []).append(finding)
        for code, findings in sorted(by_code.items()):
            first = findings[0]
            colour = "red" if first.severity == "error" else "yellow"
            console.print(f"[bold {colour}]{code}[/] [bold]{first.name}[/] ({len(findings)}, fix: {first.fix})")
            for f in findings:
                console.print(f"  [cyan]{f.pos.render(path)}[/] {escape(f.message)}", highlight=False, soft_wrap=True)

    _interface(console, analysis)
    if analysis.requirements:
        table = Table(title=f"Requirements of the kept code (Python {analysis.python_version})", title_justify="left")
        for column in ("package", "version", "source", "imported as"):
            table.add_column(column)
        for r in analysis.requirements:
            version = escape(r.version) if r.version else "[red]unpinned[/]"
            table.add_row(escape(r.name), version, r.source, escape(", ".join(r.imported_as)))
        console.print(table)
    errors = sum(1 for f in analysis.findings if f.severity == "error")
    warnings = len(analysis.findings) - errors
    fixable = sum(1 for f in analysis.findings if f.fix == "safe")
    # `verdict` is what convert will do (refusals.analyze_verdict): never a promise convert breaks.
    verdict = verdict or f"{fixable} fixed safely by `nb2aml convert`"
    console.print(f"\n[bold]{errors} error(s), {warnings} warning(s)[/]; {escape(verdict)}.", soft_wrap=True)


def _interface(console: Console, analysis: Analysis) -> None:
    table = Table(title="Job interface", title_justify="left")
    for column in ("", "name", "type", "value / path", "cell"):
        table.add_column(column)
    for a in analysis.inputs:
        table.add_row("input", a.name, a.type, escape(a.path), str(a.pos.cell))
    for a in analysis.outputs:
        table.add_row("output", a.name, a.type, escape(a.path), str(a.pos.cell))
    for p in analysis.parameters:
        table.add_row("parameter", p.name, p.type, escape(repr(p.value)), str(p.pos.cell))
    for m in analysis.metrics:
        state = "logged" if m.logged else "printed" if m.printed else "computed"
        table.add_row("metric", m.name, state, escape(m.function), str(m.pos.cell))
    if table.row_count:
        console.print()
        console.print(table)
