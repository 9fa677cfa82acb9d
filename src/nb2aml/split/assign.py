"""Which cells make which component: `--cells`, cell tags / marker comments, or headings."""

from __future__ import annotations

import ast
import re
import sys
import unicodedata
import warnings
from dataclasses import dataclass
from typing import Literal

from ..types import Notebook, NotebookError

_MARKER_COMMENT = re.compile(r"^\s*#\s*nb2aml:\s*component\s+(?P<name>\S.*?)\s*$")
_TAG = re.compile(r"^(?:component|step|block):(?P<name>.+)$")
_RANGE = re.compile(r"^\s*(?P<name>[^=]+?)\s*=\s*(?P<start>\d+)\s*(?:-\s*(?P<end>\d+))?\s*$")
_TYPED_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
MAX_NAME = 64

# Each component becomes `src/NAME.py`, run as `python NAME.py` with src/ first on sys.path: a
# component named like a module it (or a library it loads) imports would shadow that module.
_COMMON_MODULES = frozenset(
    {
        "nb2aml",
        "nb2aml_handoff",
        "mlflow",
        "azureml",
        "azure",
        "numpy",
        "pandas",
        "sklearn",
        "scipy",
        "matplotlib",
        "seaborn",
        "plotly",
        "pyarrow",
        "joblib",
        "threadpoolctl",
        "yaml",
        "requests",
        "urllib3",
        "certifi",
        "idna",
        "charset_normalizer",
        "six",
        "dateutil",
        "pytz",
        "tzdata",
        "packaging",
        "click",
        "cloudpickle",
        "jinja2",
        "markupsafe",
        "flask",
        "werkzeug",
        "itsdangerous",
        "blinker",
        "sqlalchemy",
        "alembic",
        "sqlparse",
        "google",
        "protobuf",
        "git",
        "gitdb",
        "smmap",
        "docker",
        "entrypoints",
        "importlib_metadata",
        "zipp",
        "typing_extensions",
        "attr",
        "attrs",
        "opentelemetry",
        "cachetools",
        "pydantic",
        "fsspec",
        "psutil",
        "wrapt",
        "deprecated",
        "tqdm",
        "xgboost",
        "lightgbm",
        "catboost",
        "torch",
        "tensorflow",
        "keras",
        "statsmodels",
        "markdown",
        "graphene",
        "gunicorn",
        "querystring_parser",
        "databricks",
    }
)
RESERVED_MODULES = frozenset(sys.stdlib_module_names) | _COMMON_MODULES


@dataclass(frozen=True)
class Assignment:
    order: tuple[str, ...]  # component names, in pipeline order
    cells: dict  # cell number -> component name (cells absent are skipped)
    source: str  # "--cells", "markers", "headings"


def component_name(
    raw: str, where: str, *, typed: bool = False, reserved: frozenset[str] = frozenset(), fallback: str | None = None
) -> str:
    """A valid, lower-case Azure ML component name; refuse names that look like paths.

    `typed`: the user typed the name on the command line (`--cells`), so it is used as written
    (lower-cased, `-` as `_`) or refused; otherwise (markers, headings) it is made valid.
    `reserved`: module names a component must not take (see `RESERVED_MODULES`).
    `fallback`: the name to use when nothing of `raw` is left once accents are dropped and other
    characters become `_` (a Japanese heading); without it such a name is refused.
    """
    text = raw.strip()
    if not text or "/" in text or "\\" in text or ".." in text or text.startswith("."):
        raise NotebookError(f"{where}: component name {raw!r} is not allowed (no '/', '\\\\', '..' or leading '.')")
    if typed and not _TYPED_NAME.match(text):
        raise NotebookError(
            f"{where}: component name {raw!r} is not allowed: use letters, digits, '_' and '-', starting with a letter"
        )
    if typed and len(text) > MAX_NAME:
        raise NotebookError(f"{where}: component name {raw!r} is longer than {MAX_NAME} characters")
    # `Données` -> `donnees`: decomposed accents are dropped rather than turned into `_`.
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^a-z0-9_]+", "_", ascii_text.lower()).strip("_")
    if not name and fallback is not None:
        name = fallback
    if not name:
        raise NotebookError(f"{where}: component name {raw!r} has no letters or digits")
    if not name[0].isalpha():
        name = "step_" + name
    name = name[:MAX_NAME].rstrip("_")
    if name in reserved:
        raise NotebookError(
            f"{where}: component name {raw!r} would shadow the Python module {name!r} "
            f"(the component's script is src/{name}.py): choose another name, e.g. {name}_step"
        )
    return name


def reserved_names(notebook: Notebook) -> frozenset[str]:
    """Module names no component may take: the standard library, common libraries, and what the notebook imports."""
    imported = set()
    for cell in notebook.code_cells:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(cell.python)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    return RESERVED_MODULES | {name.lower() for name in imported}


def from_cells_option(notebook: Notebook, specs: tuple[str, ...]) -> Assignment:
    where = f"{notebook.path}: --cells"
    reserved = reserved_names(notebook)
    ranges: list[tuple[str, int, int | None]] = []
    for spec in specs:
        for part in spec.split(","):
            if not part.strip():
                continue
            match = _RANGE.match(part)
            if not match:
                raise NotebookError(f"{where}: {part.strip()!r} is not NAME=START or NAME=START-END")
            start = int(match.group("start"))
            end = int(match.group("end")) if match.group("end") else None
            if end is not None and end < start:
                raise NotebookError(f"{where}: {part.strip()!r} ends before it starts")
            ranges.append((component_name(match.group("name"), where, typed=True, reserved=reserved), start, end))
    if not ranges:
        raise NotebookError(f"{where}: no component given")
    count = len(notebook.cells)
    names = [r[0] for r in ranges]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise NotebookError(f"{where}: component {duplicates[0]!r} is named twice")
    for name, start, end in ranges:
        for number in (start, end):
            if number is not None and not 1 <= number <= count:
                raise NotebookError(
                    f"{where}: cell {number} of {name!r} is out of range (the notebook has cells 1-{count})"
                )
    ranges.sort(key=lambda r: r[1])
    for (name_a, start_a, end_a), (name_b, start_b, _) in zip(ranges, ranges[1:], strict=False):
        if end_a is not None and end_a >= start_b:
            raise NotebookError(f"{where}: {name_a!r} ({start_a}-{end_a}) overlaps {name_b!r} (starts at {start_b})")
    cells = {}
    for index, (name, start, _end) in enumerate(ranges):
        stop = ranges[index + 1][1] if index + 1 < len(ranges) else count + 1
        first = 1 if index == 0 else start
        for number in range(first, stop):
            cells[number] = name
    return _checked(notebook, Assignment(order=tuple(r[0] for r in ranges), cells=cells, source="--cells"), where)


def from_markers(notebook: Notebook) -> Assignment | None:
    where = f"{notebook.path}"
    reserved = reserved_names(notebook)
    order: list[str] = []
    cells: dict[int, str] = {}
    current: str | None = None
    pending: list[int] = []
    for cell in notebook.cells:
        name = _marker(cell, f"{where}:cell {cell.number}", reserved)
        if "skip" in cell.tags:
            continue
        if name is not None:
            if name in order and name != current:
                raise NotebookError(f"{where}:cell {cell.number}: component {name!r} is marked twice, apart")
            if name not in order:
                order.append(name)
            current = name
            for number in pending:
                cells[number] = name
            pending = []
        if current is None:
            pending.append(cell.number)
        else:
            cells[cell.number] = current
    if not order:
        return None
    return _checked(notebook, Assignment(order=tuple(order), cells=cells, source="markers"), where)


def _marker(cell, where: str, reserved: frozenset[str]) -> str | None:
    for tag in cell.tags:
        match = _TAG.match(tag)
        if match:
            return component_name(match.group("name"), where, reserved=reserved)
    if cell.kind == "code":
        first = cell.source.lstrip("\n").split("\n", 1)[0]
        match = _MARKER_COMMENT.match(first)
        if match:
            return component_name(match.group("name"), where, reserved=reserved)
    return None


def from_headings(notebook: Notebook, level: int = 2) -> Assignment:
    where = f"{notebook.path}: --split-on headings"
    reserved = reserved_names(notebook)
    order: list[str] = []
    cells: dict[int, str] = {}
    current: str | None = None
    pending: list[int] = []
    for cell in notebook.cells:
        if cell.kind == "markdown":
            for line in cell.source.split("\n"):
                match = re.match(r"^(#{1,6})\s+(.*)$", line.strip())
                if match and len(match.group(1)) <= level:
                    name = component_name(match.group(2), where, fallback=f"step_{len(order) + 1}")
                    if name in reserved:  # a heading is prose, not a chosen name: `## Tokenize` -> tokenize_step
                        name = f"{name[: MAX_NAME - 5]}_step"
                    base, n = name, 2
                    while name in order:
                        name, n = f"{base}_{n}", n + 1
                    order.append(name)
                    current = name
                    for number in pending:
                        cells[number] = current
                    pending = []
                    break
        if current is None:
            pending.append(cell.number)
        else:
            cells[cell.number] = current
    if not order:
        raise NotebookError(f"{where}: the notebook has no heading of level {level} or less")
    return Assignment(order=tuple(order), cells=cells, source="headings")


def assignment_for(
    notebook: Notebook,
    *,
    cells: tuple[str, ...] = (),
    split_on: Literal["markers", "headings"] | None = None,
    heading_level: int = 2,
) -> Assignment:
    """`split`'s choice: `--cells` when given, headings when asked, else the notebook's markers (which it must have)."""
    if cells:
        return from_cells_option(notebook, cells)
    if split_on == "headings":
        return from_headings(notebook, heading_level)
    assignment = from_markers(notebook)
    if assignment is None:
        raise NotebookError(
            f"{notebook.path}: no component markers: give --cells NAME=START,... or --split-on headings"
        )
    return assignment


def _checked(notebook: Notebook, assignment: Assignment, where: str) -> Assignment:
    code_cells = {c.number for c in notebook.cells if c.kind == "code"}
    for name in assignment.order:
        if not any(assignment.cells.get(n) == name for n in code_cells):
            raise NotebookError(f"{where}: component {name!r} has no code cell")
    return assignment
