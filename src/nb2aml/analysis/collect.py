"""One pass over each cell's syntax tree, in notebook order, collecting every fact.

The tree is CPython's `ast`: it parses in C and carries positions, so the whole analysis of a
notebook costs a fraction of one `libcst.parse_module` of the same code (libcst's own metadata
providers cost several parses; see bench/bench_analysis.py). libcst is used where code is rewritten.
Names are resolved through the notebook's imports and assignments, never by how they are spelled.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, replace

from ..types import CallFact, Cell, Facts, LiteralFact, Notebook, PathUse, Position, Statement
from . import knowledge as K
from .paths import PathEvaluator, PathValue

NOT_LITERAL = "<not a literal>"
_BUILTINS = frozenset(dir(builtins))
_COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try)
_TRY_STAR = getattr(ast, "TryStar", None)
_MATCH = getattr(ast, "Match", None)


@dataclass(frozen=True)
class FunctionSummary:
    name: str
    params: tuple[str, ...]
    free_reads: frozenset[str]
    mutated_params: frozenset[int]
    global_writes: frozenset[str]
    plots_only: bool  # its body only draws or shows: calling it is plotting
    is_class: bool = False
    # Parameters the body reads or writes a file through (`def load_data(path): pd.read_csv(path)`):
    # (index, name, direction, I/O call, folder). A call passing a literal there uses that path.
    path_params: tuple[tuple[int, str, str, str, bool], ...] = ()
    returns_value: bool = True  # has a `return <value>`: a call gives something to log or hand over


class _Expr:
    """Accumulates what one statement's expressions read, call and bind."""

    __slots__ = ("reads", "calls", "literals", "mutates", "binds", "stack", "in_function", "local")

    def __init__(self) -> None:
        self.reads: dict[str, Position] = {}
        self.calls: list[CallFact] = []
        self.literals: list[LiteralFact] = []
        self.mutates: set[str] = set()
        self.binds: set[str] = set()
        self.stack: list[str | None] = []
        self.in_function = False
        self.local: set[str] = set()


class Collector:
    def __init__(self, notebook: Notebook):
        self.nb = notebook
        self.imports: dict[str, str] = {}
        self.types: dict[str, str | None] = {}
        self.functions: dict[str, FunctionSummary] = {}
        self.constants: dict[str, PathValue] = {}
        self.literal_values: dict[str, tuple[object, Position]] = {}
        self.aliases: dict[str, frozenset[str]] = {}
        self.statements: list[Statement] = []
        self.calls: list[tuple[int, CallFact]] = []
        self.literals: list[tuple[int, LiteralFact]] = []
        self.paths: list[tuple[int, PathUse]] = []
        self.errors: list[tuple[int, Position, str]] = []
        self.seeded = False
        self.star_import = False
        self.references: list[tuple[int, str, Position, Position]] = []
        self._sid = 0
        self._cell = 0
        self._lines: list[str] = []
        self._ascii = True

    # -- driving -------------------------------------------------------------------------------

    def run(self) -> Facts:
        for cell in self.nb.cells:
            if cell.kind == "code" and not cell.foreign and cell.python.strip():
                self._cell_facts(cell)
        return Facts(
            notebook=self.nb, statements=tuple(self.statements), calls=tuple(self.calls),
            literals=tuple(self.literals), paths=tuple(self.paths), parse_errors=tuple(self.errors),
            types=dict(self.types), functions=dict(self.functions),
            constants={k: v for k, v in self.literal_values.items()},
            flags=frozenset(f for f, on in (("seeded", self.seeded), ("star_import", self.star_import)) if on),
            references=tuple(self.references),
        )

    def _cell_facts(self, cell: Cell) -> None:
        try:
            tree = ast.parse(cell.python)
        except SyntaxError as exc:
            line = exc.lineno or 1
            col = (exc.offset or 1)
            self.errors.append((cell.number, Position(cell.number, line, col), exc.msg))
            return
        except ValueError as exc:  # null bytes
            self.errors.append((cell.number, Position(cell.number, 1, 1), str(exc)))
            return
        self._cell = cell.number
        self._ascii = cell.python.isascii()
        self._lines = cell.python.split("\n") if not self._ascii else []
        magic_lines = {m.line for m in cell.magics if m.kind != "line_magic" or "=" in m.text or not m.text.startswith("%time")}
        body = tree.body
        for i, node in enumerate(body):
            last = i == len(body) - 1
            self._statement(node, depth=0, parent=None, last_in_cell=last, magic_lines=magic_lines)

    def pos(self, node: ast.AST) -> Position:
        col = node.col_offset
        if not self._ascii:
            line = self._lines[node.lineno - 1]
            col = len(line.encode("utf-8")[:col].decode("utf-8", "replace"))
        return Position(self._cell, node.lineno, col + 1)

    def end(self, node: ast.AST) -> Position:
        col = node.end_col_offset or 0
        if not self._ascii:
            line = self._lines[(node.end_lineno or node.lineno) - 1]
            col = len(line.encode("utf-8")[:col].decode("utf-8", "replace"))
        return Position(self._cell, node.end_lineno or node.lineno, col + 1)

    # -- names ---------------------------------------------------------------------------------

    def resolve(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            name = node.id
            if name in self.imports:
                return self.imports[name]
            if name in self.functions:
                return "<local>." + name
            if name in self.types:
                return None
            if name in _BUILTINS or name in K.IPYTHON_NAMES:
                return "builtins." + name
            return None
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            if base is not None and not base.startswith("<local>") and not base.startswith("builtins."):
                return base + "." + node.attr
        return None

    def type_of(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            if node.id in self.imports:
                return "module"
            return self.types.get(node.id)
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool):
                return "bool"
            if isinstance(value, (int, float, complex)):
                return "number"
            if isinstance(value, str):
                return "str"
            return "none" if value is None else None
        if isinstance(node, ast.Call):
            return self._call_type(node)
        if isinstance(node, (ast.List, ast.ListComp)):
            return "list"
        if isinstance(node, (ast.Dict, ast.DictComp)):
            return "dict"
        if isinstance(node, (ast.Set, ast.SetComp)):
            return "set"
        if isinstance(node, ast.Tuple):
            return "tuple"
        if isinstance(node, ast.JoinedStr):
            return "str"
        if isinstance(node, ast.Subscript):
            base = self.type_of(node.value)
            return base if base in ("pandas", "ndarray", "figure") else None
        if isinstance(node, ast.Attribute):
            base = self.type_of(node.value)
            if base == "pandas":
                if node.attr in ("shape",):
                    return "tuple"
                if node.attr in ("values",):
                    return "ndarray"
                return "pandas"
            if base == "figure":
                return "figure"
            qual = self.resolve(node)
            return _type_of_qualname(qual) if qual else None
        if isinstance(node, ast.BinOp):
            left, right = self.type_of(node.left), self.type_of(node.right)
            for kind in ("pandas", "ndarray", "path"):
                if kind in (left, right):
                    return kind
            if left == right == "str":
                return "str"
            if left in ("number", "bool") and right in ("number", "bool"):
                return "number"
            return None
        if isinstance(node, ast.UnaryOp):
            return self.type_of(node.operand)
        if isinstance(node, ast.Compare):
            left = self.type_of(node.left)
            return left if left in ("pandas", "ndarray") else "bool"
        return None

    def _call_type(self, node: ast.Call) -> str | None:
        qual = self.resolve(node.func)
        if qual is not None:
            if qual.startswith("<local>."):
                summary = self.functions.get(qual[8:])
                if summary and summary.is_class:
                    return "object"
                return None
            kind = _type_of_qualname(qual)
            if kind is not None:
                return kind
            if qual.startswith("builtins."):
                name = qual[9:]
                return {"list": "list", "dict": "dict", "set": "set", "tuple": "tuple", "str": "str", "int": "number",
                        "float": "number", "len": "number", "bool": "bool", "sorted": "list", "open": "file"}.get(name)
            return None
        if isinstance(node.func, ast.Attribute):
            recv = self.type_of(node.func.value)
            method = node.func.attr
            if recv == "pandas":
                if method.startswith("to_") and method not in ("to_numpy", "to_frame", "to_datetime", "to_period", "to_timestamp"):
                    return "ndarray" if method == "to_numpy" else None
                if method in K.PANDAS_PLOT_METHODS or method == "plot":
                    return "figure"
                if method in ("tolist", "to_list"):
                    return "list"
                return "pandas"
            if recv == "estimator":
                if method in ("fit", "set_params"):
                    return "estimator"
                if method in ("predict", "predict_proba", "transform", "fit_transform", "decision_function", "fit_predict"):
                    return "ndarray"
                if method == "score":
                    return "number"
            if recv == "figure":
                return "figure"
            if recv == "path":
                return "path" if method in ("joinpath", "with_suffix", "with_name", "resolve", "absolute", "expanduser") else None
            if recv == "str":
                return "list" if method in ("split", "rsplit", "splitlines") else "str"
            if recv == "ndarray":
                return "ndarray"
        return None

    # -- statements ----------------------------------------------------------------------------

    def _statement(self, node: ast.stmt, *, depth: int, parent: int | None, last_in_cell: bool, magic_lines: set[int]) -> int:
        sid = len(self.statements)
        self.statements.append(None)  # type: ignore[arg-type]  # reserved: children come after
        acc = _Expr()
        kind = type(node).__name__
        children: list[int] = []
        imports: list[tuple[str, str]] = []
        defines: set[str] = set()
        role = "code"
        is_magic = depth == 0 and isinstance(node, ast.Pass) and node.lineno in magic_lines

        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports = self._import(node)
            defines.update(name for name, _ in imports)
            role = "import"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self._definition(node, acc)
            defines.add(node.name)
            role = "definition"
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            defines |= self._assignment(node, acc)
        elif isinstance(node, ast.Expr):
            self._expr(node.value, acc)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    defines.add(target.id)
                    self._forget(target.id)
                else:
                    self._target(target, acc, defines)
        elif isinstance(node, _COMPOUND) or (_TRY_STAR and isinstance(node, _TRY_STAR)) or (_MATCH and isinstance(node, _MATCH)):
            self._compound_header(node, acc, defines)
            for child in _child_statements(node):
                cid = self._statement(child, depth=depth + 1, parent=sid, last_in_cell=False, magic_lines=magic_lines)
                children.append(cid)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self._expr(child, acc)

        kids = [self.statements[c] for c in children]
        reads = dict(acc.reads)
        mutates = set(acc.mutates)
        prints = any(c.qualname == "builtins.print" and not c.in_function for c in acc.calls)
        effects = self._has_effects(node, acc)
        if isinstance(node, ast.ImportFrom) and (any(alias.name == "*" for alias in node.names) or node.module == "__future__"):
            # A star import binds names nobody can list, and a __future__ import changes how the
            # code compiles: no read can be traced to either, so both are kept.
            effects = True
        for kid in kids:
            for name, where in kid.read_positions:
                reads.setdefault(name, where)
            defines |= kid.defines
            mutates |= kid.mutates
            effects = effects or (kid.effects and kid.role in ("code", "import"))
            prints = prints or kid.prints
        defines |= acc.binds
        display = False
        if is_magic:
            role = "magic"
        elif role == "code":
            role, display = self._role(node, acc, kids, last_in_cell)
            if role != "code":
                effects = False
        for alias in list(mutates):
            mutates |= self.aliases.get(alias, frozenset())
        statement = Statement(
            id=sid, cell=self._cell, pos=self.pos(node), end=self.end(node), kind=kind, role=role,
            defines=frozenset(defines), reads=frozenset(reads), mutates=frozenset(mutates), effects=effects,
            prints=prints, depth=depth, parent=parent, children=tuple(children),
            read_positions=tuple(reads.items()), define_positions=self._bound_positions(node), display=display, imports=tuple(imports),
        )
        self.statements[sid] = statement
        for call in acc.calls:
            self.calls.append((sid, call))
        for literal in acc.literals:
            self.literals.append((sid, literal))
        return sid

    def _bound_positions(self, node: ast.stmt) -> tuple[tuple[str, Position], ...]:
        """Where an assignment binds plain names: `mae, r2 = ...` -> (("mae", 1:1), ("r2", 1:6))."""
        if not isinstance(node, ast.Assign):
            return ()
        return tuple((n.id, self.pos(n)) for t in node.targets for n in _flat_targets(t) if isinstance(n, ast.Name))

    def _import(self, node: ast.Import | ast.ImportFrom) -> list[tuple[str, str]]:
        bound = []
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound.append((alias.asname, alias.name))
                else:
                    top = alias.name.split(".")[0]
                    bound.append((top, top))
        else:
            module = ("." * node.level) + (node.module or "")
            for alias in node.names:
                if alias.name == "*":
                    self.star_import = True
                    continue
                bound.append((alias.asname or alias.name, f"{module}.{alias.name}" if module else alias.name))
        for name, qual in bound:
            qual = _vendored(qual)
            self.imports[name] = qual
            self.types[name] = _type_of_qualname(qual) if qual[:1].isupper() or "." in qual and qual.rsplit(".", 1)[1][:1].isupper() else "module"
            self.constants.pop(name, None)
            self.functions.pop(name, None)
        return bound

    def _forget(self, name: str) -> None:
        self.imports.pop(name, None)
        self.constants.pop(name, None)
        self.literal_values.pop(name, None)
        self.functions.pop(name, None)
        self.aliases.pop(name, None)

    def _assignment(self, node, acc: _Expr) -> set[str]:
        defines: set[str] = set()
        value = node.value
        if value is not None:
            self._expr(value, acc)
        if isinstance(node, ast.AugAssign):
            target = node.target
            if isinstance(target, ast.Name):
                acc.reads.setdefault(target.id, self.pos(target))
                defines.add(target.id)
                if self.types.get(target.id) in ("list", "dict", "set", "pandas", "ndarray", None):
                    acc.mutates.add(target.id)
                self.constants.pop(target.id, None)
                self.literal_values.pop(target.id, None)
            else:
                self._target(target, acc, defines)
            return defines
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            self._target(target, acc, defines)
        if isinstance(value, ast.Call) and len(targets) == 1:
            # The names bound from the call's value, in order (`mae, r2 = evaluate(...)`).
            bound = [n.id if isinstance(n, ast.Name) else None for n in _flat_targets(targets[0])]
            for index, call in enumerate(acc.calls):
                if call.pos == self.pos(value) and not call.enclosing and None not in bound:
                    acc.calls[index] = replace(call, assigned_to=tuple(bound))
        value_type = self.type_of(value) if value is not None else None
        for target in targets:
            self._bind_types(target, value, value_type)
        if len(targets) == 1 and isinstance(targets[0], ast.Name) and value is not None:
            name = targets[0].id
            self._remember_constant(name, value)
            if isinstance(value, ast.Name) and value_type not in K.IMMUTABLE_TYPES:
                group = self.aliases.get(value.id, frozenset({value.id})) | {name}
                for member in group:
                    self.aliases[member] = group - {member}
        if len(targets) == 1 and isinstance(value, ast.Constant) and isinstance(value.value, str):
            # `openai.api_key = "..."` and `os.environ["API_KEY"] = "..."` name what they hold too.
            name = _target_name(targets[0])
            if name is not None:
                for index, literal in enumerate(acc.literals):
                    if literal.pos == self.pos(value):
                        acc.literals[index] = replace(literal, bound_to=name)
        return defines

    def _remember_constant(self, name: str, value: ast.expr) -> None:
        evaluator = PathEvaluator(self.resolve, self.constants, self.pos)
        path = evaluator.evaluate(value)
        if path is not None:
            self.constants[name] = replace(path, variable=name) if path.variable is None and not path.folder else path
        else:
            self.constants.pop(name, None)
        literal = _literal(value)
        if literal is not NOT_LITERAL and not isinstance(literal, (list, dict)):
            self.literal_values[name] = (literal, self.pos(value))
        else:
            self.literal_values.pop(name, None)

    def _target(self, target: ast.expr, acc: _Expr, defines: set[str]) -> None:
        if isinstance(target, ast.Name):
            defines.add(target.id)
            self.imports.pop(target.id, None)
            self.functions.pop(target.id, None)
            if target.id in self.aliases:
                for member in self.aliases.pop(target.id):
                    self.aliases[member] = self.aliases.get(member, frozenset()) - {target.id}
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(element, acc, defines)
        elif isinstance(target, ast.Starred):
            self._target(target.value, acc, defines)
        elif isinstance(target, (ast.Subscript, ast.Attribute)):
            root = _root_name(target)
            if root is not None:
                acc.mutates.add(root)
                acc.reads.setdefault(root, self.pos(target))
            self._expr(target.value, acc)
            if isinstance(target, ast.Subscript):
                self._expr(target.slice, acc)

    def _bind_types(self, target: ast.expr, value: ast.expr | None, value_type: str | None) -> None:
        if isinstance(target, ast.Name):
            self.types[target.id] = value_type
            if value_type is None or value_type not in ("str", "path"):
                self.constants.pop(target.id, None) if value is None else None
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            element_types: list[str | None] = [None] * len(target.elts)
            if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
                element_types = [self.type_of(v) for v in value.elts]
            elif isinstance(value, ast.Call):
                qual = self.resolve(value.func)
                if qual in K.RANDOM_FUNCTIONS and value.args:
                    arg_types = [self.type_of(a) for a in value.args]
                    element_types = [arg_types[(i // 2) % len(arg_types)] for i in range(len(target.elts))]
                elif value_type == "figure" or (qual or "").startswith("matplotlib"):
                    element_types = ["figure"] * len(target.elts)
            for element, kind in zip(target.elts, element_types):
                if isinstance(element, ast.Name):
                    self.types[element.id] = kind
                    self.constants.pop(element.id, None)
                    self.literal_values.pop(element.id, None)

    def _definition(self, node, acc: _Expr) -> None:
        for decorator in node.decorator_list:
            self._expr(decorator, acc)
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                self._expr(base, acc)
            params: tuple[str, ...] = ()
        else:
            for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
                self._expr(default, acc)
            args = node.args
            params = tuple(a.arg for a in args.posonlyargs + args.args + args.kwonlyargs)
            params += tuple(a.arg for a in (args.vararg, args.kwarg) if a is not None)
        inner = _Expr()
        inner.in_function = True
        local = set(params) | _locally_bound(node)
        inner.local = local
        saved_types = dict(self.types)
        for name in params:
            self.types[name] = None
        for statement in node.body:
            self._function_body(statement, inner)
        self.types = saved_types
        free = _free_names(node)
        for name in sorted(free):
            acc.reads.setdefault(name, inner.reads.get(name) or self.pos(node))
        acc.calls.extend(inner.calls)
        acc.literals.extend(inner.literals)
        mutated = frozenset(i for i, p in enumerate(params) if p in inner.mutates)
        global_writes = frozenset(_global_writes(node))
        plots_only = bool(inner.calls) and all(
            _is_plot_call(c) or c.qualname == "builtins.print" for c in inner.calls if c.qualname != "builtins.len"
        ) and not _returns_value(node)
        self.functions[node.name] = FunctionSummary(
            name=node.name, params=params, free_reads=frozenset(free), mutated_params=mutated,
            global_writes=global_writes, plots_only=plots_only, is_class=isinstance(node, ast.ClassDef),
            path_params=self._path_params(node, params), returns_value=_returns_value(node),
        )
        self.types[node.name] = "class" if isinstance(node, ast.ClassDef) else "function"
        self.imports.pop(node.name, None)

    def _path_params(self, node, params: tuple[str, ...]) -> tuple[tuple[int, str, str, str, bool], ...]:
        """The parameters a function's body passes, unchanged, as the path of an I/O call."""
        if isinstance(node, ast.ClassDef) or not params:
            return ()
        found = []
        for call in ast.walk(node):
            if not isinstance(call, ast.Call):
                continue
            qual, method, receiver, receiver_type = self._call_head(call)
            fact = CallFact(pos=self.pos(call), qualname=qual, method=method, receiver=receiver, receiver_type=receiver_type)
            for direction, path_node, folder, name in self._io_targets(call, fact):
                if isinstance(path_node, ast.Name) and path_node.id in params:
                    entry = (params.index(path_node.id), path_node.id, direction, name or "?", folder)
                    if entry not in found:
                        found.append(entry)
        return tuple(found)

    def _function_body(self, node: ast.AST, inner: _Expr) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for statement in node.body:
                self._function_body(statement, inner)
            return
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, (ast.Subscript, ast.Attribute)):
                    root = _root_name(target)
                    if root:
                        inner.mutates.add(root)
        if isinstance(node, ast.expr):
            self._expr(node, inner)
            return
        for child in ast.iter_child_nodes(node):
            self._function_body(child, inner)

    def _compound_header(self, node: ast.stmt, acc: _Expr, defines: set[str]) -> None:
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self._expr(node.iter, acc)
            self._target(node.target, acc, defines)
            self._bind_types(node.target, None, None)
        elif isinstance(node, (ast.While, ast.If)):
            self._expr(node.test, acc)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self._expr(item.context_expr, acc)
                if item.optional_vars is not None:
                    self._target(item.optional_vars, acc, defines)
                    self._bind_types(item.optional_vars, None, self.type_of(item.context_expr))
        elif isinstance(node, ast.Try) or (_TRY_STAR and isinstance(node, _TRY_STAR)):
            for handler in node.handlers:
                if handler.type is not None:
                    self._expr(handler.type, acc)
                if handler.name:
                    defines.add(handler.name)
        elif _MATCH and isinstance(node, _MATCH):
            self._expr(node.subject, acc)
            for case in node.cases:
                for child in ast.walk(case.pattern):
                    name = getattr(child, "name", None)
                    if isinstance(name, str):
                        defines.add(name)
                if case.guard is not None:
                    self._expr(case.guard, acc)

    # -- expressions ---------------------------------------------------------------------------

    def _expr(self, node: ast.expr, acc: _Expr) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, ast.Name):
                if isinstance(current.ctx, ast.Load) and current.id not in acc.local:
                    acc.reads.setdefault(current.id, self.pos(current))
                continue
            if isinstance(current, ast.Call):
                self._call(current, acc)
                continue
            if isinstance(current, ast.Attribute) and isinstance(current.value, ast.Name) and current.value.id in self.imports:
                qual = self.imports[current.value.id] + "." + current.attr
                if qual in K.REMOVED_ATTRIBUTES:
                    self.references.append((len(self.statements) - 1, qual, self.pos(current), self.end(current)))
            if isinstance(current, ast.Constant):
                if isinstance(current.value, str) and len(current.value) >= 6:
                    acc.literals.append(LiteralFact(pos=self.pos(current), value=current.value, end=self.end(current)))
                continue
            if isinstance(current, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp, ast.Lambda)):
                self._scoped(current, acc)
                continue
            if isinstance(current, ast.NamedExpr):
                acc.binds.add(current.target.id)
                stack.append(current.value)
                continue
            if isinstance(current, ast.Dict):
                for key, value in zip(current.keys, current.values):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                        acc.literals.append(LiteralFact(pos=self.pos(value), value=value.value, bound_to=key.value, end=self.end(value)))
                        continue
                    if key is not None:
                        stack.append(key)
                    stack.append(value)
                continue
            stack.extend(ast.iter_child_nodes(current))

    def _scoped(self, node: ast.expr, acc: _Expr) -> None:
        saved = acc.local
        local = set(saved)
        if isinstance(node, ast.Lambda):
            local |= {a.arg for a in node.args.args + node.args.kwonlyargs + node.args.posonlyargs}
            acc.local = local
            was = acc.in_function
            acc.in_function = True
            self._expr(node.body, acc)
            acc.in_function = was
            acc.local = saved
            return
        for generator in node.generators:
            self._expr(generator.iter, acc) if generator is node.generators[0] else None
            for child in ast.walk(generator.target):
                if isinstance(child, ast.Name):
                    local.add(child.id)
        acc.local = local
        for i, generator in enumerate(node.generators):
            if i:
                self._expr(generator.iter, acc)
            for condition in generator.ifs:
                self._expr(condition, acc)
        if isinstance(node, ast.DictComp):
            self._expr(node.key, acc)
            self._expr(node.value, acc)
        else:
            self._expr(node.elt, acc)
        acc.local = saved

    def _call_head(self, node: ast.Call) -> tuple[str | None, str | None, str | None, str | None]:
        """(qualified callee, method, receiver's root name, receiver's type) of a call."""
        func = node.func
        qual = self.resolve(func)
        method = receiver = receiver_type = None
        if isinstance(func, ast.Attribute) and (qual is None or qual.startswith("builtins.")):
            qual = None
            method = func.attr
            receiver = _root_name(func.value)
            receiver_type = self.type_of(func.value)
        return qual, method, receiver, receiver_type

    def _call(self, node: ast.Call, acc: _Expr) -> None:
        func = node.func
        qual, method, receiver, receiver_type = self._call_head(node)
        keywords = []
        keyword_names = []
        keyword_positions = []
        keyword_vars = []
        for kw in node.keywords:
            if kw.arg is None:
                continue
            keyword_names.append(kw.arg)
            keywords.append((kw.arg, _literal(kw.value)))
            keyword_positions.append(self.pos(kw.value))
            if isinstance(kw.value, ast.Name):
                keyword_vars.append((kw.arg, kw.value.id))
            if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                acc.literals.append(LiteralFact(pos=self.pos(kw.value), value=kw.value.value, bound_to=kw.arg, end=self.end(kw.value)))
        arg_names = tuple(a.id if isinstance(a, ast.Name) else None for a in node.args)
        label = _print_label(node) if qual == "builtins.print" else None
        fact = CallFact(
            pos=self.pos(node), qualname=qual, method=method, receiver=receiver, receiver_type=receiver_type,
            keywords=tuple(keywords), keyword_names=tuple(keyword_names), arg_names=arg_names,
            keyword_positions=tuple(keyword_positions), keyword_vars=tuple(keyword_vars),
            in_function=acc.in_function, enclosing=tuple(acc.stack), label=label, end=self.end(node),
        )
        acc.calls.append(fact)
        if not acc.in_function:
            self._call_effects(node, fact, acc)
        acc.stack.append(qual or (f"{receiver_type}.{method}" if method else None))
        if isinstance(func, ast.Attribute):
            self._expr(func.value, acc)
        else:
            self._expr(func, acc)
        for arg in node.args:
            self._expr(arg, acc)
        for kw in node.keywords:
            if not (isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)):
                self._expr(kw.value, acc)
        acc.stack.pop()

    def _call_effects(self, node: ast.Call, fact: CallFact, acc: _Expr) -> None:
        """Mutation of names by this call, and the I/O path it uses."""
        qual, method = fact.qualname, fact.method
        if method is not None and fact.receiver is not None:
            if _mutates_receiver(fact):
                acc.mutates.add(fact.receiver)
        if qual is not None and qual.startswith("<local>."):
            summary = self.functions.get(qual[8:])
            if summary is not None:
                for index in summary.mutated_params:
                    if index < len(node.args) and isinstance(node.args[index], ast.Name):
                        acc.mutates.add(node.args[index].id)
                for name in summary.free_reads:
                    acc.reads.setdefault(name, self.pos(node))
                acc.binds.update(summary.global_writes)
        if qual in K.ARG_MUTATORS and node.args and isinstance(node.args[0], ast.Name):
            acc.mutates.add(node.args[0].id)
        if qual in ("numpy.random.seed", "random.seed", "torch.manual_seed", "tensorflow.random.set_seed"):
            self.seeded = True
        self._io(node, fact)

    def _io(self, node: ast.Call, fact: CallFact) -> None:
        for direction, path_node, folder, name in self._io_targets(node, fact):
            value = PathEvaluator(self.resolve, self.constants, self.pos).evaluate(path_node)
            if value is None:
                continue
            self.paths.append((len(self.statements) - 1, PathUse(
                pos=fact.pos, call=name or "?", direction=direction, path=value.text, literal_pos=value.root_pos,
                literal_value=value.root_value, variable=value.variable, folder=value.folder or folder, member=value.member,
            )))

    def _io_targets(self, node: ast.Call, fact: CallFact) -> list[tuple[str, ast.expr, bool, str | None]]:
        """(direction, path argument, used as a folder, I/O call) for each path the call reads or writes."""
        qual, method = fact.qualname, fact.method
        if qual is not None and qual.startswith("<local>."):
            summary = self.functions.get(qual[8:])
            targets = []
            for index, param, direction, call, folder in (summary.path_params if summary else ()):
                argument = _argument(node, index, (param,))
                if argument is not None:
                    targets.append((direction, argument, folder, call))
            return targets
        direction = None
        path_node = None
        folder = False
        name = qual
        if qual is not None:
            if qual.startswith("pandas.read_") and qual not in K.PANDAS_QUERY_READERS:
                direction, path_node = "read", _argument(node, 0, ("filepath_or_buffer", "path", "io", "path_or_buf"))
            elif qual in ("builtins.open", "io.open"):
                mode = _argument(node, 1, ("mode",))
                mode_text = mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else "r"
                direction = "write" if any(ch in mode_text for ch in "wax") else "read"
                path_node = _argument(node, 0, ("file",))
            elif qual in K.READ_FUNCTIONS and K.READ_FUNCTIONS[qual] is not None:
                index, keyword = K.READ_FUNCTIONS[qual]
                direction, path_node = "read", _argument(node, index, (keyword,))
            elif qual in K.WRITE_FUNCTIONS:
                index, keyword = K.WRITE_FUNCTIONS[qual]
                direction, path_node = "write", _argument(node, index, (keyword,))
            folder = qual in K.FOLDER_FUNCTIONS
        elif method is not None:
            receiver_type = fact.receiver_type
            if method in K.PANDAS_WRITE_METHODS and receiver_type in ("pandas", None):
                direction, path_node = "write", _argument(node, 0, ("path_or_buf", "path", "excel_writer"))
                name = "pandas." + method
            elif method in K.ESTIMATOR_SAVE_METHODS and receiver_type == "estimator":
                direction, path_node = "write", _argument(node, 0, ("fname", "filepath", "path"))
                name = "estimator." + method
            elif receiver_type == "path" and (method in K.PATH_WRITE_METHODS or method in K.PATH_READ_METHODS):
                direction = "write" if method in K.PATH_WRITE_METHODS else "read"
                path_node = node.func.value  # type: ignore[union-attr]
                folder = method in ("mkdir", "iterdir", "glob", "rglob")
                name = "pathlib.Path." + method
        if direction is None or path_node is None:
            return []
        return [(direction, path_node, folder, name)]

    # -- classification ------------------------------------------------------------------------

    def _has_effects(self, node: ast.stmt, acc: _Expr) -> bool:
        for call in acc.calls:
            if call.in_function:
                continue
            if _is_plot_call(call) or self._plots_only(call):
                continue
            if not self._pure(call):
                return True
        return False

    def _plots_only(self, call: CallFact) -> bool:
        if call.qualname and call.qualname.startswith("<local>."):
            summary = self.functions.get(call.qualname[8:])
            return bool(summary and summary.plots_only)
        return False

    def _pure(self, call: CallFact) -> bool:
        qual = call.qualname
        if qual is not None:
            if qual in K.IMPURE_FUNCTIONS:
                return False
            if qual.startswith("builtins."):
                return qual[9:] in K.PURE_BUILTINS
            if qual.startswith("<local>."):
                summary = self.functions.get(qual[8:])
                # A class builds an object; a function may do anything.
                return bool(summary and summary.is_class)
            if qual.startswith("pandas.read_") or qual in K.READ_FUNCTIONS:
                return True
            return qual.startswith(K.PURE_MODULES)
        if call.method is None:
            return False
        if call.receiver_type == "figure":
            return True
        if call.method in K.PANDAS_WRITE_METHODS or call.method in K.PATH_WRITE_METHODS:
            return False
        if call.method in K.ESTIMATOR_SAVE_METHODS and call.receiver_type == "estimator":
            return False  # `model.save_model("outputs/m.json")` writes a file: `_io` records it as an output
        if call.receiver is not None and _mutates_receiver(call) and call.receiver_type not in (None, "object"):
            # Its effect is on a name, which the slice follows. A method of an object of unknown type
            # may also act outside the program (`model.save(...)`, `run.log(...)`): that is an effect.
            return True
        if call.receiver_type in K.IMMUTABLE_TYPES or call.receiver_type in ("pandas", "ndarray", "estimator", "list", "dict", "set"):
            return True
        return call.method in K.PURE_METHODS

    def _role(self, node: ast.stmt, acc: _Expr, kids: list[Statement], last_in_cell: bool) -> tuple[str, bool]:
        if kids:
            if all(k.role in ("plot", "explore", "magic") for k in kids) and not acc.mutates and not self._header_effects(node, acc):
                return ("plot" if any(k.role == "plot" for k in kids) else "explore"), False
            return "code", False
        top_calls = [c for c in acc.calls if not c.in_function and not c.enclosing]
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if value is not None and all(isinstance(t, (ast.Name, ast.Tuple)) for t in targets) and top_calls and all(
                _is_plot_call(c) or self._plots_only(c) for c in top_calls
            ) and not acc.mutates:
                return "plot", False
            if all(isinstance(t, (ast.Subscript, ast.Attribute)) for t in targets) and acc.mutates and all(
                self.types.get(m) == "figure" for m in acc.mutates
            ):
                return "plot", False
            return "code", False
        if not isinstance(node, ast.Expr):
            return "code", False
        if top_calls and all(_is_plot_call(c) or self._plots_only(c) for c in top_calls):
            return "plot", False
        if isinstance(node.value, ast.Constant):
            return "code", False  # a docstring or a stray literal: harmless, keep as written
        if acc.mutates or any(not self._pure(c) for c in acc.calls if not c.in_function):
            return "code", False
        if any(c.qualname == "builtins.print" for c in acc.calls):
            return "code", False
        return "explore", last_in_cell

    def _header_effects(self, node: ast.stmt, acc: _Expr) -> bool:
        return any(not self._pure(c) for c in acc.calls if not c.in_function)


def collect(notebook: Notebook) -> tuple[Facts, Collector]:
    collector = Collector(notebook)
    return collector.run(), collector


# -- helpers ---------------------------------------------------------------------------------------


def _type_of_qualname(qual: str | None) -> str | None:
    if not qual:
        return None
    head = qual.split(".")[0]
    last = qual.rsplit(".", 1)[-1]
    if head == "pandas":
        return "pandas" if last not in ("set_option", "options") else None
    if head == "numpy":
        return "ndarray"
    if head in K.ESTIMATOR_MODULES and last[:1].isupper():
        return "estimator"
    if qual.startswith(K.PLOT_MODULES):
        return "figure"
    if qual in ("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"):
        return "path"
    return None


def _vendored(qual: str) -> str:
    # `sklearn.externals.joblib` was a copy of joblib: `joblib.dump(...)` through it still writes a
    # file. NB501 reports the import itself from `Statement.imports`, which keeps the written name.
    for old, new in K.REMOVED_IMPORTS.items():
        if qual == old or qual.startswith(old + "."):
            return new + qual[len(old):]
    return qual


def _is_plot_call(call: CallFact) -> bool:
    qual = call.qualname
    if qual is not None:
        return qual.startswith(K.PLOT_MODULES) or qual in K.DISPLAY_FUNCTIONS
    if call.method is None:
        return False
    if call.receiver_type == "figure":
        return True
    if call.receiver_type in ("pandas", None) and call.method in K.PANDAS_PLOT_METHODS:
        return True
    return False


def _mutates_receiver(call: CallFact) -> bool:
    for keyword, value in call.keywords:
        if keyword == "inplace" and value is True:
            return True
    kind = call.receiver_type
    method = call.method
    if kind in K.MUTATING_METHODS_BY_TYPE:
        return method in K.MUTATING_METHODS_BY_TYPE[kind]
    if kind in K.IMMUTABLE_TYPES or kind == "figure":
        return False
    if kind in ("object", None):
        return method not in K.PURE_METHODS and method not in K.PANDAS_WRITE_METHODS and method not in K.PANDAS_PLOT_METHODS
    return False


def _flat_targets(target: ast.expr) -> list[ast.expr]:
    """`a, (b, c)` -> [a, b, c]; `a` -> [a]."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _flat_targets(element)]
    return [target.value] if isinstance(target, ast.Starred) else [target]


def _target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str):
        return target.slice.value
    return None


def _root_name(node: ast.expr) -> str | None:
    while True:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        else:
            return None


def _argument(node: ast.Call, index: int, keywords: tuple[str, ...]) -> ast.expr | None:
    for kw in node.keywords:
        if kw.arg in keywords:
            return kw.value
    if index < len(node.args) and not any(isinstance(a, ast.Starred) for a in node.args[: index + 1]):
        return node.args[index]
    return None


def _literal(node: ast.expr):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
        return -node.operand.value
    if isinstance(node, (ast.List, ast.Tuple)):
        values = [_literal(e) for e in node.elts]
        return NOT_LITERAL if any(v is NOT_LITERAL for v in values) else values
    return NOT_LITERAL


def _print_label(node: ast.Call) -> str | None:
    for arg in node.args:
        text = _leading_text(arg)
        if text:
            return text
    return None


def _leading_text(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        return parts[0] if parts else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return _leading_text(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _leading_text(node.func.value)
    return None


def _child_statements(node: ast.stmt) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for field in ("body", "orelse", "finalbody"):
        out.extend(getattr(node, field, ()) or ())
    for handler in getattr(node, "handlers", ()) or ():
        out.extend(handler.body)
    for case in getattr(node, "cases", ()) or ():
        out.extend(case.body)
    return out


def _locally_bound(node) -> set[str]:
    """Names a function body binds (its locals), minus those declared global."""
    bound: set[str] = set()
    declared: set[str] = set()
    stack = list(node.body) if not isinstance(node, ast.ClassDef) else list(node.body)
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Global):
            declared.update(current.names)
            continue
        if isinstance(current, ast.Name) and isinstance(current.ctx, (ast.Store, ast.Del)):
            bound.add(current.id)
        elif isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(current.name)
            continue
        elif isinstance(current, (ast.Import, ast.ImportFrom)):
            for alias in current.names:
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(current, ast.ExceptHandler) and current.name:
            bound.add(current.name)
        elif isinstance(current, ast.arg):
            bound.add(current.arg)
        stack.extend(ast.iter_child_nodes(current))
    return bound - declared


def _global_writes(node) -> set[str]:
    declared: set[str] = set()
    for current in ast.walk(node):
        if isinstance(current, ast.Global):
            declared.update(current.names)
    return declared


def _returns_value(node) -> bool:
    return any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(node))


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _free_names(node: ast.AST) -> set[str]:
    """Names a function, class, lambda or comprehension reads from the scopes around it."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = node.args
        local = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        local |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        body = node.body if isinstance(node.body, list) else [node.body]
        if not isinstance(node, ast.Lambda):
            local |= _locally_bound(node)
    elif isinstance(node, ast.ClassDef):
        local = _locally_bound(node)
        body = node.body
    else:
        local = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        body = [g for g in node.generators] + ([node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt])
    loads: set[str] = set()
    stack = list(body)
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name):
            if isinstance(current.ctx, ast.Load):
                loads.add(current.id)
            continue
        if isinstance(current, _SCOPES):
            loads |= _free_names(current)
            if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                for outer in current.decorator_list + getattr(current, "bases", []):
                    stack.append(outer)
                if not isinstance(current, ast.ClassDef):
                    stack.extend(current.args.defaults + [d for d in current.args.kw_defaults if d is not None])
            elif isinstance(current, ast.Lambda):
                stack.extend(current.args.defaults)
            else:
                stack.append(current.generators[0].iter)
            continue
        if isinstance(current, ast.comprehension):
            stack.extend(current.ifs)
            if current is not (body[0] if body else None):
                stack.append(current.iter)
            continue
        stack.extend(ast.iter_child_nodes(current))
    return loads - local
