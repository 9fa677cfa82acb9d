"""Magics keep their meaning: what each IPython magic and shell escape did to the notebook's world.

`%%writefile helper.py` writes code the notebook imports, `%run helper2.py` defines names,
`%cd data` moves where later relative paths resolve, `!wget URL` makes a file later cells read.
Each magic is classified here; the job carries its effect (a shipped file, an import, a path
prefix, an input) or a finding says why it does not need it, or that convert cannot carry it.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, replace
from typing import Literal

from ..types import Cell, Magic, Notebook

MagicKind = Literal[
    "display", "install", "timing", "writefile", "run", "cd", "download", "shell_files", "harmless", "unknown"
]

# Line magics whose effect stays inside the notebook's front end: the job needs none of them.
_DISPLAY = frozenset(
    {
        "matplotlib",
        "config",
        "load_ext",
        "reload_ext",
        "autoreload",
        "aimport",
        "pylab",
        "precision",
        "pprint",
        "colors",
        "xmode",
        "notebook",
        "qtconsole",
        "javascript",
        "html",
        "latex",
        "markdown",
        "svg",
    }
)
_TIMING = frozenset({"time", "timeit", "prun", "memit", "mprun", "lprun", "debug", "pdb", "tb"})
_HARMLESS = frozenset(
    {
        "who",
        "whos",
        "who_ls",
        "pwd",
        "ls",
        "ll",
        "lsmagic",
        "history",
        "hist",
        "env",
        "pinfo",
        "pinfo2",
        "psearch",
        "page",
        "pdoc",
        "pdef",
        "psource",
        "pfile",
        "dhist",
        "dirs",
        "reset",
        "clear",
        "cat",
        "less",
        "more",
        "head",
        "tail",
        "echo",
        "nvidia-smi",
        "watermark",
        "version_information",
        "sx",
        "system",
    }
)
_INSTALL = frozenset({"pip", "conda", "mamba", "uv"})
# Shell commands that create or change files a later cell may read.
_FILE_COMMANDS = frozenset(
    {
        "cp",
        "mv",
        "unzip",
        "tar",
        "gunzip",
        "gzip",
        "mkdir",
        "rm",
        "ln",
        "kaggle",
        "gdown",
        "git",
        "7z",
        "rsync",
        "touch",
        "python",
        "python3",
        "sh",
        "bash",
        "make",
        "aws",
        "gsutil",
        "azcopy",
        "az",
        "hdfs",
        "scp",
        "dvc",
    }
)
_READ_ONLY_COMMANDS = frozenset(
    {
        "ls",
        "cat",
        "head",
        "tail",
        "wc",
        "pwd",
        "echo",
        "nvidia-smi",
        "du",
        "df",
        "free",
        "which",
        "find",
        "grep",
        "file",
        "tree",
        "uname",
        "whoami",
        "date",
        "nproc",
        "lscpu",
        "top",
        "ps",
        "hostname",
    }
)
_WRITEFILE = re.compile(r"^%%\s*(?:writefile|file)\b(.*)$")


@dataclass(frozen=True)
class MagicEffect:
    magic: Magic
    kind: MagicKind
    what: str  # one phrase: what it did in the notebook
    target: str | None = None  # writefile / run: the file; cd: the folder; download: the file it makes
    url: str | None = None  # download: the URL


@dataclass(frozen=True)
class WrittenFile:
    cell: int
    name: str
    text: str
    append: bool


def writefile_cells(notebook: Notebook) -> tuple[WrittenFile, ...]:
    """`%%writefile [-a] NAME` cells: the file each one writes, with the cell's body as its text."""
    found = []
    for cell in notebook.code_cells:
        header, body = _split_cell_magic(cell)
        if header is None:
            continue
        match = _WRITEFILE.match(header)
        if match is None:
            continue
        words = _words(match.group(1))
        append = "-a" in words or "--append" in words
        names = [w for w in words if not w.startswith("-")]
        if names:
            found.append(WrittenFile(cell.number, posixpath.normpath(names[0]), body, append))
    return tuple(found)


def written_code_files(notebook: Notebook) -> dict[str, str]:
    """name -> final text of every `.py` file a `%%writefile` cell writes (appends joined)."""
    files: dict[str, str] = {}
    for written in writefile_cells(notebook):
        if not written.name.endswith(".py"):
            continue
        files[written.name] = (files.get(written.name, "") if written.append else "") + written.text
    return files


def _split_cell_magic(cell: Cell) -> tuple[str | None, str]:
    lines = cell.source.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].lstrip().startswith("%%"):
        return None, ""
    body = "\n".join(lines[first + 1 :])
    return lines[first].strip(), body if body.endswith("\n") else body + "\n"


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def classify(magic: Magic) -> MagicEffect:
    text = magic.text.strip()
    if magic.kind == "help":
        return MagicEffect(magic, "harmless", "showed help")
    if magic.kind == "cell_magic":
        match = _WRITEFILE.match(text)
        if match:
            names = [w for w in _words(match.group(1)) if not w.startswith("-")]
            return MagicEffect(
                magic, "writefile", f"wrote the file {names[0] if names else '?'}", target=names[0] if names else None
            )
        name = text[2:].split(maxsplit=1)[0] if len(text) > 2 else ""
        if name in _TIMING or name in ("capture",):
            return MagicEffect(magic, "timing", f"timed or captured the cell (`%%{name}`)")
        if name in ("bash", "sh", "script", "system"):
            return MagicEffect(magic, "shell_files", f"ran a `%%{name}` shell cell")
        return MagicEffect(magic, "display", f"a `%%{name}` cell the job does not run")
    body = text.split("=", 1)[1].strip() if magic.assigns and "=" in text else text
    sigil, rest = body[:1], body[1:].lstrip("%").strip()
    words = _words(rest)
    command = words[0] if words else ""
    if sigil == "%" and command not in ("sx", "system"):
        if command in _INSTALL:
            return MagicEffect(magic, "install", "installed packages (they join the requirements)")
        if command in _DISPLAY:
            return MagicEffect(magic, "display", f"configured the notebook's display or reloading (`%{command}`)")
        if command in _TIMING:
            return MagicEffect(magic, "timing", f"timed or debugged code (`%{command}`)")
        if command in _HARMLESS:
            return MagicEffect(magic, "harmless", f"showed information (`%{command}`)")
        if command == "run":
            args = [w for w in words[1:] if not w.startswith("-")]
            return MagicEffect(
                magic, "run", f"ran {args[0] if args else '?'} in the notebook", target=args[0] if args else None
            )
        if command == "cd":
            return MagicEffect(magic, "cd", "changed the working folder", target=" ".join(words[1:]) or None)
        if command in ("store", "bookmark", "load", "save", "writefile", "mkdir", "cp", "mv", "rm"):
            return MagicEffect(magic, "shell_files", f"changed files (`%{command}`)")
        return MagicEffect(magic, "unknown", f"ran `%{command}`")
    # A shell escape (`!cmd`), or `%sx` / `%system`.
    shell_words = words[1:] if sigil == "%" else _words(body[1:].strip())
    head = shell_words[0] if shell_words else ""
    if head in _INSTALL or (head in ("python", "python3") and shell_words[1:3] == ["-m", "pip"]):
        return MagicEffect(magic, "install", "installed packages (they join the requirements)")
    download = _download(shell_words)
    if download is not None:
        url, target = download
        return MagicEffect(magic, "download", f"downloaded {url}", target=target, url=url)
    if head == "cd":
        return MagicEffect(magic, "harmless", "changed folder in a subshell only (`!cd` does not move the notebook)")
    if head in _READ_ONLY_COMMANDS and not any(w in (">", ">>") or w.startswith(">") for w in shell_words):
        return MagicEffect(magic, "harmless", f"showed information (`!{head}`)")
    if head in _FILE_COMMANDS or any(w in (">", ">>") for w in shell_words) or head in ("wget", "curl"):
        return MagicEffect(
            magic, "shell_files", f"ran `!{' '.join(shell_words)[:60]}`, which may make files later cells read"
        )
    return MagicEffect(magic, "unknown", f"ran the shell command `!{' '.join(shell_words)[:60]}`")


def _download(words: list[str]) -> tuple[str, str] | None:
    """`wget URL [-O name]` / `curl -O URL` / `curl URL -o name` -> (URL, file it makes)."""
    if not words or words[0] not in ("wget", "curl"):
        return None
    urls = [w for w in words[1:] if re.match(r"^(https?|ftp)://", w)]
    if len(urls) != 1:
        return None
    url = urls[0]
    target = None
    for flag in ("-O", "--output-document") if words[0] == "wget" else ("-o", "--output"):
        if flag in words and words.index(flag) + 1 < len(words):
            target = words[words.index(flag) + 1]
    if (
        words[0] == "curl"
        and target is None
        and not (
            {"-O", "--remote-name"} & set(words)
            or any(w.startswith("-") and "O" in w[1:] and not w.startswith("--") for w in words)
        )
    ):
        return None  # curl without -O / -o writes to stdout: no file
    if target is None:
        target = posixpath.basename(url.split("?", 1)[0]) or None
    return (url, target) if target else None


def magic_effects(notebook: Notebook) -> tuple[MagicEffect, ...]:
    return tuple(classify(m) for cell in notebook.code_cells for m in cell.magics)


def cd_folders(notebook: Notebook) -> tuple[tuple[int, int, str | None], ...]:
    """(cell, line, current folder relative to the notebook's, None when unknown) after each `%cd`."""
    current: str | None = "."
    found = []
    for effect in magic_effects(notebook):
        if effect.kind != "cd":
            continue
        target = effect.target
        if target is None or target.startswith(("/", "~", "-", "$")) or current is None:
            current = None
        else:
            current = posixpath.normpath(posixpath.join(current, target.strip("'\"")))
        found.append((effect.magic.cell, effect.magic.line, current))
    return tuple(found)


def folder_at(cd: tuple[tuple[int, int, str | None], ...], cell: int, line: int) -> str | None:
    """The working folder (relative to the notebook's) at a place of the notebook."""
    folder: str | None = "."
    for cd_cell, cd_line, current in cd:
        if (cd_cell, cd_line) < (cell, line):
            folder = current
    return folder


def with_run_imports(notebook: Notebook, defined: dict[str, tuple[str, ...]]) -> Notebook:
    """`%run helper2.py` becomes `from helper2 import a, b` in the analysed Python, so that the names
    it defines are defined, the module is shipped like a local one, and the job imports it.

    `defined` maps a file name to the public names it defines; a file not in it stays a magic.
    """
    cells = []
    changed = False
    for cell in notebook.cells:
        runs = [classify(m) for m in cell.magics if m.kind == "line_magic"]
        runs = [r for r in runs if r.kind == "run" and r.target and r.target.endswith(".py") and r.target in defined]
        if not runs or cell.foreign:
            cells.append(cell)
            continue
        lines = cell.python.split("\n")
        for effect in runs:
            target = effect.target
            if target is None:  # never: `runs` keeps only targets in `defined`; this narrows the type
                continue
            module = posixpath.splitext(posixpath.normpath(target))[0]
            names = defined[target]
            index = effect.magic.line - 1
            if "/" in module or not module.isidentifier() or not names or lines[index].strip() != "pass":
                continue
            indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
            lines[index] = f"{indent}from {module} import {', '.join(names)}"
            changed = True
        cells.append(replace(cell, python="\n".join(lines)))
    return replace(notebook, cells=tuple(cells)) if changed else notebook


def runnable_python(cell: Cell) -> str:
    """A cell's Python for running the notebook itself here (`verify`'s baseline): a `%%writefile`
    cell writes its file, `%cd` moves the working folder, as they did in the notebook."""
    if cell.foreign:
        header, body = _split_cell_magic(cell)
        match = _WRITEFILE.match(header or "")
        if match is None:
            return ""
        words = _words(match.group(1))
        names = [w for w in words if not w.startswith("-")]
        if not names:
            return ""
        mode = "a" if "-a" in words or "--append" in words else "w"
        return (
            f"with open({names[0]!r}, {mode!r}, encoding='utf-8') as __nb2aml_file__:\n"
            f"    __nb2aml_file__.write({body!r})\n"
        )
    lines = cell.python.split("\n")
    for magic in cell.magics:
        effect = classify(magic)
        index = magic.line - 1
        if effect.kind == "cd" and effect.target and index < len(lines) and lines[index].strip() == "pass":
            indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
            lines[index] = f"{indent}__import__('os').chdir({effect.target.strip(chr(39) + chr(34))!r})"
    return "\n".join(lines)
