"""Shell escapes that make the files later cells read, as the pure-Python step the job runs.

`!cp a.csv b.csv`, `!mv`, `!mkdir -p d`, `!unzip data.zip -d data`, `!tar xzf data.tgz -C data` and
`!gunzip x.csv.gz` become, on the magic's own line, the `shutil` / `os` / `gzip` call that does the
same (pure Python: it runs on any image, with no `unzip` or `tar` installed). The analysis then reads
them as any Python: what they read is an input, what they write is a file later reads see (an
output of the job, an edge of a pipeline), and the slice keeps them when kept code needs their files.

`!mv` is lowered as a copy: in a job its source is an input, mounted read-only; the notebook could
not read the source after moving it, so no kept read tells the two apart.

Everything else (variables `{x}` / `$x`, pipes, globs, `&&`, flags whose effect is not modelled,
an archive extracted into the working folder that is not here to list) stays an NB802 error,
with the reason `lower` gives.
"""

from __future__ import annotations

import posixpath
import shlex
import tarfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..types import Magic, Notebook

SHELL_STEP_MODULES = frozenset({"os", "shutil", "gzip"})
_SHELL_SYNTAX = ("|", "&", ";", ">", "<", "$", "{", "}", "*", "?", "[", "`", "~")
_QUIET_FLAGS = frozenset({"-v", "--verbose", "-f", "--force"})


@dataclass(frozen=True)
class Lowered:
    """What one shell command does, in Python: statements, the modules they need, what they make whole."""

    statements: tuple[str, ...]
    modules: tuple[str, ...]
    # Folders (and top-level entries of an archive) written wholesale: a later read below one of them
    # reads what the step made.
    whole: tuple[str, ...] = ()
    made: tuple[str, ...] = ()  # folders it creates: a later copy into one copies into the folder


@dataclass(frozen=True)
class ShellStep:
    cell: int
    line: int
    magic: str  # as written: `!unzip data.zip -d data`
    python: str  # the line that replaces the magic, indentation included
    modules: tuple[str, ...]
    import_cols: tuple[int, ...]  # 1-based columns of the inline imports on that line
    call_col: int  # 1-based column of the first statement after the imports
    summary: str  # the statements, for the README
    whole: tuple[str, ...] = ()


def _words(text: str) -> list[str] | None:
    try:
        return shlex.split(text)
    except ValueError:
        return None


def lower(command: str, folder: Path, made: frozenset[str] = frozenset()) -> Lowered | str:
    """The Python equivalent of one shell command (without its `!`), or why there is none.

    `folder`: where the notebook ran the command (to tell files from folders, to list an archive);
    `made`: folders earlier steps created (`!mkdir -p d` then `!cp a.csv d`).
    """
    if any(mark in command for mark in _SHELL_SYNTAX):
        return "it uses shell syntax (variables, pipes, globs, redirection) nb2aml cannot follow"
    words = _words(command)
    if not words:
        return "it cannot be parsed"
    head, rest = words[0], words[1:]
    if head in ("cp", "mv"):
        return _copy(head, rest, folder, made)
    if head == "mkdir":
        flags, names = _split_flags(rest)
        if flags - {"-p", "--parents"} - _QUIET_FLAGS or not names:
            return f"`mkdir {' '.join(rest)}`: only `mkdir [-p] FOLDER...` is modelled"
        folders = tuple(_norm(n).rstrip("/") or "." for n in names)
        return Lowered(tuple(f"os.makedirs({f!r}, exist_ok=True)" for f in folders), ("os",), made=folders)
    if head == "unzip":
        return _unzip(rest, folder)
    if head == "tar":
        return _untar(rest, folder)
    if head in ("gunzip", "gzip"):
        flags, names = _split_flags(rest)
        allowed = (
            {"-k", "--keep", "-q", "--quiet"} | _QUIET_FLAGS | ({"-d", "--decompress"} if head == "gzip" else set())
        )
        if head == "gzip" and not flags & {"-d", "--decompress"}:
            return "`gzip` compresses: only decompressing (`gunzip`, `gzip -d`) is modelled"
        if flags - allowed or not names or not all(n.endswith(".gz") for n in names):
            return f"`{head} {' '.join(rest)}`: only `{head} FILE.gz...` is modelled"
        return Lowered(
            tuple(f"shutil.copyfileobj(gzip.open({_norm(n)!r}), open({_norm(n)[:-3]!r}, 'wb'))" for n in names),
            ("gzip", "shutil"),
        )
    return f"`{head}` is not a command nb2aml models"


def _norm(path: str) -> str:
    return posixpath.normpath(path) + ("/" if path.endswith("/") and path.strip("/") else "")


def _split_flags(words: list[str]) -> tuple[set[str], list[str]]:
    flags = {w for w in words if w.startswith("-")}
    return flags, [w for w in words if not w.startswith("-")]


def _is_dir(folder: Path, path: str, made: frozenset[str]) -> bool:
    return path.endswith("/") or posixpath.normpath(path) in made or (folder / path).is_dir()


def _copy(head: str, rest: list[str], folder: Path, made: frozenset[str]) -> Lowered | str:
    flags, names = _split_flags(rest)
    recursive_flags = {"-r", "-R", "--recursive", "-a", "--archive", "-rf", "-fr", "-Rf", "-av"}
    allowed = _QUIET_FLAGS | {"-p", "-n"} | (recursive_flags if head == "cp" else set())
    if flags - allowed or len(names) < 2:
        return f"`{head} {' '.join(rest)}`: only `{head} [-r] SOURCE... DESTINATION` is modelled"
    sources, target = names[:-1], names[-1]
    into = len(sources) > 1 or _is_dir(folder, target, made)
    statements = []
    whole = []
    for source in sources:
        destination = posixpath.join(target, posixpath.basename(source.rstrip("/"))) if into else target
        destination = _norm(destination).rstrip("/")
        # Not here to look at: `-r` says it is a folder (a file copies as one too, but a folder is what it is for).
        source_is_dir = (
            source.endswith("/")
            or (folder / source).is_dir()
            or (bool(flags & recursive_flags) and not (folder / source).is_file())
        )
        if source_is_dir and head == "cp" and not flags & recursive_flags:
            return f"`cp {' '.join(rest)}`: {source} is a folder and `-r` is not given (cp itself fails)"
        if source_is_dir:
            statements.append(f"shutil.copytree({_norm(source).rstrip('/')!r}, {destination!r}, dirs_exist_ok=True)")
            whole.append(destination)
        else:
            statements.append(f"shutil.copyfile({_norm(source)!r}, {destination!r})")
    return Lowered(tuple(statements), ("shutil",), tuple(whole))


def _unpacked(archive: str, target: str | None, folder: Path, members: list[str] | None) -> Lowered | str:
    if target is None:
        # Into the working folder: what it holds is listed from the archive here, so that later reads of
        # those entries (and only those) read what the step made.
        if members is None:
            return f"it extracts {archive} into the working folder and {archive} is not here to list; add -d FOLDER"
        tops = sorted({m.lstrip("./").split("/", 1)[0] for m in members if m.lstrip("./")})
        if not tops:
            return f"{archive} is empty"
        return Lowered((f"shutil.unpack_archive({_norm(archive)!r}, '.')",), ("shutil",), tuple(tops))
    destination = _norm(target).rstrip("/") or "."
    if destination == ".":
        return _unpacked(archive, None, folder, members)
    # What the archive holds, when it is here to list: a file already in the folder stays the notebook's.
    tops = sorted({m.lstrip("./").split("/", 1)[0] for m in members or () if m.lstrip("./")})
    whole = tuple(posixpath.join(destination, t) for t in tops) if tops else (destination,)
    return Lowered((f"shutil.unpack_archive({_norm(archive)!r}, {destination!r})",), ("shutil",), whole)


def _unzip(rest: list[str], folder: Path) -> Lowered | str:
    words = list(rest)
    target = None
    if "-d" in words:
        index = words.index("-d")
        if index + 1 >= len(words):
            return "`unzip -d` names no folder"
        target = words[index + 1]
        del words[index : index + 2]
    flags, names = _split_flags(words)
    if flags - {"-q", "-qq", "-o", "-n", "-oq", "-qo"} or len(names) != 1 or not names[0].endswith(".zip"):
        return f"`unzip {' '.join(rest)}`: only `unzip [-q] [-o] ARCHIVE.zip [-d FOLDER]` is modelled"
    archive = names[0]
    try:
        with zipfile.ZipFile(folder / archive) as opened:
            members: list[str] | None = opened.namelist()
    except (OSError, zipfile.BadZipFile):
        members = None
    return _unpacked(archive, target, folder, members)


def _untar(rest: list[str], folder: Path) -> Lowered | str:
    words = list(rest)
    target = None
    for flag in ("-C", "--directory"):
        if flag in words:
            index = words.index(flag)
            if index + 1 >= len(words):
                return f"`tar {flag}` names no folder"
            target = words[index + 1]
            del words[index : index + 2]
    if not words:
        return "`tar` without arguments"
    cluster = words[0].lstrip("-")
    if not set(cluster) <= set("xzjJvf") or "x" not in cluster or "f" not in cluster or len(words) != 2:
        return f"`tar {' '.join(rest)}`: only extracting (`tar xf ARCHIVE [-C FOLDER]`) is modelled"
    archive = words[1]
    try:
        with tarfile.open(folder / archive) as opened:
            members: list[str] | None = opened.getnames()
    except (OSError, tarfile.TarError):
        members = None
    return _unpacked(archive, target, folder, members)


def _command(magic: Magic) -> str | None:
    """The shell command of a `!cmd` line escape (not `x = !cmd`, not `%%bash`)."""
    text = magic.text.strip()
    if magic.kind != "shell" or magic.assigns or not text.startswith("!") or text.startswith("!!"):
        return None
    return text[1:].strip()


def shell_steps(notebook: Notebook) -> tuple[ShellStep, ...]:
    """Every shell escape the job can run as Python, in notebook order."""
    return tuple(s for s in _lowered(notebook) if isinstance(s, ShellStep))


def unmodelled(notebook: Notebook) -> dict[tuple[int, int], str]:
    """(cell, line) -> why a shell escape that changes files cannot become a step."""
    return {(cell, line): why for cell, line, why in (s for s in _lowered(notebook) if isinstance(s, tuple))}


def _lowered(notebook: Notebook) -> list[ShellStep | tuple[int, int, str]]:
    from .magics import cd_folders, classify, folder_at

    base = Path(notebook.path).resolve().parent
    cd = cd_folders(notebook)
    made: set[str] = set()
    found: list[ShellStep | tuple[int, int, str]] = []
    for cell in notebook.code_cells:
        if cell.foreign:
            continue
        lines = cell.python.split("\n")
        for magic in cell.magics:
            command = _command(magic)
            if command is None or classify(magic).kind != "shell_files":
                continue
            where = folder_at(cd, magic.cell, magic.line) if cd else "."
            index = magic.line - 1
            if where is None:
                found.append((magic.cell, magic.line, "it runs in a folder an earlier `%cd` made nb2aml lose"))
                continue
            lowered = lower(command, base / where, frozenset(made))
            if isinstance(lowered, str):
                found.append((magic.cell, magic.line, lowered))
                continue
            made |= set(lowered.made)
            body = "; ".join(lowered.statements)
            imports = [f"import {m}; " for m in lowered.modules]
            # `pass` until `with_shell_steps` puts the step there; the step itself after.
            if index >= len(lines) or lines[index].strip() not in ("pass", "".join(imports) + body):
                found.append((magic.cell, magic.line, "it is not on a line of its own"))
                continue
            indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
            cols = []
            col = len(indent) + 1
            for text in imports:
                cols.append(col)
                col += len(text)
            whole = tuple(posixpath.normpath(posixpath.join(where, w)) for w in lowered.whole)
            found.append(
                ShellStep(
                    magic.cell,
                    magic.line,
                    magic.text.strip(),
                    indent + "".join(imports) + body,
                    lowered.modules,
                    tuple(cols),
                    col,
                    body,
                    whole,
                )
            )
    return found


def with_shell_steps(notebook: Notebook) -> Notebook:
    """The notebook with each shell step's Python on its magic's line (`pass` until now)."""
    steps = shell_steps(notebook)
    if not steps:
        return notebook
    by_cell: dict[int, list[ShellStep]] = {}
    for step in steps:
        by_cell.setdefault(step.cell, []).append(step)
    cells = []
    for cell in notebook.cells:
        if cell.number not in by_cell:
            cells.append(cell)
            continue
        lines = cell.python.split("\n")
        for step in by_cell[cell.number]:
            lines[step.line - 1] = step.python
        cells.append(replace(cell, python="\n".join(lines)))
    return replace(notebook, cells=tuple(cells))
