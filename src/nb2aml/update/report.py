"""Show an update before it is written (what happens to each file, and the diffs), and after."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..report.diff import print_diff, unified
from .plan import FileUpdate, UpdatePlan

WHAT: dict[str, str] = {
    "create": "new file",
    "replace": "replaced (you had not edited it)",
    "unchanged": "unchanged",
    "merged": "merged: your edits kept, nb2aml's changes applied",
    "conflict": "CONFLICT: changed by you and by nb2aml",
    "foreign": "not written by nb2aml: backed up, then replaced",
    "restored": "you deleted it, nb2aml changed it: written again",
    "absent": "you deleted it: stays deleted",
    "removed": "no longer written by nb2aml: removed (you had not edited it)",
    "retired": "no longer written by nb2aml: your edited copy goes to the backup folder",
}

DONE: dict[str, str] = {
    "create": "created",
    "replace": "replaced",
    "unchanged": "unchanged",
    "merged": "merged",
    "conflict": "with conflicts",
    "foreign": "backed up and replaced",
    "restored": "restored",
    "absent": "left deleted",
    "removed": "removed",
    "retired": "moved to the backup folder",
}


def describe(change: FileUpdate) -> str:
    text = WHAT[change.action]
    if change.action == "merged" and change.resolved:
        text += f" ({change.resolved} conflicting hunk{'s' * (change.resolved > 1)} settled by your choice of side)"
    if change.action == "conflict":
        text += f" ({change.conflicts} hunk{'s' * (change.conflicts > 1)}, marked <<<<<<< / >>>>>>>)"
    if change.action == "unchanged" and change.markers:
        text = "unchanged, still holds conflict markers"
    elif change.action == "unchanged" and change.engineer_text:
        text = "unchanged: your edits kept (nb2aml's text did not change)"
    if change.backup and change.action not in ("foreign", "retired"):
        text += "; your version is backed up"
    return text


def print_plan(console: Console, update: UpdatePlan, *, diff: bool, side_by_side: bool = False) -> None:
    """The table of what happens to each file; with `diff`, every change grouped by file."""
    dest = update.dest
    if update.kind == "update":
        title = f"Update of {dest} (nb2aml wrote it before)"
    else:
        title = f"{dest} was not written by nb2aml"
    table = Table(title=title, title_justify="left")
    table.add_column("file", overflow="fold")
    table.add_column("what happens", overflow="fold")
    for change in update.files:
        table.add_row(escape(change.path), escape(describe(change)))
    for path in update.extra_backups:
        table.add_row(escape(path), "in the way of a file nb2aml writes: moved to the backup folder")
    if update.kept:
        table.add_row(
            f"({len(update.kept)} more)",
            f"yours, not written by nb2aml: stay as they are ({escape(', '.join(update.kept[:6]))}"
            f"{', ...' if len(update.kept) > 6 else ''})",
        )
    console.print(table)
    previous, now = update.previous, update.manifest
    if previous is not None and (previous.command, previous.notebook) != (now.command, now.notebook):
        console.print(
            f"[yellow]note:[/] {dest} was written by `nb2aml {previous.command}` from {escape(previous.notebook)}; "
            f"this is `nb2aml {now.command}` from {escape(now.notebook)}: the files it no longer writes are removed, "
            "or moved to the backup folder when you edited them",
            highlight=False,
        )
    if update.needs_force:
        console.print("[yellow]--force is needed to write into this folder[/]", highlight=False)
    if not diff:
        return
    for change in update.files:
        before, after = change.before or "", change.after or ""
        if before == after and change.before is not None:
            continue
        console.rule(f"{escape(change.path)}: {escape(describe(change))}", align="left")
        print_diff(
            console,
            before,
            after,
            f"{change.path} (now)",
            f"{change.path} (after the update)",
            side_by_side=side_by_side,
        )
        if change.action == "merged" and change.generated is not None and change.after != change.generated:
            console.print(
                f"[dim]your edits in {escape(change.path)}, kept (nb2aml's new text -> the merged file):[/]",
                highlight=False,
            )
            print_diff(
                console,
                change.generated,
                after,
                f"{change.path} (nb2aml)",
                f"{change.path} (merged)",
                side_by_side=side_by_side,
            )


def print_outcome(console: Console, update: UpdatePlan, problems: tuple[str, ...]) -> int:
    """Say what was written; return the exit code (1: conflicts or invalid files to resolve)."""
    dest = update.dest
    counts: dict[str, int] = {}
    for change in update.files:
        counts[change.action] = counts.get(change.action, 0) + 1
    words = ", ".join(f"{count} {DONE[action]}" for action, count in sorted(counts.items()))
    console.print(f"[green]{'Updated' if update.kind == 'update' else 'Wrote'} {dest}[/]: {words}.", highlight=False)
    backed_up = update.backed_up()
    if backed_up:
        console.print(
            f"Moved {len(backed_up)} file{'s' * (len(backed_up) > 1)} it replaced or removed "
            f"to {dest}/{update.backup_dir}/ first: {escape(', '.join(backed_up))}.",
            highlight=False,
        )
    for path in (f.path for f in update.files if f.action == "retired"):
        console.print(
            f"{escape(path)}: nb2aml no longer writes it; "
            f"your edited copy is in {dest}/{update.backup_dir}/{escape(path)}",
            highlight=False,
        )
    for change in update.open_conflicts:
        console.print(
            f"[red]conflict:[/] {dest}/{escape(change.path)}: resolve the <<<<<<< / >>>>>>> markers by hand, "
            "or rerun with --ours (your side) or --theirs (nb2aml's side)",
            highlight=False,
        )
    for problem in problems:
        console.print(
            f"[red]invalid:[/] {dest}/{escape(problem)} (azure-ai-ml rejects the merged file: fix it by hand)",
            highlight=False,
        )
    return 1 if update.open_conflicts or problems else 0


def update_diff_text(update: UpdatePlan) -> str:
    """Every change of the update as one plain unified diff, file by file (for tests and logs)."""
    parts = []
    for change in update.files:
        if change.before != change.after:
            parts.append(unified(change.before or "", change.after or "", f"a/{change.path}", f"b/{change.path}"))
    return "".join(parts)
