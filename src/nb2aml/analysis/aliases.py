"""May-alias analysis: which names may share memory, so that a mutation of one is a mutation of all.

`view = base[:3]`, `grid = flat.reshape(2, 2)`, `first = rows[0]`, `vals = s.to_numpy()`,
`w = model.coef_`, `for row in rows:` all bind a name to a view or a member of another value:
`view[:] = 0` changes `base`. The analysis over-approximates: two names that may alias are treated
as one value, which can only keep more statements, never fewer.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from .astutil import root_name

# Methods whose result may share memory with the receiver (or is the receiver itself).
VIEW_METHODS = frozenset(
    {
        "view",
        "reshape",
        "ravel",
        "transpose",
        "squeeze",
        "swapaxes",
        "to_numpy",
        "__array__",
        "get",
        "setdefault",
        "items",
        "values",
        "keys",
        "head",
        "tail",
        "xs",
        "fit",
        "partial_fit",
        "set_params",
        "__enter__",
        "__iter__",
        "__getitem__",
        "iterrows",
        "itertuples",
        "groupby",
        "rolling",
        "expanding",
        "resample",
    }
)
# Functions whose result may share memory with their arguments.
VIEW_FUNCTIONS = frozenset(
    {
        "asarray",
        "asanyarray",
        "ascontiguousarray",
        "asfortranarray",
        "ravel",
        "reshape",
        "transpose",
        "squeeze",
        "swapaxes",
        "moveaxis",
        "rollaxis",
        "atleast_1d",
        "atleast_2d",
        "atleast_3d",
        "expand_dims",
        "broadcast_to",
        "diagonal",
        "real",
        "imag",
        "frombuffer",
        "iter",
        "reversed",
        "enumerate",
        "zip",
        "map",
        "filter",
        "next",
        "memoryview",
        "DataFrame",
        "Series",
        "as_strided",
        "sliding_window_view",
        "nditer",
    }
)
# Shallow copies: a new container, but its members are the old members.
SHALLOW_COPIES = frozenset({"list", "dict", "set", "tuple", "sorted", "copy", "frozenset"})
# Kinds of value that hold no mutable member: binding one never creates an alias.
SCALAR_TYPES = frozenset({"str", "number", "bool", "none", "bytes", "path", "module", "function", "class"})

Resolve = Callable[[ast.expr], "str | None"]
TypeOf = Callable[[ast.expr], "str | None"]


def alias_roots(
    node: ast.expr | None, *, iteration: bool = False, resolve: Resolve | None = None, type_of: TypeOf | None = None
) -> set[str]:
    """The names whose value `node` may share memory with. With `iteration`, what the elements of
    iterating `node` may share memory with (`zip(xs, ys)` -> xs, ys)."""
    if node is None:
        return set()
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Subscript) and (
        isinstance(node.slice, ast.List) or (type_of and type_of(node.slice) == "list")
    ):
        return set()  # `df[["a", "b"]]`, `df[features]`, `a[[0, 2]]`: selecting by a list copies
    if isinstance(node, (ast.Subscript, ast.Attribute)):
        if resolve is not None and isinstance(node, ast.Attribute) and resolve(node) is not None:
            return set()  # `np.pi`, `pd.NA`: a module's attribute
        root = root_name(node)
        return {root} if root else set()
    if isinstance(node, (ast.Starred, ast.NamedExpr, ast.Await)):
        return alias_roots(node.value, iteration=iteration, resolve=resolve, type_of=type_of)
    if isinstance(node, ast.IfExp):
        return alias_roots(node.body, resolve=resolve, type_of=type_of) | alias_roots(
            node.orelse, resolve=resolve, type_of=type_of
        )
    if isinstance(node, ast.BoolOp):
        return set().union(*(alias_roots(v, resolve=resolve, type_of=type_of) for v in node.values))
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return set().union(set(), *(alias_roots(e, resolve=resolve, type_of=type_of) for e in node.elts))
    if isinstance(node, ast.Dict):
        return set().union(set(), *(alias_roots(v, resolve=resolve, type_of=type_of) for v in node.values))
    if isinstance(node, ast.Call):
        return _call_roots(node, iteration, resolve, type_of)
    return set()


def _call_roots(node: ast.Call, iteration: bool, resolve: Resolve | None, type_of: TypeOf | None) -> set[str]:
    func = node.func
    arguments = [*node.args, *(kw.value for kw in node.keywords)]
    qual = resolve(func) if resolve is not None else None
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None

    def roots_of(argument: ast.expr) -> set[str]:
        return alias_roots(argument, iteration=iteration, resolve=resolve, type_of=type_of)

    if qual is not None:
        last = qual.rsplit(".", 1)[-1]
        if qual.startswith("<local>."):
            # A user function may return its argument, or a part of it.
            return set().union(set(), *(roots_of(a) for a in arguments))
        if last in VIEW_FUNCTIONS or iteration:
            return set().union(set(), *(roots_of(a) for a in node.args))
        if last in SHALLOW_COPIES and qual.startswith(("builtins.", "copy.")):
            return set().union(set(), *(roots_of(a) for a in node.args if _may_hold_mutables(a, type_of)))
        return set()
    if isinstance(func, ast.Attribute):
        receiver_kind = type_of(func.value) if type_of is not None else None
        if name in VIEW_METHODS or iteration or receiver_kind in (None, "object"):
            roots = roots_of(func.value)
            if iteration:
                roots |= set().union(set(), *(roots_of(a) for a in node.args))
            return roots
        return set()
    if resolve is None and (name in VIEW_FUNCTIONS or name in SHALLOW_COPIES or iteration or name is not None):
        # Inside a function body nothing is resolved: any call may return what it is given.
        return set().union(set(), *(roots_of(a) for a in arguments))
    return set()


def _may_hold_mutables(node: ast.expr, type_of: TypeOf | None) -> bool:
    kind = type_of(node) if type_of is not None else None
    return kind in (None, "list", "dict", "set", "tuple", "object")


class AliasSets:
    """Groups of names that may share memory, kept closed: every member lists every other one."""

    def __init__(self) -> None:
        self.groups: dict[str, frozenset[str]] = {}

    def get(self, name: str) -> frozenset[str]:
        return self.groups.get(name, frozenset())

    def forget(self, name: str) -> None:
        """`name` is rebound: it no longer shares memory with its old group."""
        for member in self.groups.pop(name, frozenset()):
            rest = self.groups.get(member, frozenset()) - {name}
            if rest:
                self.groups[member] = rest
            else:
                self.groups.pop(member, None)

    def group_of(self, roots: set[str]) -> frozenset[str]:
        """Every name that may share memory with one of `roots`, computed before a rebinding."""
        found: set[str] = set(roots)
        for root in roots:
            found |= self.groups.get(root, frozenset())
        return frozenset(found)

    def bind(self, name: str, group: frozenset[str]) -> None:
        """`name` now shares memory with every member of `group` (and they with one another)."""
        members = group | {name}
        if len(members) < 2:
            return
        for member in members:
            self.groups[member] = members - {member}

    def closure(self, names: set[str]) -> set[str]:
        out = set(names)
        for name in names:
            out |= self.groups.get(name, frozenset())
        return out
