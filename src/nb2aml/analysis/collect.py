"""One pass over each cell's syntax tree, in notebook order, collecting every fact.

The tree is CPython's `ast`: it parses in C and carries positions, so the whole analysis of a
notebook costs a fraction of one `libcst.parse_module` of the same code (libcst's own metadata
providers cost several parses; see bench/bench_analysis.py). libcst is used where code is rewritten.
Names are resolved through the notebook's imports and assignments, never by how they are spelled.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import replace

from ..types import (
    CallFact,
    Cell,
    Facts,
    LiteralFact,
    Notebook,
    PathUse,
    Position,
    Statement,
    StatementRole,
)
from . import knowledge as K
from .accumulator import Accumulator
from .aliases import SCALAR_TYPES, AliasSets, alias_roots
from .astutil import (
    NOT_LITERAL,
    Located,
    child_statements,
    flat_targets,
    literal,
    print_label,
    root_name,
    target_name,
)
from .calls import CallFacts
from .definitions import DefinitionFacts
from .effects import EffectModel
from .functions import FunctionSummary
from .paths import PathEvaluator, PathValue
from .types_infer import STATEFUL_TYPES, element_types, infer_type, type_of_qualname

__all__ = ["NOT_LITERAL", "Collector", "FunctionSummary", "collect"]
_BUILTINS = frozenset(dir(builtins))
_COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try)
_TRY_STAR = getattr(ast, "TryStar", None)
_MATCH = getattr(ast, "Match", None)


class Collector(CallFacts, DefinitionFacts):
    def __init__(self, notebook: Notebook):
        self.nb = notebook
        self.imports: dict[str, str] = {}
        self.types: dict[str, str | None] = {}
        self.functions: dict[str, FunctionSummary] = {}
        self.constants: dict[str, PathValue] = {}
        self.literal_values: dict[str, tuple[object, Position]] = {}
        self.aliases = AliasSets()
        self.effects = EffectModel(self.functions)
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
            notebook=self.nb,
            statements=tuple(self.statements),
            calls=tuple(self.calls),
            literals=tuple(self.literals),
            paths=tuple(self.paths),
            parse_errors=tuple(self.errors),
            types=dict(self.types),
            functions=dict(self.functions),
            constants={k: v for k, v in self.literal_values.items()},
            flags=frozenset(f for f, on in (("seeded", self.seeded), ("star_import", self.star_import)) if on),
            references=tuple(self.references),
        )

    def _cell_facts(self, cell: Cell) -> None:
        try:
            tree = ast.parse(cell.python)
        except SyntaxError as exc:
            line = exc.lineno or 1
            col = exc.offset or 1
            self.errors.append((cell.number, Position(cell.number, line, col), exc.msg))
            return
        except ValueError as exc:  # null bytes
            self.errors.append((cell.number, Position(cell.number, 1, 1), str(exc)))
            return
        self._cell = cell.number
        self._ascii = cell.python.isascii()
        self._lines = cell.python.split("\n") if not self._ascii else []
        magic_lines = {
            m.line for m in cell.magics if m.kind != "line_magic" or "=" in m.text or not m.text.startswith("%time")
        }
        body = tree.body
        for i, node in enumerate(body):
            last = i == len(body) - 1
            self._statement(node, depth=0, parent=None, last_in_cell=last, magic_lines=magic_lines)

    def pos(self, node: Located) -> Position:
        col = node.col_offset
        if not self._ascii:
            line = self._lines[node.lineno - 1]
            col = len(line.encode("utf-8")[:col].decode("utf-8", "replace"))
        return Position(self._cell, node.lineno, col + 1)

    def end(self, node: Located) -> Position:
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
        return infer_type(node, self)

    # -- statements ----------------------------------------------------------------------------

    def _statement(
        self, node: ast.stmt, *, depth: int, parent: int | None, last_in_cell: bool, magic_lines: set[int]
    ) -> int:
        sid = len(self.statements)
        self.statements.append(None)  # type: ignore[arg-type]  # reserved: children come after
        acc = Accumulator()
        kind = type(node).__name__
        children: list[int] = []
        imports: list[tuple[str, str]] = []
        defines: set[str] = set()
        role: StatementRole = "code"
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
        elif (
            isinstance(node, _COMPOUND)
            or (_TRY_STAR and isinstance(node, _TRY_STAR))
            or (_MATCH and isinstance(node, _MATCH))
        ):
            self._compound_header(node, acc, defines)
            for child in child_statements(node):
                cid = self._statement(child, depth=depth + 1, parent=sid, last_in_cell=False, magic_lines=magic_lines)
                children.append(cid)
        else:
            for part in ast.iter_child_nodes(node):
                if isinstance(part, ast.expr):
                    self._expr(part, acc)

        kids = [self.statements[c] for c in children]
        reads = dict(acc.reads)
        mutates = set(acc.mutates)
        # Training that logs its evaluation prints as surely as `print` does (`training_output`).
        prints = any(c.qualname == "builtins.print" and not c.in_function for c in acc.calls) or bool(acc.outputs)
        effects = self._has_effects(node, acc)
        state = set(acc.state)
        unknown = list(dict.fromkeys(acc.unknown))
        if isinstance(node, ast.ImportFrom) and (
            any(alias.name == "*" for alias in node.names) or node.module == "__future__"
        ):
            # A star import binds names nobody can list, and a __future__ import changes how the
            # code compiles: no read can be traced to either, so both are kept.
            effects = True
        registers = any(K.registers_on_import(module) for module in _imported_modules(node))
        effects = effects or registers  # it registers something when it runs (`K.SIDE_EFFECT_IMPORTS`)
        for kid in kids:
            for name, where in kid.read_positions:
                reads.setdefault(name, where)
            defines |= kid.defines
            mutates |= kid.mutates
            effects = effects or (kid.effects and kid.role in ("code", "import"))
            prints = prints or kid.prints
            state |= kid.state
            unknown += [u for u in kid.unknown if u not in unknown]
        defines |= acc.binds
        display = False
        if is_magic:
            role = "magic"
        elif role == "code":
            role, display = self._role(node, acc, kids, last_in_cell)
            if role != "code":
                effects = False
                unknown = []
        mutates = self.aliases.closure(mutates)
        statement = Statement(
            id=sid,
            cell=self._cell,
            pos=self.pos(node),
            end=self.end(node),
            kind=kind,
            role=role,
            defines=frozenset(defines),
            reads=frozenset(reads),
            mutates=frozenset(mutates),
            effects=effects,
            prints=prints,
            depth=depth,
            parent=parent,
            children=tuple(children),
            read_positions=tuple(reads.items()),
            define_positions=self._bound_positions(node),
            display=display,
            imports=tuple(imports),
            state=frozenset(state),
            unknown=tuple(unknown) if effects else (),
            registers=registers,
        )
        self.statements[sid] = statement
        for call in acc.calls:
            self.calls.append((sid, call))
        for found in acc.literals:
            self.literals.append((sid, found))
        return sid

    def _bound_positions(self, node: ast.stmt) -> tuple[tuple[str, Position], ...]:
        """Where an assignment binds plain names: `mae, r2 = ...` -> (("mae", 1:1), ("r2", 1:6))."""
        if not isinstance(node, ast.Assign):
            return ()
        return tuple((n.id, self.pos(n)) for t in node.targets for n in flat_targets(t) if isinstance(n, ast.Name))

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
            self.types[name] = (
                type_of_qualname(qual)
                if qual[:1].isupper() or "." in qual and qual.rsplit(".", 1)[1][:1].isupper()
                else "module"
            )
            self.constants.pop(name, None)
            self.functions.pop(name, None)
        return bound

    def _forget(self, name: str) -> None:
        self.imports.pop(name, None)
        self.constants.pop(name, None)
        self.literal_values.pop(name, None)
        self.functions.pop(name, None)
        self.aliases.forget(name)

    def _assignment(self, node: ast.Assign | ast.AugAssign | ast.AnnAssign, acc: Accumulator) -> set[str]:
        defines: set[str] = set()
        value = node.value
        if value is not None:
            self._expr(value, acc)
        if isinstance(node, ast.AugAssign):
            target: ast.expr = node.target
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
        # What the new value may share memory with, taken before the targets are rebound (`x = x[:3]`).
        shared = self._shared_with(value) if value is not None else frozenset()
        for target in targets:
            self._target(target, acc, defines)
        if isinstance(value, ast.Call) and len(targets) == 1:
            # The names bound from the call's value, in order (`mae, r2 = evaluate(...)`).
            elements = flat_targets(targets[0])
            bound = [n.id for n in elements if isinstance(n, ast.Name)]
            for index, call in enumerate(acc.calls):
                if call.pos == self.pos(value) and not call.enclosing and len(bound) == len(elements):
                    acc.calls[index] = replace(call, assigned_to=tuple(bound))
        value_type = self.type_of(value) if value is not None else None
        for target in targets:
            self._bind_types(target, value, value_type)
        if len(targets) == 1 and isinstance(targets[0], ast.Name) and value is not None:
            self._remember_constant(targets[0].id, value)
        if shared:
            for target in targets:
                for element in flat_targets(target):
                    if isinstance(element, ast.Name) and self.types.get(element.id) not in SCALAR_TYPES:
                        self.aliases.bind(element.id, shared - {element.id})
        if len(targets) == 1 and isinstance(value, ast.Constant) and isinstance(value.value, str):
            # `openai.api_key = "..."` and `os.environ["API_KEY"] = "..."` name what they hold too.
            name = target_name(targets[0])
            if name is not None:
                for index, literal in enumerate(acc.literals):
                    if literal.pos == self.pos(value):
                        acc.literals[index] = replace(literal, bound_to=name)
        return defines

    def _shared_with(self, value: ast.expr, *, iteration: bool = False) -> frozenset[str]:
        """The names (and their aliases) a value may share memory with: `base[:3]` -> base."""
        if self.type_of(value) in SCALAR_TYPES:
            return frozenset()
        roots = alias_roots(value, iteration=iteration, resolve=self.resolve, type_of=self.type_of)
        roots = {r for r in roots if r not in self.imports and self.types.get(r) not in SCALAR_TYPES}
        return self.aliases.group_of(roots) if roots else frozenset()

    def _remember_constant(self, name: str, value: ast.expr) -> None:
        evaluator = PathEvaluator(self.resolve, self.constants, self.pos)
        path = evaluator.evaluate(value)
        if path is not None:
            self.constants[name] = replace(path, variable=name) if path.variable is None and not path.folder else path
        else:
            self.constants.pop(name, None)
        value_literal = literal(value)
        if value_literal is not NOT_LITERAL and not isinstance(value_literal, (list, dict)):
            self.literal_values[name] = (value_literal, self.pos(value))
        else:
            self.literal_values.pop(name, None)

    def _target(self, target: ast.expr, acc: Accumulator, defines: set[str]) -> None:
        if isinstance(target, ast.Name):
            defines.add(target.id)
            self.imports.pop(target.id, None)
            self.functions.pop(target.id, None)
            self.aliases.forget(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(element, acc, defines)
        elif isinstance(target, ast.Starred):
            self._target(target.value, acc, defines)
        elif isinstance(target, (ast.Subscript, ast.Attribute)):
            root = root_name(target)
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
            for element, kind in zip(target.elts, element_types, strict=False):
                if isinstance(element, ast.Name):
                    self.types[element.id] = kind
                    self.constants.pop(element.id, None)
                    self.literal_values.pop(element.id, None)

    def _compound_header(self, node: ast.stmt, acc: Accumulator, defines: set[str]) -> None:
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self._expr(node.iter, acc)
            shared = self._shared_with(node.iter, iteration=True)
            if isinstance(node.iter, ast.Name) and self.types.get(node.iter.id) in STATEFUL_TYPES:
                acc.mutates.add(node.iter.id)  # `for line in f:` consumes the file
            self._target(node.target, acc, defines)
            names = [n for n in flat_targets(node.target) if isinstance(n, ast.Name)]
            for name, kind in zip(names, element_types(node.iter, len(names), self), strict=True):
                self.types[name.id] = kind
                self.constants.pop(name.id, None)
                self.literal_values.pop(name.id, None)
                if shared and kind not in SCALAR_TYPES:
                    # `for row in rows: row['k'] = 1` changes `rows`.
                    self.aliases.bind(name.id, shared - {name.id})
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
                    captured = getattr(child, "name", None)
                    if isinstance(captured, str):
                        defines.add(captured)
                if case.guard is not None:
                    self._expr(case.guard, acc)

    # -- expressions ---------------------------------------------------------------------------

    def _expr(self, node: ast.expr, acc: Accumulator) -> None:
        # Children of an expression are not all expressions (keywords, comprehensions, arguments).
        stack: list[ast.AST] = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, ast.Name):
                if isinstance(current.ctx, ast.Load) and current.id not in acc.local:
                    acc.reads.setdefault(current.id, self.pos(current))
                continue
            if isinstance(current, ast.Call):
                self._call(current, acc)
                continue
            if (
                isinstance(current, ast.Attribute)
                and isinstance(current.value, ast.Name)
                and current.value.id in self.imports
            ):
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
                for key, value in zip(current.keys, current.values, strict=False):
                    if (
                        isinstance(key, ast.Constant)
                        and isinstance(key.value, str)
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        acc.literals.append(
                            LiteralFact(pos=self.pos(value), value=value.value, bound_to=key.value, end=self.end(value))
                        )
                        continue
                    if key is not None:
                        stack.append(key)
                    stack.append(value)
                continue
            stack.extend(ast.iter_child_nodes(current))

    def _scoped(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp | ast.Lambda, acc: Accumulator
    ) -> None:
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
            receiver = root_name(func.value)
            receiver_type = self.type_of(func.value)
        return qual, method, receiver, receiver_type

    def _call(self, node: ast.Call, acc: Accumulator) -> None:
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
            keywords.append((kw.arg, literal(kw.value)))
            keyword_positions.append(self.pos(kw.value))
            if isinstance(kw.value, ast.Name):
                keyword_vars.append((kw.arg, kw.value.id))
            if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                acc.literals.append(
                    LiteralFact(pos=self.pos(kw.value), value=kw.value.value, bound_to=kw.arg, end=self.end(kw.value))
                )
        arg_names = tuple(a.id if isinstance(a, ast.Name) else None for a in node.args)
        label = print_label(node) if qual == "builtins.print" else None
        fact = CallFact(
            pos=self.pos(node),
            qualname=qual,
            method=method,
            receiver=receiver,
            receiver_type=receiver_type,
            keywords=tuple(keywords),
            keyword_names=tuple(keyword_names),
            arg_names=arg_names,
            keyword_positions=tuple(keyword_positions),
            keyword_vars=tuple(keyword_vars),
            in_function=acc.in_function,
            enclosing=tuple(acc.stack),
            label=label,
            end=self.end(node),
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

    # -- classification ------------------------------------------------------------------------

    def _has_effects(self, node: ast.stmt, acc: Accumulator) -> bool:
        if acc.writes or acc.unknown or acc.outputs:
            return True
        return any(
            self.effects.classify(c) in ("print", "write", "setting", "unknown") for c in acc.calls if not c.in_function
        )

    def _role(
        self, node: ast.stmt, acc: Accumulator, kids: list[Statement], last_in_cell: bool
    ) -> tuple[StatementRole, bool]:
        if acc.writes:
            return "code", False  # a figure saved to a file, a file opened for writing: an output
        if kids:
            if (
                all(k.role in ("plot", "explore", "magic") for k in kids)
                and not acc.mutates
                and not self._header_effects(node, acc)
            ):
                return ("plot" if any(k.role == "plot" for k in kids) else "explore"), False
            return "code", False
        top_calls = [c for c in acc.calls if not c.in_function and not c.enclosing]
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if (
                value is not None
                and all(isinstance(t, (ast.Name, ast.Tuple)) for t in targets)
                and top_calls
                and all(self.effects.displays(c) for c in top_calls)
                and not acc.mutates
            ):
                return "plot", False
            if (
                all(isinstance(t, (ast.Subscript, ast.Attribute)) for t in targets)
                and acc.mutates
                and all(self.types.get(m) == "figure" for m in acc.mutates)
            ):
                return "plot", False
            return "code", False
        if not isinstance(node, ast.Expr):
            return "code", False
        if top_calls and all(self.effects.displays(c) for c in top_calls):
            return "plot", False
        if isinstance(node.value, ast.Constant):
            return "code", False  # a docstring or a stray literal: harmless, keep as written
        if acc.mutates or any(not self.effects.pure(c) for c in acc.calls if not c.in_function):
            return "code", False
        if any(c.qualname == "builtins.print" for c in acc.calls):
            return "code", False
        return "explore", last_in_cell

    def _header_effects(self, node: ast.stmt, acc: Accumulator) -> bool:
        return any(not self.effects.pure(c) for c in acc.calls if not c.in_function)


def collect(notebook: Notebook) -> tuple[Facts, Collector]:
    collector = Collector(notebook)
    return collector.run(), collector


# -- helpers ---------------------------------------------------------------------------------------


def _imported_modules(node: ast.stmt) -> list[str]:
    """The full dotted names an import runs: `import a.b` runs `a.b`, `from a import b` may run `a.b`."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return []


def _vendored(qual: str) -> str:
    # `sklearn.externals.joblib` was a copy of joblib: `joblib.dump(...)` through it still writes a
    # file. NB501 reports the import itself from `Statement.imports`, which keeps the written name.
    for old, new in K.REMOVED_IMPORTS.items():
        if qual == old or qual.startswith(old + "."):
            return new + qual[len(old) :]
    return qual
