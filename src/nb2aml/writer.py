"""Write a whole output folder or nothing.

Files go to a temporary sibling folder; a check runs there (relative paths resolve the same);
only then is the folder moved into place. Any failure, Ctrl-C included, removes the temporary
folder, and an existing output folder is only replaced with --force.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from .types import NotebookError

# Folders of an existing output that hold results of earlier runs: kept across --force.
PRESERVED = (".runs", ".nb2aml")


def check_destination(dest: Path, force: bool) -> None:
    if dest.exists() and not dest.is_dir():
        raise NotebookError(f"{dest}: output path exists and is not a folder")
    if dest.is_dir() and any(p.name not in PRESERVED for p in dest.iterdir()) and not force:
        raise NotebookError(f"{dest}: output folder is not empty (use --force to replace it)")
    parent = dest.parent if dest.parent != Path("") else Path(".")
    if parent.exists() and not os.access(parent, os.W_OK):
        raise NotebookError(f"{parent}: output folder's parent is not writable")


def write_tree(files: dict[str, str], dest: Path, *, force: bool = False, check: Callable[[Path], None] | None = None) -> None:
    """Write `files` (relative POSIX path -> text) as the folder `dest`, atomically."""
    dest = Path(dest)
    check_destination(dest, force)
    parent = dest.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NotebookError(f"{parent}: cannot create the output folder's parent ({exc.strerror})") from None
    staging = parent / f".{dest.name}.nb2aml-{os.getpid()}"
    backup = parent / f".{dest.name}.nb2aml-old-{os.getpid()}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        for relative, text in sorted(files.items()):
            target = (staging / relative).resolve()
            if staging.resolve() not in target.parents:
                raise NotebookError(f"{relative}: refusing to write outside the output folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        if check is not None:
            check(staging)
        if dest.exists():
            for name in PRESERVED:
                if (dest / name).exists():
                    shutil.move(str(dest / name), str(staging / name))
            os.replace(dest, backup)
        os.replace(staging, dest)
    except OSError as exc:
        raise NotebookError(f"{dest}: cannot write the output ({exc.strerror or exc})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(backup, ignore_errors=True)
