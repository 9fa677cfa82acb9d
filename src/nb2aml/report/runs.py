"""The end of `nb2aml run`: a table of steps, their metrics and where their outputs are."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

_STYLE = {"succeeded": "green", "failed": "red", "skipped": "yellow"}


def print_run(console: Console, result) -> None:
    table = Table(title=f"Run {result.status}", title_justify="left")
    for column in ("step", "status", "metrics", "params", "seconds"):
        table.add_column(column)
    for step in result.steps:
        metrics = "\n".join(f"{k} = {v:.6g}" for k, v in step.metrics.items()) or "-"
        params = "\n".join(f"{k} = {v}" for k, v in step.params.items()) or "-"
        table.add_row(
            step.name, f"[{_STYLE.get(step.status, 'white')}]{step.status}[/]", metrics, params, f"{step.seconds:.1f}"
        )
    console.print(table)
    for step in result.steps:
        if step.error:
            console.print(f"[red]{step.name}:[/] {step.error}", highlight=False)
    if result.run_dir:
        console.print(f"outputs: {result.run_dir}   tracking: {result.tracking_uri}", highlight=False)
