"""Write a planned update: the whole folder or nothing (`writer.write_tree`), then say what happened.

Validation: a folder holding only nb2aml's own texts is validated as before (`check` raises,
nothing is written). Once the engineer's edits are in it, a file the SDK rejects is the
engineer's to fix: the folder is written and every rejected file is reported, one line each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..writer import write_tree
from .plan import UpdatePlan


def write_update(
    update: UpdatePlan, *, check: Callable[[Path], None] | None, protect: Iterable[Path] = ()
) -> tuple[str, ...]:
    """Write `update`; return the validation problems of files holding the engineer's edits."""
    problems: list[str] = []
    engineers = {f.path for f in update.files if f.engineer_text}
    marked = {f.path for f in update.files if f.markers}

    def validate(staging: Path) -> None:
        if check is None:
            return
        if not engineers:
            check(staging)
            return
        from ..emit.check import file_problems, yaml_files

        for path, kind in yaml_files(staging):
            relative = path.relative_to(staging).as_posix()
            if relative in marked:
                continue  # conflict markers: reported as a conflict, not as invalid YAML
            for problem in file_problems(path, kind):
                problems.append(f"{relative}: {problem}")

    write_tree(update.tree(), update.dest, force=True, check=validate, protect=protect, carry=update.carry())
    return tuple(problems)
