"""User functions and classes as the collector meets them: their reads and a summary of their effects.

A part of the fact collector (`collect.Collector` mixes it in). The summary says what calling the
function does (draws, prints or writes, changes arguments or globals, or something unknown) and is
applied at every call site by `calls.CallFacts`.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from . import knowledge as K
from .accumulator import Accumulator
from .astutil import flat_targets, root_name
from .effects import describe_call, global_random_state
from .functions import (
    FunctionSummary,
    close_mutations,
    free_names,
    global_writes,
    local_aliases,
    locally_bound,
    returns_value,
    target_roots,
)

if TYPE_CHECKING:
    from ..types import CallFact, Direction, Position
    from .astutil import Located
    from .effects import EffectModel

# Methods that only change their receiver, whatever it holds: inside a function, on a local or an argument.
CONTAINER_MUTATORS = frozenset().union(*(K.MUTATING_METHODS_BY_TYPE[k] for k in ("list", "dict", "set")))


class DefinitionFacts:
    """Mixed into the collector: `def` and `class` statements."""

    if TYPE_CHECKING:
        # The collector's state and methods this part reads; `collect.Collector` and `calls.CallFacts` define them.
        imports: dict[str, str]
        types: dict[str, str | None]
        functions: dict[str, FunctionSummary]
        effects: EffectModel

        def pos(self, node: Located) -> Position: ...

        def resolve(self, node: ast.expr) -> str | None: ...

        def type_of(self, node: ast.expr) -> str | None: ...

        def _expr(self, node: ast.expr, acc: Accumulator) -> None: ...

        def _head_fact(self, node: ast.Call) -> CallFact: ...

        def _call_mutations(self, node: ast.Call, fact: CallFact) -> set[str]: ...

        def _writes(self, node: ast.Call, fact: CallFact) -> bool: ...

        def _path_params(
            self, node: ast.AST, params: tuple[str, ...]
        ) -> tuple[tuple[int, str, Direction, str, bool], ...]: ...

    def _definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, acc: Accumulator) -> None:
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
        inner = Accumulator()
        inner.in_function = True
        local = set(params) | locally_bound(node)
        inner.local = local
        saved_types = dict(self.types)
        for name in params:
            self.types[name] = None
        for statement in node.body:
            self._function_body(statement, inner)
        free = free_names(node)
        declared = global_writes(node)
        for name in sorted(free | declared):
            acc.reads.setdefault(name, inner.reads.get(name) or self.pos(node))
        acc.calls.extend(inner.calls)
        acc.literals.extend(inner.literals)
        # Summarised with the body's own types (its parameters unknown, its figures figures).
        summary = self._summary(node, params, local, free | declared, declared, inner)
        self.types = saved_types
        self.functions[node.name] = summary
        self.types[node.name] = "class" if isinstance(node, ast.ClassDef) else "function"
        self.imports.pop(node.name, None)

    def _summary(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
        params: tuple[str, ...],
        local: set[str],
        free: set[str],
        declared: set[str],
        inner: Accumulator,
    ) -> FunctionSummary:
        """What calling the function does, from its body: the calls it makes and the names it changes."""
        mutated = set(inner.mutates) | target_roots(node)
        for call in ast.walk(node):
            if isinstance(call, ast.Call):
                mutated |= self._call_mutations(call, self._head_fact(call))
        mutated = close_mutations(mutated, local_aliases(node))
        outside = {name for name in mutated - local if name not in self.imports}
        writes = any(name in self.imports for name in mutated - local)  # `os.environ[...] = ...`: process state
        unknown: list[str] = []
        draws = random_state = False
        for fact in inner.calls:
            effect = self.effects.classify(fact)
            if effect in ("print", "write", "setting"):
                writes = True
            elif effect == "unknown" and not (fact.method in CONTAINER_MUTATORS and fact.receiver is not None):
                unknown.append(describe_call(fact))
            draws = draws or effect == "plot"
            random_state = random_state or global_random_state(fact)
        if any(isinstance(c, ast.Call) and self._writes(c, self._head_fact(c)) for c in ast.walk(node)):
            writes = True
        is_class = isinstance(node, ast.ClassDef)
        changes = bool(outside or declared or any(p in mutated for p in params))
        plots_only = draws and not writes and not unknown and not changes and not returns_value(node) and not is_class
        return FunctionSummary(
            name=node.name,
            params=params,
            free_reads=frozenset(free),
            mutated_params=frozenset(i for i, p in enumerate(params) if p in mutated),
            global_writes=frozenset(declared | outside),
            plots_only=plots_only,
            is_class=is_class,
            path_params=self._path_params(node, params),
            writes=writes,
            unknown=tuple(dict.fromkeys(unknown)),
            random_state=random_state,
            draws=draws,
            returns_value=returns_value(node),
        )

    def _function_body(self, node: ast.AST, inner: Accumulator) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for statement in node.body:
                self._function_body(statement, inner)
            return
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, (ast.Subscript, ast.Attribute)):
                    root = root_name(target)
                    if root:
                        inner.mutates.add(root)
        if isinstance(node, ast.expr):
            self._expr(node, inner)
            return
        for child in ast.iter_child_nodes(node):
            self._function_body(child, inner)
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            self._bind_local_figures(node.targets[0], node.value)

    def _bind_local_figures(self, target: ast.expr, value: ast.expr) -> None:
        """`fig, axs = plt.subplots(1, 2)` in a helper: `axs[0].bar(...)` draws, as it does at the top
        level (kaggle_fe_tut5_pca's `plot_variance`). Only figures: the names are the function's own,
        and the types are restored when the body ends."""
        qual = self.resolve(value.func) if isinstance(value, ast.Call) else None
        if self.type_of(value) != "figure" and not (qual or "").startswith("matplotlib"):
            return
        for element in flat_targets(target):
            if isinstance(element, ast.Name):
                self.types[element.id] = "figure"
