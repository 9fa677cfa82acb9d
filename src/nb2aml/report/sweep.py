"""The end of `nb2aml run DIR/sweep.yml`: the leaderboard of the trials, best first."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

_STYLE = {"succeeded": "green", "failed": "red"}


def print_leaderboard(console: Console, result) -> None:
    best = result.best
    table = Table(title=f"Sweep: {result.goal} {result.metric}", title_justify="left")
    for column in ("rank", "trial", result.metric, "params", "status", "seconds"):
        table.add_column(column)
    for rank, trial in enumerate(result.ranked(), start=1):
        value = trial.metrics.get(result.metric)
        params = "\n".join(f"{k} = {_short(v)}" for k, v in trial.params.items())
        mark = " *" if best is not None and trial.number == best.number else ""
        table.add_row(
            str(rank),
            f"{trial.number}{mark}",
            "-" if value is None else f"{value:.6g}",
            params,
            f"[{_STYLE.get(trial.status, 'white')}]{trial.status}[/]",
            f"{trial.seconds:.1f}",
        )
    console.print(table)
    for trial in result.trials:
        if trial.error:
            console.print(f"[red]trial {trial.number}:[/] {trial.error}", highlight=False)
    if best is not None:
        console.print(
            f"best: trial {best.number} ({result.metric} = {best.metrics[result.metric]:.6g})   outputs: "
            f"{result.run_dir}",
            highlight=False,
        )
    else:
        console.print("[red]no trial logged the objective metric[/]", highlight=False)


def _short(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)
