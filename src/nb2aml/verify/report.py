"""The verdict of `nb2aml verify` as a rich table."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def print_verdict(console: Console, verdict, rtol: float) -> None:
    if verdict.fixes_applied:
        console.print("fixes the notebook needed to run here: " + "; ".join(verdict.fixes_applied), highlight=False)
    if verdict.skipped:
        n = len(verdict.skipped)
        listed = "; ".join(f"cell {s['cell']} {s['text']} ({s['error'].split(':', 1)[0]})" for s in verdict.skipped)
        console.print(
            f"skipped {n} stripped statement{'s' if n != 1 else ''} that fail{'s' if n == 1 else ''} here: {listed}",
            highlight=False,
            markup=False,
        )
    if verdict.baseline_error:
        console.print(f"[red]the notebook itself fails:[/] {verdict.baseline_error}", highlight=False)
        return
    table = Table(title=f"Metrics (rtol {rtol:g})", title_justify="left")
    for column in ("metric", "notebook", "job/pipeline", "difference", ""):
        table.add_column(column)
    for m in verdict.metrics:
        diff = "" if m.difference is None else f"{m.difference:.3g}"
        table.add_row(
            m.name, _num(m.notebook), _num(m.converted), diff, "[green]pass[/]" if m.match else "[red]FAIL[/]"
        )
    console.print(table)
    if verdict.files:
        files = Table(title="Output files", title_justify="left")
        for column in ("output", "file", "compared as", ""):
            files.add_column(column)
        for f in verdict.files:
            files.add_row(f.output, f.file, f.how, "[green]pass[/]" if f.match else f"[red]FAIL[/] {f.detail}")
        console.print(files)
    if verdict.printed is not None:
        p = verdict.printed
        console.print(
            f"printed by the kept code: {p.lines} line{'s' if p.lines != 1 else ''}, "
            + ("[green]pass[/]" if p.match else f"[red]FAIL[/] {escape(p.detail)}"),
            highlight=False,
        )
    if verdict.converted_error:
        console.print(f"[red]converted run failed:[/] {verdict.converted_error}", highlight=False)
    if verdict.equivalent:
        console.print(
            f"[bold green]equivalent[/]: the conversion computes what the notebook computes ({escape(verdict.reason)})."
        )
    elif not verdict.comparable and verdict.converted_status == "succeeded":
        console.print(
            f"[bold yellow]nothing comparable[/]: {escape(verdict.reason.split(': ', 1)[-1])}", highlight=False
        )
    else:
        console.print(f"[bold red]not equivalent[/]: {escape(verdict.reason)}", highlight=False)
        if verdict.unseeded:
            console.print(
                "randomness without a seed (NB401) may explain a difference: " + ", ".join(verdict.unseeded),
                highlight=False,
            )


def _num(value) -> str:
    return "-" if value is None else f"{value:.10g}"
