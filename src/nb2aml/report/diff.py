"""The review of a conversion: a highlighted diff and a summary, before anything is written."""

from __future__ import annotations

import difflib

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from ..emit.environment import PYTHON_SOURCE_WORDS as _SOURCE_WORDS


def unified(before: str, after: str, before_name: str, after_name: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), before_name, after_name, n=2
        )
    )


def print_diff(
    console: Console, before: str, after: str, before_name: str, after_name: str, *, side_by_side: bool = False
) -> None:
    if side_by_side:
        console.print(_side_by_side(before, after, before_name, after_name))
        return
    console.print(Syntax(unified(before, after, before_name, after_name), "diff", theme="ansi_dark", word_wrap=True))


def _side_by_side(before: str, after: str, before_name: str, after_name: str) -> Table:
    table = Table(show_lines=False, expand=True)
    table.add_column(before_name, ratio=1, overflow="fold")
    table.add_column(after_name, ratio=1, overflow="fold")
    a, b = before.splitlines(), after.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            if i2 - i1 > 4:
                table.add_row(f"[dim]... {i2 - i1} unchanged lines[/]", f"[dim]... {j2 - j1} unchanged lines[/]")
            else:
                for left, right in zip(a[i1:i2], b[j1:j2], strict=False):
                    table.add_row(Syntax(left, "python", theme="ansi_dark"), Syntax(right, "python", theme="ansi_dark"))
            continue
        left = "\n".join(a[i1:i2])
        right = "\n".join(b[j1:j2])
        table.add_row(f"[red]{_escape(left)}[/]" if left else "", f"[green]{_escape(right)}[/]" if right else "")
    return table


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def print_summary(console: Console, plan, analysis) -> None:
    script = plan.script
    removed = [c for c in analysis.cells if c.kind == "code" and c.action == "strip"]
    partial = [c for c in analysis.cells if c.kind == "code" and c.action == "partial"]
    table = Table(title="Conversion summary", title_justify="left")
    table.add_column("what")
    table.add_column("details", overflow="fold")
    table.add_row("cells removed", ", ".join(str(c.cell) for c in removed) or "none")
    table.add_row("cells trimmed", ", ".join(str(c.cell) for c in partial) or "none")
    table.add_row("inputs", ", ".join(f"--{a.name} ({a.type})" for a in analysis.inputs) or "none")
    table.add_row("outputs", ", ".join(f"--{a.name}" for a in analysis.outputs) or "none")
    table.add_row("parameters", ", ".join(f"--{p.name}={p.value!r}" for p in analysis.parameters) or "none")
    table.add_row("metrics logged", ", ".join(m.name for m in analysis.metrics) or "none")
    fixes = sorted({c.description for c in script.changes if c.kind == "NB501"})
    table.add_row("fixes", "; ".join(fixes) or "none")
    notes = getattr(plan, "notes", ())
    if notes:
        table.add_row("not in the job", "; ".join(notes))
    table.add_row("requirements", ", ".join(r.line() for r in plan.requirements) or "none")
    table.add_row("python", f"{plan.python_version} ({_SOURCE_WORDS[plan.python_source]})")
    table.add_row("files", ", ".join(sorted(plan.files)))
    console.print(table)
    unpinned = [r.name for r in plan.requirements if r.version is None]
    if unpinned:
        console.print(
            f"[yellow]warning:[/] no version of {', '.join(unpinned)} known to run on Python {plan.python_version} "
            "(not in the environment file, or the one installed here needs another Python): written unpinned"
        )
