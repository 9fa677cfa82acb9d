"""What kind of value an expression holds, from the notebook's imports and assignments.

The kinds are coarse on purpose: they decide whether a method call mutates its receiver, draws,
writes or only looks, and whether an assignment may share memory with another name. An unknown
kind (None) is always treated the cautious way by the callers.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Literal, Protocol

from . import knowledge as K

ValueType = Literal[
    "module",
    "pandas",
    "ndarray",
    "estimator",
    "figure",
    "path",
    "str",
    "number",
    "bool",
    "none",
    "list",
    "dict",
    "set",
    "tuple",
    "bytes",
    "file",
    "object",
    "class",
    "function",
    "rng",
    "iterator",
    "connection",
]
# Objects whose every method may advance their state: a draw, a `next`, a query, a read.
STATEFUL_TYPES: frozenset[str] = frozenset({"rng", "iterator", "connection", "file"})

_RNG_CONSTRUCTORS = frozenset(
    {
        "numpy.random.RandomState",
        "numpy.random.default_rng",
        "numpy.random.Generator",
        "numpy.random.PCG64",
        "numpy.random.MT19937",
        "numpy.random.Philox",
        "numpy.random.SFC64",
        "random.Random",
        "random.SystemRandom",
    }
)
_CONNECTIONS = frozenset(
    {
        "sqlite3.connect",
        "sqlalchemy.create_engine",
        "psycopg2.connect",
        "pymysql.connect",
        "pyodbc.connect",
        "duckdb.connect",
        "mysql.connector.connect",
    }
)
_FILES = frozenset(
    {
        "builtins.open",
        "io.open",
        "gzip.open",
        "bz2.open",
        "lzma.open",
        "csv.writer",
        "csv.DictWriter",
        "pandas.ExcelWriter",
        "pandas.HDFStore",
        "tempfile.NamedTemporaryFile",
        "zipfile.ZipFile",
    }
)
_ITERATORS = frozenset(
    {
        "builtins.iter",
        "builtins.zip",
        "builtins.map",
        "builtins.filter",
        "builtins.enumerate",
        "builtins.reversed",
        "csv.reader",
        "csv.DictReader",
    }
)
_BUILTIN_RESULTS: dict[str, ValueType] = {
    "list": "list",
    "dict": "dict",
    "set": "set",
    "tuple": "tuple",
    "str": "str",
    "int": "number",
    "float": "number",
    "len": "number",
    "bool": "bool",
    "sorted": "list",
    "bytes": "bytes",
    "abs": "number",
    "round": "number",
    "sum": "number",
    "repr": "str",
    "frozenset": "set",
}
_PANDAS_ATTRIBUTES: dict[str, ValueType] = {
    "shape": "tuple",
    "values": "ndarray",
    "size": "number",
    "ndim": "number",
    "empty": "bool",
    "style": "figure",
    "plot": "figure",
}
_NDARRAY_ATTRIBUTES: dict[str, ValueType] = {
    "T": "ndarray",
    "real": "ndarray",
    "imag": "ndarray",
    "flat": "ndarray",
    "shape": "tuple",
    "size": "number",
    "ndim": "number",
    "nbytes": "number",
    "itemsize": "number",
}
_ESTIMATOR_ARRAYS = frozenset(
    {
        "predict",
        "predict_proba",
        "predict_log_proba",
        "transform",
        "fit_transform",
        "decision_function",
        "fit_predict",
        "inverse_transform",
    }
)
_PATH_METHODS = frozenset({"joinpath", "with_suffix", "with_name", "resolve", "absolute", "expanduser"})
_FILE_METHODS: dict[str, ValueType] = {"read": "str", "readline": "str", "readlines": "list"}


class Scope(Protocol):
    """What the inference reads of the collector's state: imports, name kinds, user functions."""

    # Read-only members, so that the collector's `dict` attributes satisfy them.
    @property
    def imports(self) -> Mapping[str, str]: ...

    @property
    def types(self) -> Mapping[str, str | None]: ...

    @property
    def functions(self) -> Mapping[str, object]: ...

    def resolve(self, node: ast.expr) -> str | None: ...


def type_of_qualname(qual: str | None) -> ValueType | None:
    """The kind of what calling (or reading) a resolved name gives: `pandas.read_csv` -> pandas."""
    if not qual:
        return None
    if qual in _RNG_CONSTRUCTORS:
        return "rng"
    if qual in _CONNECTIONS:
        return "connection"
    if qual in _FILES:
        return "file"
    if qual in _ITERATORS:
        return "iterator"
    head = qual.split(".")[0]
    last = qual.rsplit(".", 1)[-1]
    if head == "pandas":
        return "pandas" if last not in ("set_option", "options") else None
    if head == "numpy":
        return "ndarray"
    if head in K.ESTIMATOR_MODULES and last[:1].isupper():
        return "estimator"
    if qual.startswith(K.PLOT_MODULES) or qual.startswith(K.DISPLAY_MODULES):
        return "figure"
    if qual in ("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"):
        return "path"
    return None


def _constant_type(value: object) -> ValueType | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, complex)):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, bytes):
        return "bytes"
    return "none" if value is None else None


def infer_type(node: ast.expr, scope: Scope) -> ValueType | None:
    """The kind of the value `node` evaluates to, or None when it cannot be told."""
    if isinstance(node, ast.Name):
        if node.id in scope.imports:
            return "module"
        return scope.types.get(node.id)  # type: ignore[return-value]
    if isinstance(node, ast.Constant):
        return _constant_type(node.value)
    if isinstance(node, ast.Call):
        return _call_type(node, scope)
    if isinstance(node, (ast.List, ast.ListComp)):
        return "list"
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return "dict"
    if isinstance(node, (ast.Set, ast.SetComp)):
        return "set"
    if isinstance(node, ast.Tuple):
        return "tuple"
    if isinstance(node, ast.GeneratorExp):
        return "iterator"
    if isinstance(node, ast.JoinedStr):
        return "str"
    if isinstance(node, ast.Subscript):
        base = infer_type(node.value, scope)
        return base if base in ("pandas", "ndarray", "figure") else None
    if isinstance(node, ast.Attribute):
        return _attribute_type(node, scope)
    if isinstance(node, ast.BinOp):
        return _binop_type(infer_type(node.left, scope), infer_type(node.right, scope))
    if isinstance(node, ast.UnaryOp):
        return "bool" if isinstance(node.op, ast.Not) else infer_type(node.operand, scope)
    if isinstance(node, ast.Compare):
        left = infer_type(node.left, scope)
        return left if left in ("pandas", "ndarray") else "bool"
    if isinstance(node, ast.IfExp):
        body, orelse = infer_type(node.body, scope), infer_type(node.orelse, scope)
        return body if body == orelse else None
    return None


def _attribute_type(node: ast.Attribute, scope: Scope) -> ValueType | None:
    base = infer_type(node.value, scope)
    if base == "pandas":
        return _PANDAS_ATTRIBUTES.get(node.attr, "pandas")
    if base == "ndarray":
        return _NDARRAY_ATTRIBUTES.get(node.attr)
    if base == "figure":
        return "figure"
    qual = scope.resolve(node)
    return type_of_qualname(qual) if qual else None


def _binop_type(left: ValueType | None, right: ValueType | None) -> ValueType | None:
    kinds: tuple[ValueType, ...] = ("pandas", "ndarray", "path")
    for kind in kinds:
        if kind in (left, right):
            return kind
    if left == right and left in ("str", "list", "tuple"):
        return left
    if left in ("number", "bool") and right in ("number", "bool"):
        return "number"
    return None


def _call_type(node: ast.Call, scope: Scope) -> ValueType | None:
    qual = scope.resolve(node.func)
    if qual is not None:
        if qual.startswith("<local>."):
            summary = scope.functions.get(qual[8:])
            return "object" if summary is not None and getattr(summary, "is_class", False) else None
        kind = type_of_qualname(qual)
        if kind is not None:
            return kind
        if qual.startswith("builtins."):
            return _BUILTIN_RESULTS.get(qual[9:])
        return None
    if isinstance(node.func, ast.Attribute):
        return method_result_type(infer_type(node.func.value, scope), node.func.attr)
    return None


def method_result_type(receiver: ValueType | None, method: str) -> ValueType | None:
    """The kind `receiver.method(...)` returns."""
    if receiver == "pandas":
        if method == "to_numpy":
            return "ndarray"
        if method in ("tolist", "to_list"):
            return "list"
        if method == "to_dict":
            return "dict"
        if method.startswith("to_") and method not in ("to_frame", "to_datetime", "to_period", "to_timestamp"):
            return None  # a writer or a conversion to something else
        if method in K.PANDAS_PLOT_METHODS:
            return "figure"
        return "pandas"
    if receiver == "estimator":
        if method in ("fit", "set_params", "partial_fit"):
            return "estimator"
        if method in _ESTIMATOR_ARRAYS:
            return "ndarray"
        return "number" if method == "score" else None
    if receiver == "figure":
        return "figure"
    if receiver == "path":
        return "path" if method in _PATH_METHODS else None
    if receiver == "str":
        return "list" if method in ("split", "rsplit", "splitlines") else "str"
    if receiver == "ndarray":
        return "list" if method == "tolist" else "ndarray"
    if receiver == "connection":
        return "connection" if method in ("cursor", "execute", "executemany", "executescript") else None
    if receiver == "file":
        return _FILE_METHODS.get(method)
    return None


def element_types(iterable: ast.expr, count: int, scope: Scope) -> list[ValueType | None]:
    """Kinds of the names a `for` target binds: `for ax in axes.flat` -> figure;
    `for i, ax in enumerate(axes)` -> number, figure; `for a, b in zip(xs, axes)` -> (?, figure)."""
    if isinstance(iterable, ast.Call):
        qual = scope.resolve(iterable.func)
        if qual == "builtins.enumerate" and iterable.args and count == 2:
            return ["number", _element(infer_type(iterable.args[0], scope))]
        if qual == "builtins.zip" and len(iterable.args) == count:
            return [_element(infer_type(a, scope)) for a in iterable.args]
    kind = _element(infer_type(iterable, scope))
    return [kind] * count


def _element(container: ValueType | None) -> ValueType | None:
    # The cells of a grid of axes are axes; an array's rows are arrays.
    # Iterating a frame gives its column labels, not frames: unknown.
    return container if container in ("figure", "ndarray") else None
