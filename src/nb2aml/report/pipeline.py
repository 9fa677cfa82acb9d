"""The pipeline `split` plans, as a rich tree."""

from __future__ import annotations

from rich.console import Console
from rich.tree import Tree


def print_pipeline(console: Console, plan) -> None:
    tree = Tree(f"[bold]pipeline {plan.spec.display_name}[/]")
    sources = {(e.target, e.variable): e.source for e in plan.edges}
    for step in plan.steps:
        branch = tree.add(f"[bold cyan]{step.name}[/] [dim]{step.spec.description.rsplit(': ', 1)[-1]}[/]")
        for item in step.spec.inputs:
            origin = next(
                (
                    f" <- {src}"
                    for (target, variable), src in sources.items()
                    if target == step.name and dict(step.loads).get(variable) == item.name
                ),
                "",
            )
            default = f" = {item.default!r}" if item.default is not None else ""
            branch.add(f"in  {item.name} [dim]({item.type}{default})[/]{origin}")
        for item in step.spec.outputs:
            branch.add(f"out {item.name} [dim]({item.type})[/]")
        if step.analysis.metrics:
            branch.add("logs " + ", ".join(m.name for m in step.analysis.metrics))
    console.print(tree)
    for note in getattr(plan, "notes", ()):
        console.print(f"note: {note}", highlight=False, markup=False)
    console.print("requirements: " + ", ".join(r.line() for r in plan.requirements))
