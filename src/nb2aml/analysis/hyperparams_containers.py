"""Hyperparameters where real notebooks keep them: in containers, not in estimator keywords.

- a dict handed to a training API (`lgb.train(params, ...)`, `xgb.train(params, ...)`) or
  unpacked into a model (`RandomForestClassifier(**rf_params)`, `model.set_params(**p)`);
- a config object: a class holding only literals (`class args: lr = 0.01`), a dataclass, a
  `SimpleNamespace(lr=0.01)` / `argparse.Namespace(...)`;
- an argparse parser the notebook feeds with `parser.parse_args([])`: each `add_argument` default;
- the usual hyperparameter names of a training loop bound to a literal (`epochs = 5`, `lr = 0.01`).

Each literal becomes a `Parameter` at the literal's position, so the rewrite replaces exactly that
literal with `args.<name>`: the dict, the class and the parser keep their shape, and the job's
default is the notebook's value. Named after the key where no other container has the same key,
else `<container>_<key>` (`params_learning_rate`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..naming import UniqueNames, identifier
from ..secrets import classify_secret
from ..types import CallFact, Cell, Facts, Parameter, Position
from . import knowledge as K
from .astutil import Located
from .parameters import is_model_call, param_type

# Training APIs taking the hyperparameters as a dict: first positional argument or `params=`.
TRAIN_APIS = frozenset(
    {"lightgbm.train", "lightgbm.cv", "xgboost.train", "xgboost.cv", "catboost.train", "catboost.cv"}
)
NAMESPACE_CALLS = frozenset({"types.SimpleNamespace", "argparse.Namespace", "builtins.dict"})
# Names a training loop's hyperparameters go by, when bound to a literal at the top level.
LOOP_HYPERPARAMETERS = frozenset(
    {
        "epochs",
        "n_epochs",
        "num_epochs",
        "max_epochs",
        "epoch_count",
        "batch_size",
        "max_iter",
        "n_iter",
        "num_iterations",
        "seed",
        "random_seed",
        "lr",
        "learning_rate",
        "eta",
        "weight_decay",
        "momentum",
        "dropout",
        "dropout_rate",
        "hidden_size",
        "hidden_dim",
        "n_hidden",
        "num_layers",
        "n_layers",
        "patience",
        "num_boost_round",
        "n_estimators",
        "max_depth",
        "num_leaves",
        "reg_alpha",
        "reg_lambda",
        "subsample",
        "colsample_bytree",
        "min_child_weight",
        "n_neighbors",
        "warmup_steps",
        "grad_clip",
        "clip_norm",
        "embedding_dim",
    }
)


def find_container_parameters(
    facts: Facts,
    names: UniqueNames,
    known: tuple[Parameter, ...],
    excluded: frozenset[Position],
    asset_variables: set[str],
    kept: frozenset[int],
) -> tuple[Parameter, ...]:
    """The container and training-loop hyperparameters not already in `known`.

    `excluded`: literals that are something else (paths); `kept`: the statements the script keeps,
    the only ones whose reads make a loop name a hyperparameter (`alpha=` of a plot is not one).
    """
    calls_at = {call.pos: call for _, call in facts.calls if not call.in_function}
    taken = {p.pos for p in known} | set(excluded)
    entries: list[tuple[str, str, object, Position]] = []  # (container, key, value, literal position)
    for cell in facts.notebook.cells:
        tree = _parse(cell)
        if tree is None:
            continue
        where = _Positions(cell)
        containers = _dict_containers(tree, calls_at, where)
        entries += _train_api_keywords(tree, calls_at, where)
        for statement in tree.body:
            entries += _dict_entries(statement, containers, where)
            entries += _class_entries(statement, facts, where)
            entries += _namespace_entries(statement, calls_at, where)
        entries += _argparse_entries(tree, calls_at, where)
    # A credential stays where it is: NB601 moves it to an environment variable, never into job.yml.
    entries = [
        e
        for e in entries
        if e[3] not in taken
        and param_type(e[2]) is not None
        and not (isinstance(e[2], str) and classify_secret(e[2], e[1]))
    ]
    key_counts: dict[str, int] = {}
    for _, key, _, _ in entries:
        key_counts[key] = key_counts.get(key, 0) + 1
    found: dict[Position, Parameter] = {}
    for container, key, value, pos in sorted(entries, key=lambda e: e[3]):
        kind = param_type(value)
        if pos in found or kind is None:  # `kind` never None: `entries` keeps only values with a type
            continue
        plain = identifier(key, "param")
        wanted = (
            plain if key_counts[key] == 1 and plain not in names.taken else identifier(f"{container}_{key}", "param")
        )
        found[pos] = Parameter(
            name=names.claim(wanted), value=value, type=kind, pos=pos, origin="container", call=container
        )
    known_names = {p.name for p in known}
    read_by_kept = {
        name for s in facts.statements if s.depth == 0 and s.id in kept and s.role == "code" for name in s.reads
    }
    for name, (value, pos) in sorted(facts.constants.items(), key=lambda kv: kv[1][1]):
        if (
            name in LOOP_HYPERPARAMETERS
            and name in read_by_kept
            and name not in known_names
            and name not in asset_variables
            and pos not in taken
            and pos not in found
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
            and (number_type := param_type(value)) is not None
        ):
            found[pos] = Parameter(
                name=names.claim(identifier(name, "param")), value=value, type=number_type, pos=pos, origin="variable"
            )
    return tuple(sorted(found.values(), key=lambda p: p.pos))


class _Positions:
    """1-based columns in characters, as the collector reports them (ast gives UTF-8 byte offsets)."""

    def __init__(self, cell: Cell) -> None:
        self.cell = cell.number
        self.lines = None if cell.python.isascii() else cell.python.split("\n")

    def __call__(self, node: Located) -> Position:
        col = node.col_offset
        if self.lines is not None:
            col = len(self.lines[node.lineno - 1].encode("utf-8")[:col].decode("utf-8", "replace"))
        return Position(self.cell, node.lineno, col + 1)


def _parse(cell: Cell) -> ast.Module | None:
    if cell.kind != "code" or cell.foreign or not cell.python.strip():
        return None
    try:
        return ast.parse(cell.python)
    except (SyntaxError, ValueError):
        return None


def _literal(node: ast.expr) -> object:
    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int, float, str)):
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and isinstance(node.operand.value, (int, float))
        and not isinstance(node.operand.value, bool)
    ):
        return -node.operand.value
    return None


def _top_level_calls(tree: ast.Module) -> Iterator[ast.Call]:
    """Calls outside function and class bodies (those run when the cell runs)."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _dict_containers(tree: ast.Module, calls_at: dict[Position, CallFact], where: _Positions) -> set[str]:
    """Names of dicts the cell hands to a training API or unpacks into a model."""
    names: set[str] = set()
    for node in _top_level_calls(tree):
        fact = calls_at.get(where(node))
        if fact is None:
            continue
        if fact.qualname in TRAIN_APIS:
            argument = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "params"), None)
            if isinstance(argument, ast.Name):
                names.add(argument.id)
        unpacks_into_model = is_model_call(fact.qualname, fact.method, fact.receiver_type) or fact.method in (
            "set_params",
            "fit",
        )
        if unpacks_into_model or (fact.qualname or "").split(".")[0] in K.ESTIMATOR_MODULES:
            names |= {k.value.id for k in node.keywords if k.arg is None and isinstance(k.value, ast.Name)}
    return names


def _train_api_keywords(
    tree: ast.Module, calls_at: dict[Position, CallFact], where: _Positions
) -> list[tuple[str, str, object, Position]]:
    """`lgb.train(params, train_set, num_boost_round=100)`: the literal keywords besides the dict."""
    out = []
    for node in _top_level_calls(tree):
        fact = calls_at.get(where(node))
        if fact is not None and fact.qualname in TRAIN_APIS:
            container = fact.qualname.rsplit(".", 1)[-1]
            out += [
                (container, k.arg, _literal(k.value), where(k.value))
                for k in node.keywords
                if k.arg is not None and k.arg not in K.NON_HYPER_KEYWORDS and k.arg != "params"
            ]
    return out


def _dict_entries(
    statement: ast.stmt, containers: set[str], where: _Positions
) -> list[tuple[str, str, object, Position]]:
    if (
        not isinstance(statement, ast.Assign)
        or len(statement.targets) != 1
        or not isinstance(statement.targets[0], ast.Name)
    ):
        return []
    name = statement.targets[0].id
    if name not in containers:
        return []
    value = statement.value
    out = []
    if isinstance(value, ast.Dict):
        for key, item in zip(value.keys, value.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in K.NON_HYPER_KEYWORDS:
                out.append((name, key.value, _literal(item), where(item)))
    elif (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict" and not value.args
    ):
        for keyword in value.keywords:
            if keyword.arg is not None and keyword.arg not in K.NON_HYPER_KEYWORDS:
                out.append((name, keyword.arg, _literal(keyword.value), where(keyword.value)))
    return out


def _class_entries(statement: ast.stmt, facts: Facts, where: _Positions) -> list[tuple[str, str, object, Position]]:
    """`class args: lr = 0.01` (only literal assignments) or a `@dataclass` (its literal defaults)."""
    if not isinstance(statement, ast.ClassDef) or statement.bases and not _is_dataclass(statement):
        return []
    dataclass = _is_dataclass(statement)
    fields = []
    for item in statement.body:
        if isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name):
            fields.append((item.targets[0].id, item.value))
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name) and item.value is not None:
            fields.append((item.target.id, item.value))
        elif isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant) or isinstance(item, ast.Pass):
            continue
        elif not (dataclass and isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.AnnAssign))):
            return []  # a class with behaviour is not a config object
    if not fields or not any(statement.name in s.reads for s in facts.statements):
        return []
    if not dataclass and any(_literal(value) is None for _, value in fields):
        return []  # a class body that computes (`double = size * 2`) is code, not a table of settings
    return [
        (statement.name, field, _literal(value), where(value)) for field, value in fields if not field.startswith("_")
    ]


def _is_dataclass(node: ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
        if name == "dataclass":
            return True
    return False


def _namespace_entries(
    statement: ast.stmt, calls_at: dict[Position, CallFact], where: _Positions
) -> list[tuple[str, str, object, Position]]:
    """`cfg = SimpleNamespace(lr=0.01, epochs=5)`."""
    if (
        not isinstance(statement, ast.Assign)
        or len(statement.targets) != 1
        or not isinstance(statement.targets[0], ast.Name)
    ):
        return []
    value = statement.value
    if not isinstance(value, ast.Call):
        return []
    fact = calls_at.get(where(value))
    if fact is None or fact.qualname not in NAMESPACE_CALLS or fact.qualname == "builtins.dict":
        return []
    name = statement.targets[0].id
    return [
        (name, k.arg, _literal(k.value), where(k.value))
        for k in value.keywords
        if k.arg is not None and k.arg not in K.NON_HYPER_KEYWORDS
    ]


def _argparse_entries(
    tree: ast.Module, calls_at: dict[Position, CallFact], where: _Positions
) -> list[tuple[str, str, object, Position]]:
    """`parser.add_argument('--lr', type=float, default=0.01)` of a parser run with `parse_args([])`."""
    calls = list(_top_level_calls(tree))
    parsers = set()
    for node in calls:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "parse_args" and isinstance(func.value, ast.Name):
            argument = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "args"), None)
            if isinstance(argument, (ast.List, ast.Tuple)) and not argument.elts:
                parsers.add(func.value.id)
    out = []
    for node in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
        func = node.func
        if not (
            isinstance(func, ast.Attribute)
            and func.attr == "add_argument"
            and isinstance(func.value, ast.Name)
            and func.value.id in parsers
        ):
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        default = keywords.get("default")
        if default is None:
            continue
        value = _literal(default)
        declared = keywords.get("type")
        declared_name = declared.id if isinstance(declared, ast.Name) else None
        # argparse leaves a non-string default as written: `type=float, default=1` stays the int 1.
        if declared_name in ("int", "float", "str") and type(value).__name__ != declared_name:
            continue
        dest = _dest(node, keywords)
        if dest is not None:
            out.append((func.value.id, dest, value, where(default)))
    return out


def _dest(node: ast.Call, keywords: dict[str, ast.expr]) -> str | None:
    dest = keywords.get("dest")
    if isinstance(dest, ast.Constant) and isinstance(dest.value, str):
        return dest.value
    flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    long = next((f for f in flags if f.startswith("--")), None) or next(iter(flags), None)
    return long.lstrip("-").replace("-", "_") if long else None
