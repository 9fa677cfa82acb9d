"""User functions: what calling one does, summarised once from its body and used at every call site."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import Direction
from .aliases import alias_roots
from .astutil import flat_targets, root_name


@dataclass(frozen=True)
class FunctionSummary:
    name: str
    params: tuple[str, ...]
    free_reads: frozenset[str]
    mutated_params: frozenset[int]
    global_writes: frozenset[str]  # declared `global` and assigned, or module-level values it mutates
    plots_only: bool  # its body only draws or shows: calling it is plotting
    is_class: bool = False
    # Parameters the body reads or writes a file through (`def load_data(path): pd.read_csv(path)`):
    # (index, name, direction, I/O call, folder). A call passing a literal there uses that path.
    path_params: tuple[tuple[int, str, Direction, str, bool], ...] = ()
    writes: bool = False  # prints, writes a file or a database: every call is an output
    unknown: tuple[str, ...] = ()  # calls in its body whose effect is unknown
    random_state: bool = False  # draws from the process-wide random generators
    draws: bool = False  # draws into the current figure
    returns_value: bool = True  # has a `return <value>`: a call gives something to log or hand over

    @property
    def effect_free(self) -> bool:
        """Calling it changes nothing but its arguments and globals, which the slice follows."""
        return not self.writes and not self.unknown


def local_aliases(node: ast.AST) -> dict[str, set[str]]:
    """Inside a body: which names may share memory with which (`first = rows[0]`, `for r in rows`)."""
    pairs: dict[str, set[str]] = {}
    for current in ast.walk(node):
        if isinstance(current, ast.Assign):
            roots = alias_roots(current.value)
            for target in current.targets:
                for element in flat_targets(target):
                    if isinstance(element, ast.Name) and roots:
                        pairs.setdefault(element.id, set()).update(roots)
        elif isinstance(current, (ast.For, ast.AsyncFor, ast.comprehension)):
            roots = alias_roots(current.iter, iteration=True)
            for bound in ast.walk(current.target):
                if isinstance(bound, ast.Name) and roots:
                    pairs.setdefault(bound.id, set()).update(roots)
        elif isinstance(current, (ast.With, ast.AsyncWith)):
            for item in current.items:
                if isinstance(item.optional_vars, ast.Name):
                    pairs.setdefault(item.optional_vars.id, set()).update(alias_roots(item.context_expr))
    return pairs


def close_mutations(mutated: set[str], pairs: dict[str, set[str]]) -> set[str]:
    """Every name a mutation of `mutated` may reach through `pairs`, both ways."""
    neighbours: dict[str, set[str]] = {}
    for name, roots in pairs.items():
        for root in roots:
            neighbours.setdefault(name, set()).add(root)
            neighbours.setdefault(root, set()).add(name)
    seen = set(mutated)
    stack = list(mutated)
    while stack:
        for other in neighbours.get(stack.pop(), ()):
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


def target_roots(node: ast.AST) -> set[str]:
    """Roots of the subscripts and attributes a body assigns to: `rows[0]['k'] = 1` -> rows."""
    roots: set[str] = set()
    for current in ast.walk(node):
        targets: list[ast.expr] = []
        if isinstance(current, ast.Assign):
            targets = current.targets
        elif isinstance(current, (ast.AugAssign, ast.AnnAssign)):
            targets = [current.target]
        elif isinstance(current, ast.Delete):
            targets = current.targets
        for target in targets:
            for element in flat_targets(target):
                if isinstance(element, (ast.Subscript, ast.Attribute)):
                    root = root_name(element)
                    if root:
                        roots.add(root)
    return roots


def locally_bound(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> set[str]:
    """Names a function body binds (its locals), minus those declared global."""
    bound: set[str] = set()
    declared: set[str] = set()
    stack: list[ast.AST] = list(node.body) if not isinstance(node, ast.ClassDef) else list(node.body)
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


def global_writes(node: ast.AST) -> set[str]:
    declared: set[str] = set()
    for current in ast.walk(node):
        if isinstance(current, ast.Global):
            declared.update(current.names)
    return declared


def returns_value(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(node))


SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def free_names(
    node: ast.FunctionDef
    | ast.AsyncFunctionDef
    | ast.ClassDef
    | ast.Lambda
    | ast.ListComp
    | ast.SetComp
    | ast.DictComp
    | ast.GeneratorExp,
) -> set[str]:
    """Names a function, class, lambda or comprehension reads from the scopes around it."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = node.args
        local = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        local |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        body: Sequence[ast.AST] = node.body if isinstance(node.body, list) else [node.body]
        if not isinstance(node, ast.Lambda):
            local |= locally_bound(node)
    elif isinstance(node, ast.ClassDef):
        local = locally_bound(node)
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
        if isinstance(current, SCOPES):
            loads |= free_names(current)
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
