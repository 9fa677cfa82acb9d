"""Local code travels: the notebook's own modules and packages, shipped into the job's `src/`.

A module is local when Python would import it from the notebook's folder, from a folder the
notebook adds to `sys.path` (`sys.path.append('..')`), or from a file a `%%writefile` cell writes.
Only what the job imports is shipped, with what those files import in turn; the third-party
modules they import join the requirements.
"""

from __future__ import annotations

import ast
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..types import Notebook, NotebookError
from .magics import written_code_files

_PATH_CALLS = frozenset({"abspath", "normpath", "realpath", "join", "Path", "str", "resolve", "absolute", "expanduser"})


@dataclass(frozen=True)
class LocalCode:
    """What to ship: files (path inside `src/` -> text), and what they import from elsewhere."""

    files: tuple[tuple[str, str], ...]
    modules: tuple[str, ...]  # top-level local module names (never requirements)
    imports: tuple[str, ...]  # modules the shipped files import that are not local (for requirements)


@dataclass(frozen=True)
class _Source:
    relative: str  # where it goes inside src/
    text: str


def search_roots(notebook: Notebook) -> tuple[Path, ...]:
    """The notebook's folder, then every folder a cell adds to `sys.path` with a literal path."""
    folder = Path(notebook.path).resolve().parent
    roots = [folder]
    names: dict[str, str] = {}  # variables holding a literal path: `PARENT_DIR = os.path.abspath('..')`
    for cell in notebook.code_cells:
        if "sys.path" not in cell.python and "=" not in cell.python:
            continue
        try:
            tree = ast.parse(cell.python)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = _literal_path(node.value, names)
                if value is not None:
                    names[node.targets[0].id] = value
            entry = _sys_path_entry(node, names)
            if entry is not None:
                root = Path(os.path.normpath(folder / os.path.expanduser(entry)))
                if root.is_dir() and root not in roots:
                    roots.append(root)
    return tuple(roots)


def _sys_path_entry(node: ast.AST, names: dict[str, str]) -> str | None:
    """`sys.path.append('..')`, `sys.path.insert(0, os.path.abspath('../src'))` -> the literal path."""
    if (
        not isinstance(node, ast.Call)
        or not isinstance(node.func, ast.Attribute)
        or node.func.attr not in ("append", "insert")
    ):
        return None
    target = node.func.value
    if not (
        isinstance(target, ast.Attribute)
        and target.attr == "path"
        and isinstance(target.value, ast.Name)
        and target.value.id == "sys"
    ):
        return None
    args = node.args[1:] if node.func.attr == "insert" else node.args
    return _literal_path(args[0], names) if args else None


def _literal_path(node: ast.expr, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
        and node.attr in ("pardir", "curdir")
    ):
        return ".." if node.attr == "pardir" else "."
    if isinstance(node, ast.Call):
        name = (
            node.func.attr
            if isinstance(node.func, ast.Attribute)
            else node.func.id
            if isinstance(node.func, ast.Name)
            else None
        )
        if name in _PATH_CALLS:
            if isinstance(node.func, ast.Attribute) and name in ("resolve", "absolute") and not node.args:
                return _literal_path(node.func.value, names)
            parts = [_literal_path(a, names) for a in node.args]
            known = [p for p in parts if p is not None]
            if parts and len(known) == len(parts):
                return posixpath.join(*known)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left, right = _literal_path(node.left, names), _literal_path(node.right, names)
        return posixpath.join(left, right) if left is not None and right is not None else None
    return None


class _Finder:
    def __init__(self, notebook: Notebook):
        self.roots = search_roots(notebook)
        folder = Path(notebook.path).resolve().parent
        # Files a `%%writefile` cell writes exist only once the notebook ran: their text is in the cell.
        self.written = {posixpath.normpath(name): text for name, text in written_code_files(notebook).items()}
        self.folder = folder

    def module_files(self, dotted: str) -> list[_Source]:
        """The files importing `dotted` loads: each package's `__init__.py` on the way, and the module."""
        parts = dotted.split(".")
        top = parts[0]
        if f"{top}.py" in self.written and len(parts) == 1:
            return [_Source(f"{top}.py", self.written[f"{top}.py"])]
        for root in self.roots:
            if (root / f"{top}.py").is_file():
                return [_Source(f"{top}.py", _read(root / f"{top}.py"))] if len(parts) == 1 else []
            if (root / top).is_dir() and ((root / top / "__init__.py").is_file() or any((root / top).glob("*.py"))):
                found = []
                for depth in range(1, len(parts) + 1):
                    here = root.joinpath(*parts[:depth])
                    if (here / "__init__.py").is_file():
                        found.append(
                            _Source(posixpath.join(*parts[:depth], "__init__.py"), _read(here / "__init__.py"))
                        )
                    elif here.with_suffix(".py").is_file():
                        found.append(_Source(posixpath.join(*parts[:depth]) + ".py", _read(here.with_suffix(".py"))))
                        break
                return found
        return []

    def is_local(self, dotted: str) -> bool:
        return bool(self.module_files(dotted.split(".")[0]))


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def local_code(notebook: Notebook, imports: tuple[str, ...] | list[str]) -> LocalCode:
    """The local files the `imports` of a script need, transitively."""
    finder = _Finder(notebook)
    shipped: dict[str, str] = {}
    outside: set[str] = set()
    local_tops: set[str] = set()
    work = [m for m in imports if m]
    seen: set[str] = set()
    while work:
        dotted = work.pop()
        if dotted in seen:
            continue
        seen.add(dotted)
        sources = finder.module_files(dotted)
        if not sources:
            if dotted.split(".")[0] not in local_tops and not finder.is_local(dotted):
                outside.add(dotted)
            continue
        local_tops.add(dotted.split(".")[0])
        for source in sources:
            if source.relative in shipped:
                continue
            shipped[source.relative] = source.text
            package = posixpath.dirname(source.relative).replace("/", ".")
            is_init = source.relative.endswith("__init__.py")
            for name in _imports_of(source.text, package if is_init else package, is_init):
                work.append(name)
    outside = {m for m in outside if m.split(".")[0] not in local_tops}
    return LocalCode(
        files=tuple(sorted(shipped.items())), modules=tuple(sorted(local_tops)), imports=tuple(sorted(outside))
    )


def _imports_of(text: str, package: str, is_init: bool) -> list[str]:
    """Modules a file imports, relative imports made absolute against its package."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                prefix = ".".join(base)
                module = ".".join(p for p in (prefix, node.module or "") if p)
                if not module:
                    continue
                found.append(module)
                # `from . import sub` / `from .pkg import sub`: `sub` may be a module itself.
                found += [f"{module}.{a.name}" for a in node.names if a.name != "*"]
            elif node.module:
                found.append(node.module)
    return found


def defined_names(text: str) -> tuple[str, ...]:
    """Top-level public names a file defines: what `from module import *` brings in."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return ()
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names += [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"]
    return tuple(dict.fromkeys(n for n in names if not n.startswith("_")))


def shipped_files(
    notebook: Notebook, imports: tuple[str, ...] | list[str], scripts: tuple[str, ...] = ()
) -> tuple[dict[str, str], list[str]]:
    """(files for `src/`, imports for the requirements) of scripts importing `imports`."""
    local = local_code(notebook, imports)
    files = {f"src/{relative}": text for relative, text in local.files}
    for name in scripts:
        if name in local.modules:
            raise NotebookError(
                f"{notebook.path}: the job's script src/{name}.py would shadow the notebook's own module {name!r}, "
                "which the job imports; rename the notebook (or the component)"
            )
    requirements = [m for m in imports if m.split(".")[0] not in local.modules] + list(local.imports)
    return files, requirements


def plot_only_functions(notebook: Notebook, qualnames: set[str]) -> set[str]:
    """Of `qualnames` (`churn_helpers.show_distribution`), those naming a function of a local module
    whose body only draws: calling it is plotting, which the job does not run."""
    from ..types import Cell
    from ..types import Notebook as NotebookType
    from .collect import collect

    finder = _Finder(notebook)
    summaries: dict[str, dict] = {}

    def functions_of(module: str) -> tuple[dict, str]:
        sources = finder.module_files(module)
        if not sources:
            return {}, ""
        text = sources[-1].text
        if module not in summaries:
            cell = Cell(number=1, kind="code", source=text, python=text)
            try:
                facts, _ = collect(NotebookType(path=f"{module}.py", cells=(cell,)))
                summaries[module] = dict(facts.functions)
            except Exception:  # noqa: BLE001 - a module nb2aml cannot analyse is simply not plot-only
                summaries[module] = {}
        return summaries[module], text

    found = set()
    for qualname in qualnames:
        module, _, name = qualname.rpartition(".")
        if not module or not finder.is_local(module):
            continue
        for _ in range(3):  # follow re-exports: `from .features import add_ratio` in a package's __init__
            functions, text = functions_of(module)
            if name in functions:
                if functions[name].plots_only:
                    found.add(qualname)
                break
            origin = _reexported_from(text, module, name)
            if origin is None:
                break
            module = origin
    return found


def _reexported_from(text: str, module: str, name: str) -> str | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
            if node.level:
                base = module.split(".")[: len(module.split(".")) - (node.level - 1)]
                return ".".join(p for p in (*base, node.module or "") if p)
            return node.module
    return None
