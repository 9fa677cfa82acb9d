"""Write a whole output folder or nothing.

Files go to a temporary sibling folder; a check runs there (relative paths resolve the same);
only then is the folder moved into place. Any failure, Ctrl-C included, removes the temporary
folder (and any parent folder this call created), and an existing output folder is only
replaced with --force. The swap itself (old folder aside, new folder in, results of earlier runs
carried over) runs with Ctrl-C held back and is rolled back as a whole if it fails or was
interrupted: `write_tree` either returns with every file in place or raises with the
destination as it was. Files of the old folder named in `carry` (the engineer's own files, and
the ones going to the backup folder of an update) are moved into the new one by the same swap.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from .errors import OutputError
from .interrupts import raise_if_interrupted

# Folders of an existing output that hold results of earlier runs: kept across --force.
PRESERVED = (".runs", ".nb2aml")
# nb2aml's record of what it wrote (update/manifest.py): each write brings its own or none, the
# old one is never carried over. Backups and the MLflow store beside it are.
RECORDS = (".nb2aml/manifest.json", ".nb2aml/base", ".nb2aml/conflicts")
STAGING_MARK = ".nb2aml-"  # staging and backup folders are `.NAME.nb2aml-PID` / `.NAME.nb2aml-old-PID`


def check_destination(dest: Path, force: bool, protect: Iterable[Path] = ()) -> None:
    """Refuse, with one line naming the path, a destination that cannot become the output folder.

    `protect`: files (the notebook, its environment file) that must not be inside the output
    folder, which `--force` replaces as a whole.
    """
    dest = Path(dest)
    real = Path(os.path.realpath(dest))
    for path in protect:
        inside = Path(os.path.realpath(path))
        if inside == real or real in inside.parents:
            raise OutputError(
                f"{dest}: the output folder would hold {path}, which writing it replaces: choose another folder"
            )
    if real in Path(os.path.realpath(os.getcwd())).parents or real == Path(os.path.realpath(os.getcwd())):
        raise OutputError(f"{dest}: the output folder holds the current folder: choose another folder")
    if dest.exists() and not dest.is_dir():
        raise OutputError(f"{dest}: output path exists and is not a folder")
    if dest.is_dir() and any(p.name not in PRESERVED for p in dest.iterdir()) and not force:
        raise OutputError(f"{dest}: output folder is not empty (use --force to replace it)")
    ancestor = _nearest_existing(dest.absolute().parent)
    if not ancestor.is_dir():
        raise OutputError(f"{ancestor}: is not a folder, so {dest} cannot be created in it")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{ancestor}: not writable, so {dest} cannot be written")


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


@contextlib.contextmanager
def _sigint_held() -> Iterator[Callable[[], bool]]:
    """Hold Ctrl-C back for the block; yield a function telling whether it was pressed."""
    pressed: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    except (ValueError, OSError):  # no signals here (embedded interpreter)
        yield lambda: False
        return
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous)


def write_tree(
    files: dict[str, str],
    dest: Path,
    *,
    force: bool = False,
    check: Callable[[Path], None] | None = None,
    protect: Iterable[Path] = (),
    carry: Mapping[str, str] | None = None,
) -> None:
    """Write `files` (relative POSIX path -> text) as the folder `dest`, atomically.

    `carry`: old relative path -> new relative path of files of the existing folder moved into the new one.
    """
    check_destination(Path(dest), force, protect)
    dest = Path(os.path.abspath(dest))  # `.` and `..` have no name to put a staging folder beside
    parent = dest.parent
    created = _missing_folders(parent)
    staging = parent / f".{dest.name}{STAGING_MARK}{os.getpid()}"
    backup = parent / f".{dest.name}{STAGING_MARK}old-{os.getpid()}"
    done = False
    try:
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{parent}: cannot create the output folder's parent ({exc.strerror or exc})") from None
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        root = staging.resolve()
        for relative, text in sorted(files.items()):
            target = (staging / relative).resolve()
            if root not in target.parents:
                raise OutputError(f"{relative}: refusing to write outside the output folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        if check is not None:
            check(staging)
        raise_if_interrupted()  # a Ctrl-C Python swallowed during planning or validation: nothing is swapped in
        with _sigint_held() as interrupted:
            moved = _swap(staging, dest, backup, dict(carry or {}))
            if interrupted():
                _unswap(staging, dest, backup, moved)
                raise KeyboardInterrupt
        done = True
    except OSError as exc:
        raise OutputError(f"{dest}: cannot write the output ({exc.strerror or exc})") from None
    finally:
        with _sigint_held():
            shutil.rmtree(staging, ignore_errors=True)
            if done:
                shutil.rmtree(backup, ignore_errors=True)
            else:
                for folder in reversed(created):  # deepest first; only the ones still empty
                    with contextlib.suppress(OSError):
                        folder.rmdir()


def _missing_folders(folder: Path) -> list[Path]:
    """The folders `mkdir(parents=True)` would create for `folder`, outermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return list(reversed(missing))


def _swap(staging: Path, dest: Path, backup: Path, carry: dict[str, str]) -> list[tuple[Path, Path]]:
    """Put `staging` in place of `dest`, carrying over the results of earlier runs; all or nothing.

    Returns the moves made from the old folder into the new one, for `_unswap`.
    """
    moved: list[tuple[Path, Path]] = []
    had_dest = dest.exists()
    try:
        if had_dest:
            shutil.rmtree(backup, ignore_errors=True)
            os.replace(dest, backup)
            for old, new in sorted(carry.items()):
                target = staging / new
                target.parent.mkdir(parents=True, exist_ok=True)  # inside staging: gone with it on failure
                os.replace(backup / old, target)
                moved.append((backup / old, target))
            for name in PRESERVED:
                _carry_over(backup, staging, name, moved)
        os.replace(staging, dest)
    except BaseException:
        # Undo in reverse: whatever happened, the destination is left as it was.
        if had_dest and backup.exists() and not dest.exists():
            for source, target in reversed(moved):
                if os.path.lexists(target):
                    os.replace(target, source)
            os.replace(backup, dest)
        raise
    return moved


def _carry_over(old_root: Path, new_root: Path, relative: str, moved: list[tuple[Path, Path]]) -> None:
    """Move `relative` from the old folder into the new one; into a folder both have, entry by entry."""
    source, target = old_root / relative, new_root / relative
    if relative in RECORDS or not os.path.lexists(source):
        return
    holds_records = any(record.startswith(relative + "/") for record in RECORDS)
    if holds_records and not os.path.lexists(target) and source.is_dir() and not source.is_symlink():
        target.mkdir()  # in staging: the records inside are left behind, the rest is carried entry by entry
    if not os.path.lexists(target):
        os.replace(source, target)
        moved.append((source, target))
    elif source.is_dir() and not source.is_symlink() and target.is_dir() and not target.is_symlink():
        for child in sorted(os.listdir(source)):
            _carry_over(old_root, new_root, f"{relative}/{child}", moved)


def _unswap(staging: Path, dest: Path, backup: Path, moved: list[tuple[Path, Path]]) -> None:
    """Undo a completed `_swap` (Ctrl-C came during it): the old destination comes back."""
    os.replace(dest, staging)
    for source, target in reversed(moved):  # recorded as paths in `staging`, where they are again
        os.replace(target, source)
    if backup.exists():
        os.replace(backup, dest)
