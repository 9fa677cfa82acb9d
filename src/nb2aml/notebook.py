"""Load a notebook (.ipynb or percent-format .py) into `types.Notebook`.

Magics, shell escapes and help queries are recognised line by line, recorded as `Magic`, and
replaced by `pass` at their indentation so that the Python that is analysed keeps the cell's line
numbers: every position found later maps straight back to the notebook.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
import warnings
from pathlib import Path

from .types import Cell, Magic, Notebook, NotebookError

# Cell magics whose body is still Python; any other `%%name` makes the cell foreign.
PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "mprun", "python", "python3", "ipython"}
)
# Line magics whose argument is a Python statement that must still run: `%time model.fit(X)`.
PYTHON_LINE_MAGICS = frozenset({"time", "timeit", "prun", "memit"})

_MAGIC_START = re.compile(r"^(\s*)(%%|%|!|\?)")
_ASSIGN_MAGIC = re.compile(r"^(\s*)([A-Za-z_][A-Za-z_0-9]*)\s*=\s*(%|!)(.*)$")
_HELP_END = re.compile(r"^(\s*)[A-Za-z_][\w.\[\]()'\"]*\?{1,2}\s*$")
_PIP_INSTALL = re.compile(r"(?:^|\s|[!%])(?:pip3?|conda|mamba)\s+install\s+(.*)$")
_PERCENT_MARKER = re.compile(r"^# %%(?P<rest>.*)$")
_OPTIONS_WITH_VALUE = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-t",
        "--target",
        "-e",
        "--editable",
        "--prefix",
        "--root",
        "-n",
        "--name",
        "-p",
        "--channel",
    }
)


def load_notebook(path: str | Path) -> Notebook:
    """Read a notebook; raise `NotebookError` with one line naming the file on bad input."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotebookError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise NotebookError(f"{path}: is a directory, not a notebook") from None
    except OSError as exc:
        raise NotebookError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    if not text.strip():
        raise NotebookError(f"{path}: the file is empty")
    if path.suffix == ".py":
        return _from_percent(str(path), text)
    return _from_ipynb(str(path), text)


def _from_ipynb(path: str, text: str) -> Notebook:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise NotebookError(f"{path}: not a Jupyter notebook (JSON nested too deeply)") from None
    if not isinstance(data, dict):
        raise NotebookError(
            f"{path}: valid JSON but not a Jupyter notebook (a {_json_kind(data)}, not an object with 'cells')"
        )
    if "nbformat" not in data:
        raise NotebookError(f"{path}: valid JSON but not a Jupyter notebook (no 'nbformat' key)")
    major = data.get("nbformat")
    if major == 3:
        data = _upgrade_v3(path, data)
    elif major != 4:
        raise NotebookError(f"{path}: unsupported nbformat {major!r} (3 and 4 are read)")
    raw_cells = data.get("cells")
    if not isinstance(raw_cells, list):
        raise NotebookError(f"{path}: notebook has no 'cells' list")
    cells = []
    for number, raw in enumerate(raw_cells, start=1):
        if not isinstance(raw, dict):
            raise NotebookError(f"{path}:cell {number}: not a cell object")
        kind = raw.get("cell_type")
        if kind not in ("code", "markdown", "raw"):
            raise NotebookError(f"{path}:cell {number}: unknown cell type {kind!r}")
        source = raw.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(f"{path}:cell {number}: source is not text")
        # Hand-edited files carry odd metadata: what is not the documented shape is ignored.
        metadata = raw.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        tags = metadata.get("tags")
        tags = tags if isinstance(tags, list) else ()
        count = raw.get("execution_count") if kind == "code" else None
        cells.append(
            make_cell(number, kind, source, tuple(str(t) for t in tags), count if isinstance(count, int) else None)
        )
    meta = data.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    language = meta.get("language_info")
    language = language if isinstance(language, dict) else {}
    kernel = meta.get("kernelspec")
    kernel = kernel if isinstance(kernel, dict) else {}
    return Notebook(
        path=path,
        cells=tuple(cells),
        language_version=str(language["version"]) if language.get("version") else None,
        kernel_name=str(kernel["name"]) if kernel.get("name") else None,
        fmt="ipynb",
    )


def _json_kind(data: object) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}.get(
        type(data), "value"
    )


def _upgrade_v3(path: str, data: dict) -> dict:
    import nbformat
    from nbformat.v3.rwbase import rejoin_lines

    try:
        # v3 files store text as lists of lines (`input`, `source`): join them as nbformat's own
        # v3 reader does, or the upgrade fails on every real v3 notebook.
        node = rejoin_lines(nbformat.from_dict(data))
        return nbformat.convert(node, 4)
    except Exception as exc:  # nbformat raises many kinds on malformed v3 input
        # Validation errors span many lines; the report is one line.
        detail = " ".join(str(exc).split())[:200]
        raise NotebookError(
            f"{path}: nbformat 3 notebook could not be upgraded ({type(exc).__name__}: {detail})"
        ) from None


def _from_percent(path: str, text: str) -> Notebook:
    lines = text.splitlines(keepends=True)
    start = _skip_jupytext_header(lines)
    chunks: list[tuple[str, tuple[str, ...], list[str]]] = []
    current: tuple[str, tuple[str, ...], list[str]] | None = None
    for line in lines[start:]:
        marker = _PERCENT_MARKER.match(line.rstrip("\r\n"))
        if marker:
            kind, tags = _parse_marker(marker.group("rest"))
            current = (kind, tags, [])
            chunks.append(current)
            continue
        if current is None:
            if not line.strip():
                continue
            current = ("code", (), [])
            chunks.append(current)
        current[2].append(line)
    cells = []
    for number, (kind, tags, body) in enumerate(chunks, start=1):
        source = "".join(body).strip("\n")
        if kind == "markdown":
            source = "\n".join(re.sub(r"^# ?", "", ln) for ln in source.splitlines())
        else:
            source = _uncomment_magics(source)
        cells.append(make_cell(number, kind, source, tags, None))
    return Notebook(path=path, cells=tuple(cells), fmt="percent")


def _skip_jupytext_header(lines: list[str]) -> int:
    if lines and lines[0].strip() == "# ---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "# ---":
                return i + 1
    return 0


def _parse_marker(rest: str) -> tuple[str, tuple[str, ...]]:
    kind = "markdown" if re.search(r"\[(markdown|md)\]", rest) else "raw" if "[raw]" in rest else "code"
    tags: tuple[str, ...] = ()
    found = re.search(r"tags=(\[.*?\])", rest)
    if found:
        try:
            tags = tuple(str(t) for t in json.loads(found.group(1)))
        except json.JSONDecodeError:
            tags = ()
    return kind, tags


def _uncomment_magics(source: str) -> str:
    # jupytext writes magics as comments in percent scripts: `# %matplotlib inline`.
    return "\n".join(re.sub(r"^(\s*)# ?([%!])", r"\1\2", ln) for ln in source.splitlines())


def make_cell(number: int, kind: str, source: str, tags: tuple[str, ...], count: int | None) -> Cell:
    if kind != "code":
        return Cell(number=number, kind=kind, source=source, tags=tags)
    python, magics, foreign = separate_magics(number, source)
    return Cell(
        number=number,
        kind="code",
        source=source,
        python=python,
        tags=tags,
        execution_count=count,
        magics=magics,
        foreign=foreign,
    )


def separate_magics(cell: int, source: str) -> tuple[str, tuple[Magic, ...], bool]:
    """Return (python, magics, foreign) for one code cell."""
    if not _may_have_magics(source):
        return source, (), False
    lines = source.split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    magics: list[Magic] = []
    if first is not None and lines[first].lstrip().startswith("%%"):
        header = lines[first].strip()
        name = header[2:].split(maxsplit=1)[0] if len(header) > 2 else ""
        magics.append(Magic(cell=cell, line=first + 1, kind="cell_magic", text=header))
        if name not in PYTHON_CELL_MAGICS:
            return "", tuple(magics), True
        lines[first] = "pass"
    out = list(lines)
    i = 0
    quote: str | None = None  # the triple quote of a string still open at the start of line i
    while i < len(lines):
        if magics and magics[0].kind == "cell_magic" and i == magics[0].line - 1:
            i += 1
            continue
        line = lines[i]
        if quote is not None:
            # A line inside a multi-line string is text, even when it starts with `%` or `!`.
            quote = _open_triple_quote(line, quote)
            i += 1
            continue
        span = _continuation_span(lines, i)
        text = " ".join(ln.rstrip("\\").strip() for ln in lines[i : i + span])
        indent = line[: len(line) - len(line.lstrip())]
        assign = _ASSIGN_MAGIC.match(line)
        start = _MAGIC_START.match(line)
        if assign:
            sigil = assign.group(3)
            kind = "shell" if sigil == "!" else "line_magic"
            magics.append(
                Magic(
                    cell=cell,
                    line=i + 1,
                    kind=kind,
                    text=text.strip(),
                    packages=_pip_packages(text),
                    assigns=assign.group(2),
                )
            )
            out[i] = f"{indent}{assign.group(2)} = []"
        elif start and start.group(2) != "%%":
            sigil = start.group(2)
            body = line.lstrip()[1:]
            word = body.split(maxsplit=1)[0] if body.split() else ""
            if sigil == "%" and word in PYTHON_LINE_MAGICS and len(body.split(maxsplit=1)) == 2:
                payload = body.split(maxsplit=1)[1]
                magics.append(Magic(cell=cell, line=i + 1, kind="line_magic", text=text.strip()))
                # Keep the timed statement: it is real work (`%time model.fit(X, y)`).
                out[i] = indent + payload
            else:
                kind = {"!": "shell", "%": "line_magic", "?": "help"}[sigil]
                magics.append(Magic(cell=cell, line=i + 1, kind=kind, text=text.strip(), packages=_pip_packages(text)))
                out[i] = indent + "pass"
        elif _HELP_END.match(line) and not _parses(line.strip()):
            magics.append(Magic(cell=cell, line=i + 1, kind="help", text=line.strip()))
            out[i] = indent + "pass"
        else:
            quote = _open_triple_quote(line, None)
            i += 1
            continue
        for j in range(i + 1, i + span):
            out[j] = ""
        i += span
    python = "\n".join(out)
    if not magics or (not _parses(python) and _parses(source)):
        # A `%` or `!` inside a multi-line string is not a magic.
        return source, (), False
    return python, tuple(magics), False


def _may_have_magics(source: str) -> bool:
    for line in source.split("\n"):
        stripped = line.lstrip()
        if stripped[:1] in ("%", "!", "?") or stripped.rstrip().endswith("?"):
            return True
        if "=" in stripped and re.match(r"^[A-Za-z_]\w*\s*=\s*[!%]", stripped):
            return True
    return False


def _open_triple_quote(line: str, quote: str | None) -> str | None:
    """The triple quote left open at the end of a Python line, given the one open at its start."""
    i = 0
    while i < len(line):
        ch = line[i]
        if quote is not None:
            if ch == "\\":
                i += 2
            elif line.startswith(quote, i):
                i += len(quote)
                quote = None
            else:
                i += 1
        elif ch == "#":
            break
        elif ch in "'\"":
            quote = line[i : i + 3] if line[i : i + 3] in ('"""', "'''") else ch
            i += len(quote)
        else:
            i += 1
    # A one-quote string cannot continue on the next line (bar a backslash continuation).
    return quote if quote is not None and len(quote) == 3 else None


def _continuation_span(lines: list[str], i: int) -> int:
    span = 1
    while i + span - 1 < len(lines) - 1 and lines[i + span - 1].rstrip().endswith("\\"):
        span += 1
    return span


def _parses(code: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning about the notebook's code: not ours to print
            ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def _pip_packages(text: str) -> tuple[str, ...]:
    found = _PIP_INSTALL.search(text)
    if not found:
        return ()
    try:
        words = shlex.split(found.group(1))
    except ValueError:
        words = found.group(1).split()
    packages = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in _OPTIONS_WITH_VALUE
            continue
        if word.startswith("{") or word.startswith("$"):
            continue
        packages.append(word)
    return tuple(packages)
