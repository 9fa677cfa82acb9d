"""Write a whole output folder or nothing.

Files go to a temporary sibling folder; a check runs there (relative paths resolve the same);
only then is the folder moved into place. Any failure, Ctrl-C included, removes the temporary
folder (and any parent folder this call created), and an existing output folder is only
replaced with --force. The swap itself (old folder aside, new folder in, results of earlier runs
carried over) runs with Ctrl-C held back and is rolled back as a whole if it fails or was
interrupted: `write_tree` either returns with every file in place or raises with the
destination as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .types import NotebookError

# Folders of an existing output that hold results of earlier runs: kept across --force.
PRESERVED = (".runs", ".nb2aml")
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
            raise NotebookError(f"{dest}: the output folder would hold {path}, which writing it replaces: choose another folder")
    if real in Path(os.path.realpath(os.getcwd())).parents or real == Path(os.path.realpath(os.getcwd())):
        raise NotebookError(f"{dest}: the output folder holds the current folder: choose another folder")
    if dest.exists() and not dest.is_dir():
        raise NotebookError(f"{dest}: output path exists and is not a folder")
    if dest.is_dir() and any(p.name not in PRESERVED for p in dest.iterdir()) and not force:
        raise NotebookError(f"{dest}: output folder is not empty (use --force to replace it)")
    ancestor = _nearest_existing(dest.absolute().parent)
    if not ancestor.is_dir():
        raise NotebookError(f"{ancestor}: is not a folder, so {dest} cannot be created in it")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise NotebookError(f"{ancestor}: not writable, so {dest} cannot be written")


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


def write_tree(files: dict[str, str], dest: Path, *, force: bool = False, check: Callable[[Path], None] | None = None,
               protect: Iterable[Path] = ()) -> None:
    """Write `files` (relative POSIX path -> text) as the folder `dest`, atomically."""
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
            raise NotebookError(f"{parent}: cannot create the output folder's parent ({exc.strerror or exc})") from None
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        root = staging.resolve()
        for relative, text in sorted(files.items()):
            target = (staging / relative).resolve()
            if root not in target.parents:
                raise NotebookError(f"{relative}: refusing to write outside the output folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        if check is not None:
            check(staging)
        with _sigint_held() as interrupted:
            _swap(staging, dest, backup)
            if interrupted():
                _unswap(staging, dest, backup)
                raise KeyboardInterrupt
        done = True
    except OSError as exc:
        raise NotebookError(f"{dest}: cannot write the output ({exc.strerror or exc})") from None
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


def _swap(staging: Path, dest: Path, backup: Path) -> None:
    """Put `staging` in place of `dest`, carrying over the results of earlier runs; all or nothing."""
    moved: list[str] = []
    had_dest = dest.exists()
    try:
        if had_dest:
            shutil.rmtree(backup, ignore_errors=True)
            os.replace(dest, backup)
            for name in PRESERVED:
                if (backup / name).exists():
                    os.replace(backup / name, staging / name)
                    moved.append(name)
        os.replace(staging, dest)
    except BaseException:
        # Undo in reverse: whatever happened, the destination is left as it was.
        if had_dest and backup.exists() and not dest.exists():
            for name in moved:
                if (staging / name).exists():
                    os.replace(staging / name, backup / name)
            os.replace(backup, dest)
        raise


def _unswap(staging: Path, dest: Path, backup: Path) -> None:
    """Undo a completed `_swap` (Ctrl-C came during it): the old destination comes back."""
    os.replace(dest, staging)
    if backup.exists():
        for name in PRESERVED:
            if (staging / name).exists():
                os.replace(staging / name, backup / name)
        os.replace(backup, dest)
