"""Where a notebook uses an API of the removed-API catalogue: facts for NB501 and its fixes.

One walk over each cell's syntax tree (CPython `ast`), names resolved through the notebook's
imports, receivers typed by the analysis (`Facts.types`, the call that built a variable).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..types import Applicability, Cell, Facts, NotebookError, Position
from .astutil import Located
from .catalogue import RemovedApi, catalogue
from .local_modules import local_code

AnchorKind = Literal["call", "attribute", "import"]
_REGEX_CHARACTERS = frozenset("[]()*+?^$|\\{}.")
_TICK_SOURCES = frozenset({"get_major_ticks", "get_minor_ticks"})


@dataclass(frozen=True)
class ApiUse:
    key: str  # the catalogue entry
    pos: Position  # where the finding is reported
    end: Position | None
    anchor: Position  # the node a fix rewrites: the call, the attribute or the import statement
    anchor_kind: AnchorKind
    fix: Applicability | None = None  # this use's applicability when it differs from the entry's
    note: str = ""  # added to the message: why this use's fix differs
    detail: str = ""  # what the rewrite needs: the written module of a name, the import's new text


def positioner(cell: Cell) -> Callable[[int, int], Position]:
    """(lineno, col_offset in UTF-8 bytes) -> Position with a column counted in characters."""
    lines = cell.python.split("\n")

    def pos(line: int, col_offset: int) -> Position:
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return Position(cell.number, line, len(text.encode("utf-8")[:col_offset].decode("utf-8", "replace")) + 1)

    return pos


def parsed_cells(facts: Facts) -> list[tuple[Cell, ast.Module]]:
    broken = {cell for cell, _, _ in facts.parse_errors}
    out = []
    for cell in facts.notebook.cells:
        if cell.kind != "code" or cell.foreign or not cell.python.strip() or cell.number in broken:
            continue
        try:
            out.append((cell, ast.parse(cell.python)))
        except (SyntaxError, ValueError):
            continue
    return out


def imported_names(trees: list[tuple[Cell, ast.Module]]) -> dict[str, str]:
    """Bound name -> qualified name as written (`sklearn.cross_validation.train_test_split`)."""
    names: dict[str, str] = {}
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    names[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0]
                    )
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    if alias.name != "*":
                        names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def qualified(node: ast.AST, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = qualified(node.value, names)
        return f"{base}.{node.attr}" if base else None
    return None


def root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


@lru_cache(maxsize=1)
def _index() -> dict[str, list[RemovedApi]]:
    index: dict[str, list[RemovedApi]] = {}
    for entry in catalogue():
        index.setdefault(entry.match, []).append(entry)
    return index


def find_api_uses(facts: Facts) -> tuple[ApiUse, ...]:
    trees = parsed_cells(facts)
    names = imported_names(trees)
    builders = {name: call.qualname for _, call in facts.calls for name in call.assigned_to if call.qualname}
    uses: list[ApiUse] = []
    for cell, tree in trees:
        walker = _Walker(positioner(cell), names, facts.types, builders)
        walker.visit(tree)
        uses.extend(walker.uses)
    return tuple(dict.fromkeys(uses))


def shipped_module_api_uses(facts: Facts) -> tuple[ApiUse, ...]:
    """Uses in the notebook's own modules (`import helper` of a `helper.py` beside it, and what those
    import in turn): the job ships them into src/, where a removed API fails as it does in a cell."""
    seen: set[str] = set()
    uses: list[ApiUse] = []
    for statement in facts.statements:
        if statement.kind not in ("Import", "ImportFrom"):
            continue
        # `from figures import plot` binds `figures.plot`: the module is one of its prefixes.
        modules = [
            ".".join(parts[:n])
            for _, qual in statement.imports
            if (parts := qual.split("."))
            for n in range(1, len(parts) + 1)
        ]
        try:
            files = local_code(facts.notebook, modules).files
        except NotebookError:
            continue  # a module that cannot be shipped is refused by convert, which says why
        for relative, text in files:
            if relative.endswith(".py") and relative not in seen:
                seen.add(relative)
                uses.extend(module_api_uses(text, relative, statement.cell))
    return tuple(uses)


def module_api_uses(text: str, file: str, cell: int) -> tuple[ApiUse, ...]:
    """Uses in one of the notebook's own modules that the job ships into `src/`: each position is in
    `file` (its path as shipped) and names the `cell` that imports it. Nothing is typed there, so a
    method entry (`DataFrame.append`) is not matched: what is found is certain, not all there is."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return ()
    lines = text.split("\n")

    def pos(line: int, col_offset: int) -> Position:
        line_text = lines[line - 1] if 0 < line <= len(lines) else ""
        col = len(line_text.encode("utf-8")[:col_offset].decode("utf-8", "replace")) + 1
        return Position(cell, line, col, file)

    walker = _Walker(pos, imported_names([(Cell(cell, "code", text), tree)]), {}, {})
    walker.visit(tree)
    return tuple(dict.fromkeys(walker.uses))


class _Walker(ast.NodeVisitor):
    def __init__(
        self, pos: Callable[[int, int], Position], names: dict[str, str], types: dict, builders: dict[str, str]
    ):
        self.pos = pos
        self.names, self.types, self.builders = names, types, builders
        self.ticks: set[str] = set()
        self.uses: list[ApiUse] = []

    def start(self, node: Located) -> Position:
        return self.pos(node.lineno, node.col_offset)

    def stop(self, node: Located) -> Position | None:
        if node.end_lineno and node.end_col_offset is not None:  # parsed nodes carry both or neither
            return self.pos(node.end_lineno, node.end_col_offset)
        return None

    def add(self, entry: RemovedApi, node, anchor, kind: AnchorKind, **extra) -> None:
        self.uses.append(ApiUse(entry.key, self.start(node), self.stop(node), self.start(anchor), kind, **extra))

    # -- receivers ---------------------------------------------------------------------------

    def receiver_is(self, receiver: str | None, value: ast.AST) -> bool:
        if receiver is None:
            return True
        if receiver == "tick":
            return isinstance(value, ast.Name) and value.id in self.ticks
        root = root_name(value)
        if receiver in ("xgboost", "lightgbm"):
            if isinstance(value, ast.Call):
                return (qualified(value.func, self.names) or "").startswith(receiver + ".")
            return root is not None and (self.builders.get(root) or "").startswith(receiver + ".")
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            # `pd.read_csv(...).append(...)`: the type of what the inner call returns.
            return (qualified(value.func, self.names) or "").startswith("pandas.") and receiver == "pandas"
        return root is not None and self.types.get(root) == receiver

    def callee(self, entry: RemovedApi, node: ast.Call, qual: str | None) -> bool:
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        for target in entry.targets:
            if target.startswith("."):
                if (
                    method == target[1:]
                    and qual not in entry.targets
                    and isinstance(node.func, ast.Attribute)  # always, when `method` matched; narrows the type
                    and self.receiver_is(entry.receiver, node.func.value)
                ):
                    return True
            elif qual == target:
                return True
        return False

    # -- nodes -------------------------------------------------------------------------------

    def visit_For(self, node: ast.For) -> None:
        iterator = node.iter
        if (
            isinstance(iterator, ast.Call)
            and isinstance(iterator.func, ast.Attribute)
            and iterator.func.attr in _TICK_SOURCES
        ) and isinstance(node.target, ast.Name):
            self.ticks.add(node.target.id)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for entry in _index().get("module", []):
            for alias in node.names:
                if _under(alias.name, entry.targets):
                    detail = (
                        f"import {entry.replacement} as {alias.asname}" if alias.asname and len(node.names) == 1 else ""
                    )
                    self.add(
                        entry,
                        node,
                        node,
                        "import",
                        fix=None if detail else "none",
                        detail=detail,
                        note="" if detail else "rewrite the import by hand",
                    )

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:
            return
        for entry in _index().get("module", []):
            if _under(module, entry.targets):
                if entry.fix == "none":
                    self.add(entry, node, node, "import")
                    continue
                # `from sklearn.cross_validation import train_test_split`: the module moved.
                if entry.replacement is None:  # never: the catalogue gives every module rewrite its replacement
                    raise ValueError(f"{entry.key}: a module rewrite needs a replacement")
                new_module = entry.replacement + module[len(_target_of(module, entry.targets)) :]
                aliases = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in node.names)
                same = not entry.same_names or {a.name for a in node.names} <= set(entry.same_names)
                self.add(
                    entry,
                    node,
                    node,
                    "import",
                    fix=None if same or entry.fix == "none" else "unsafe",
                    note="" if same else "these names take other arguments there",
                    detail=f"from {new_module} import {aliases}",
                )
                continue
            moved = [a for a in node.names if _under(f"{module}.{a.name}", entry.targets)]
            if not moved:
                continue
            if len(node.names) != 1:
                self.add(
                    entry,
                    node,
                    node,
                    "import",
                    fix="none" if entry.fix != "none" else None,
                    note="" if entry.fix == "none" else "split the import by hand",
                )
                continue
            alias = moved[0]
            if entry.fix == "none":
                self.add(entry, node, node, "import")
                continue
            as_text = f" as {alias.asname}" if alias.asname else ""
            if entry.replacement and entry.replacement.rsplit(".", 1)[-1] == alias.name:
                detail = (
                    f"import {entry.replacement}{as_text}"  # `from sklearn.externals import joblib` -> `import joblib`
                )
            else:
                detail = f"from {entry.replacement} import {alias.name}{as_text}"  # a name moved to another module
            self.add(entry, node, node, "import", detail=detail)
        for entry in _index().get("name", []):
            if any(_under(f"{module}.{a.name}", entry.targets) for a in node.names):
                self.add(
                    entry,
                    node,
                    node,
                    "import",
                    fix="none" if entry.fix != "none" else None,
                    note="" if entry.fix == "none" else "imported by name: rewrite the uses by hand",
                )

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, ast.Load):
            qual = qualified(node, self.names)
            if qual:
                for entry in _index().get("name", []):
                    if qual in entry.targets:
                        self.add(entry, node, node, "attribute", detail=_dotted(node.value) or "")
            for entry in _index().get("attribute", []):
                if f".{node.attr}" in entry.targets and self.receiver_is(entry.receiver, node.value):
                    self.add(entry, node, node, "attribute")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        qual = qualified(node.func, self.names)
        index = _index()
        positional = [a for a in node.args]
        keywords = {k.arg: k for k in node.keywords if k.arg}
        for entry in index.get("method", []):
            if entry.rewrite == "add_keyword" and (entry.replacement or "").split("=")[0] in keywords:
                continue
            if self.callee(entry, node, qual):
                fix, note = _method_fix(entry, node, self.types)
                self.add(entry, node, node, "call", fix=fix, note=note)
        for entry in index.get("keyword", []):
            if entry.keyword in keywords and self.callee(entry, node, qual):
                self.add(entry, keywords[entry.keyword], node, "call")
        for entry in index.get("keyword_value", []):
            keyword = keywords.get(entry.keyword) if entry.keyword is not None else None
            if keyword is not None and _is_literal(keyword.value, entry.value) and self.callee(entry, node, qual):
                self.add(entry, keyword, node, "call")
        for entry in index.get("positional", []):
            if (
                len(positional) > entry.positional
                and not any(isinstance(a, ast.Starred) for a in positional)
                and self.callee(entry, node, qual)
            ):
                extra = len(positional) - entry.positional
                names = (entry.replacement or "").split(",")
                clash = any(name in keywords for name in names[:extra])
                fix = "none" if extra > len(names) or clash else None
                self.add(
                    entry,
                    positional[entry.positional],
                    node,
                    "call",
                    fix=fix,
                    note="more positional arguments than known keywords" if fix else "",
                )
        for entry in index.get("string_argument", []):
            first = positional[0] if positional else None
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and _names_option(first.value, entry)
                and qual in entry.targets
            ):
                self.add(entry, first, node, "call")
        if isinstance(node.func, ast.Attribute) and "numeric_only" not in keywords:
            for entry in index.get("reduction", []):
                inner = node.func.value
                if (
                    f".{node.func.attr}" in entry.targets
                    and isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and inner.func.attr == "groupby"
                    and self.receiver_is(entry.receiver, inner.func.value)
                ):
                    self.add(entry, node, node, "call")
            for entry in index.get("regex_replace", []):
                inner = node.func.value
                pattern = positional[0] if positional else None
                if (
                    f".{node.func.attr}" in entry.targets
                    and isinstance(inner, ast.Attribute)
                    and inner.attr == "str"
                    and "regex" not in keywords
                    and isinstance(pattern, ast.Constant)
                    and isinstance(pattern.value, str)
                    and len(pattern.value) > 1
                    and _REGEX_CHARACTERS & set(pattern.value)
                ):
                    self.add(entry, node, node, "call")
        self.generic_visit(node)


def _under(name: str, targets: tuple[str, ...]) -> bool:
    return any(name == t or name.startswith(t + ".") for t in targets)


def _target_of(name: str, targets: tuple[str, ...]) -> str:
    return next(t for t in targets if name == t or name.startswith(t + "."))


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _method_fix(entry: RemovedApi, node: ast.Call, types: dict) -> tuple[Applicability | None, str]:
    if entry.rewrite == "concat":
        argument = node.args[0] if len(node.args) == 1 else None
        keywords = {k.arg for k in node.keywords}
        exact = (
            isinstance(argument, ast.Name)
            and types.get(argument.id) == "pandas"
            and keywords <= {"ignore_index", "sort"}
        )
        return (None, "") if exact else ("unsafe", "argument is not known to be a DataFrame: check the rewrite")
    if entry.rewrite == "method_to_attribute" and (node.args or node.keywords):
        return "none", "called with arguments"
    return None, ""


def _is_literal(node: ast.AST, value: object) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is type(value) and node.value == value


def _names_option(text: str, entry: RemovedApi) -> bool:
    prefix = str(entry.value)
    if text == prefix:
        return True
    return text.startswith(prefix + "-") and not text.startswith(str(entry.replacement))
