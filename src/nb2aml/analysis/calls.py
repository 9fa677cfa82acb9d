"""What a call does to the names around it and to the world: mutations, writes, process state, paths.

A part of the fact collector (`collect.Collector` mixes it in): it reads the collector's imports,
constants and function summaries and adds to the statement being collected.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from ..types import CallFact, Direction, PathUse
from . import knowledge as K
from .accumulator import Accumulator
from .aliases import alias_roots
from .astutil import argument, literal, root_name
from .effects import describe_call, global_random_state, mutates_receiver
from .paths import PathEvaluator
from .training_output import training_output
from .types_infer import STATEFUL_TYPES

_FIT_METHODS = frozenset({"fit", "fit_transform", "fit_predict", "partial_fit"})

if TYPE_CHECKING:
    from ..types import Position, Statement
    from .astutil import Located
    from .effects import EffectModel
    from .functions import FunctionSummary
    from .paths import PathValue


class CallFacts:
    """Mixed into the collector: the effects of each call it meets."""

    if TYPE_CHECKING:
        # The collector's state and methods this part reads; `collect.Collector` defines them.
        imports: dict[str, str]
        types: dict[str, str | None]
        functions: dict[str, FunctionSummary]
        constants: dict[str, PathValue]
        effects: EffectModel
        statements: list[Statement]
        paths: list[tuple[int, PathUse]]
        calls: list[tuple[int, CallFact]]
        seeded: bool

        def pos(self, node: Located) -> Position: ...

        def resolve(self, node: ast.expr) -> str | None: ...

        def _call_head(self, node: ast.Call) -> tuple[str | None, str | None, str | None, str | None]: ...

    def _call_effects(self, node: ast.Call, fact: CallFact, acc: Accumulator) -> None:
        """Mutation of names by this call, what it writes, the process state it advances, the I/O path it uses."""
        qual = fact.qualname
        acc.mutates |= self._call_mutations(node, fact)
        summary = self.effects.summary(fact)
        if summary is not None:
            for name in summary.free_reads:
                acc.reads.setdefault(name, self.pos(node))
            acc.binds.update(summary.global_writes)
            # A global the function updates is read and changed by every call: `counter = 0` stays.
            acc.mutates.update(summary.global_writes)
            if summary.random_state:
                acc.state.add("random")
            if summary.draws:
                acc.state.add("pyplot")
        draws = global_random_state(fact) or self._draws_unseeded(fact) or self._fits_unseeded(fact)
        if draws:
            acc.state.add("random")
        if qual in ("numpy.random.seed", "random.seed", "torch.manual_seed", "tensorflow.random.set_seed"):
            self.seeded = True
        effect = self.effects.classify(fact)
        if effect == "plot" or (
            effect == "write" and (fact.receiver_type == "figure" or (qual or "").startswith(K.PLOT_MODULES))
        ):
            acc.state.add("pyplot")  # draws into, or saves, the current figure
        if effect == "write" or self._writes(node, fact):
            acc.writes = True
        elif effect == "unknown":
            acc.unknown.append(describe_call(fact))
        if not fact.in_function:
            self._training_effects(node, fact, acc)
        self._io(node, fact)

    def _training_effects(self, node: ast.Call, fact: CallFact, acc: Accumulator) -> None:
        """A training call that prints its evaluation, fills a dict with it or calls callbacks built
        elsewhere (see `training_output`)."""
        builder = None
        if fact.method is not None and fact.receiver is not None:
            built = next((call for _, call in reversed(self.calls) if fact.receiver in call.assigned_to), None)
            builder = built.qualname if built is not None else None
        elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call):
            builder = self.resolve(node.func.value.func)  # `lgb.LGBMRegressor().fit(...)`
        output = training_output(node, fact.qualname, builder, self.resolve)
        if output is None:
            return
        if output.prints:
            acc.outputs.append(describe_call(fact))
        acc.mutates |= output.records | output.callbacks
        if output.unknown is not None:
            acc.unknown.append(f"{describe_call(fact)} with {output.unknown}")

    def _call_mutations(self, node: ast.Call, fact: CallFact) -> set[str]:
        """Names a call changes: its receiver, arguments it writes through (`out=b`, `np.copyto(b, 4)`),
        arguments a user function mutates."""
        mutated: set[str] = set()
        if fact.method is not None and fact.receiver is not None and mutates_receiver(fact):
            mutated.add(fact.receiver)
        indices: set[int] = set()
        summary = self.effects.summary(fact)
        if summary is not None:
            indices |= set(summary.mutated_params)
        if fact.qualname in K.ARG_MUTATORS:
            indices.add(K.ARG_MUTATORS[fact.qualname])
        if fact.qualname and fact.qualname.startswith("numpy.") and fact.qualname.endswith(".at"):
            indices.add(0)  # `np.add.at(a, idx, 1)` adds into `a`
        if fact.method == "shuffle" and fact.receiver_type == "rng":
            indices.add(0)
        for index in indices:
            if index < len(node.args):
                root = root_name(node.args[index])
                if root is not None:
                    mutated.add(root)
        for given in node.args:
            # An iterator, a file or a generator handed to any call may be consumed by it: `list(it)`.
            if isinstance(given, ast.Name) and self.types.get(given.id) in STATEFUL_TYPES:
                mutated.add(given.id)
        for keyword in node.keywords:
            if keyword.arg in K.WRITE_THROUGH_KEYWORDS:
                mutated |= {r for r in alias_roots(keyword.value) if r not in self.imports}
        return mutated

    def _fits_unseeded(self, fact: CallFact) -> bool:
        """`model = DecisionTreeRegressor()` ... `model.fit(X, y)`: with no random_state the fit draws
        from numpy's global generator, so an earlier fit changes what a later one draws (kept
        together, the job draws what the notebook drew)."""
        if fact.method not in _FIT_METHODS or fact.receiver is None or fact.in_function:
            return False
        builder = next((call for _, call in reversed(self.calls) if fact.receiver in call.assigned_to), None)
        if builder is None:
            return False
        qual = builder.qualname or ""
        return (
            qual.split(".")[0] in K.ESTIMATOR_MODULES
            and qual.rsplit(".", 1)[-1] in K.RANDOM_ESTIMATORS
            and not set(builder.keyword_names) & K.SEED_KEYWORDS
        )

    def _draws_unseeded(self, fact: CallFact) -> bool:
        """`df.sample(3)`, `train_test_split(X)`: no seed given, so numpy's global generator draws."""
        if any(keyword in K.SEED_KEYWORDS for keyword in fact.keyword_names):
            return False
        if fact.method == "sample" and fact.receiver_type in ("pandas", None):
            return True
        return fact.qualname in K.RANDOM_FUNCTIONS

    def _writes(self, node: ast.Call, fact: CallFact) -> bool:
        """`open(path, "w")` and SQL that changes data write outside the program."""
        if fact.qualname in K.OPEN_FUNCTIONS:
            mode = argument(node, 1, ("mode",))
            return not (
                mode is None
                or (isinstance(mode, ast.Constant) and isinstance(mode.value, str) and set(mode.value) <= set("rbt"))
            )
        if fact.method in ("execute", "executemany") and fact.receiver_type == "connection":
            sql = argument(node, 0, ("sql", "statement", "operation"))
            text = sql.value if isinstance(sql, ast.Constant) and isinstance(sql.value, str) else None
            return text is None or not text.lstrip().lower().startswith(K.READ_ONLY_SQL)
        return False

    def _io(self, node: ast.Call, fact: CallFact) -> None:
        for direction, path_node, folder, name in self._io_targets(node, fact):
            value = PathEvaluator(self.resolve, self.constants, self.pos).evaluate(path_node)
            if value is None:
                continue
            self.paths.append(
                (
                    len(self.statements) - 1,
                    PathUse(
                        pos=fact.pos,
                        call=name or "?",
                        direction=direction,
                        path=value.text,
                        literal_pos=value.root_pos,
                        literal_value=value.root_value,
                        variable=value.variable,
                        folder=value.folder or folder,
                        member=value.member,
                    ),
                )
            )

    def _io_targets(self, node: ast.Call, fact: CallFact) -> list[tuple[Direction, ast.expr, bool, str | None]]:
        """(direction, path argument, used as a folder, I/O call) for each path the call reads or writes."""
        qual, method = fact.qualname, fact.method
        if qual is not None and qual.startswith("<local>."):
            summary = self.functions.get(qual[8:])
            targets: list[tuple[Direction, ast.expr, bool, str | None]] = []
            for index, param, path_direction, call, folder in summary.path_params if summary else ():
                given = argument(node, index, (param,))
                if given is not None:
                    targets.append((path_direction, given, folder, call))
            return targets
        if qual in K.COPY_FUNCTIONS:
            (source_index, source_keyword), (target_index, target_keyword), folders = K.COPY_FUNCTIONS[qual]
            source = argument(node, source_index, (source_keyword,))
            target = argument(node, target_index, (target_keyword,))
            found: list[tuple[Direction, ast.expr, bool, str | None]] = []
            if source is not None:
                found.append(("read", source, folders and qual == "shutil.copytree", qual))
            if target is not None:
                found.append(("write", target, folders, qual))
            return found
        direction: Direction | None = None
        path_node: ast.expr | None = None
        folder = False
        name = qual
        if qual is not None:
            if qual.startswith("pandas.read_") and qual not in K.PANDAS_QUERY_READERS:
                direction, path_node = "read", argument(node, 0, ("filepath_or_buffer", "path", "io", "path_or_buf"))
            elif qual in K.OPEN_FUNCTIONS:
                # gzip.open takes the same modes (default "rb"): `gzip.open(p, "wt")` writes p.
                mode = argument(node, 1, ("mode",))
                mode_text = mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else "r"
                direction = "write" if any(ch in mode_text for ch in "wax") else "read"
                path_node = argument(node, 0, ("file", "filename"))
            elif (read_argument := K.READ_FUNCTIONS.get(qual)) is not None:
                index, keyword = read_argument
                direction, path_node = "read", argument(node, index, (keyword,))
            elif qual in K.WRITE_FUNCTIONS:
                index, keyword = K.WRITE_FUNCTIONS[qual]
                direction, path_node = "write", argument(node, index, (keyword,))
            folder = qual in K.FOLDER_FUNCTIONS
        elif method is not None:
            receiver_type = fact.receiver_type
            if method in K.PANDAS_WRITE_METHODS and receiver_type in ("pandas", None):
                direction, path_node = "write", argument(node, 0, ("path_or_buf", "path", "excel_writer"))
                name = "pandas." + method
            elif method == "savefig" and receiver_type == "figure":
                direction, path_node = "write", argument(node, 0, ("fname",))
                name = "matplotlib.figure.Figure.savefig"
            elif method in K.ESTIMATOR_SAVE_METHODS and receiver_type == "estimator":
                direction, path_node = "write", argument(node, 0, ("fname", "filepath", "path"))
                name = "estimator." + method
            elif receiver_type == "path" and (method in K.PATH_WRITE_METHODS or method in K.PATH_READ_METHODS):
                direction = "write" if method in K.PATH_WRITE_METHODS else "read"
                # `method` is only set for an attribute call: `p.write_text(...)`.
                path_node = node.func.value if isinstance(node.func, ast.Attribute) else None
                folder = method in ("mkdir", "iterdir", "glob", "rglob")
                name = "pathlib.Path." + method
        if direction is None or path_node is None:
            return []
        return [(direction, path_node, folder, name)]

    def _path_params(self, node: ast.AST, params: tuple[str, ...]) -> tuple[tuple[int, str, Direction, str, bool], ...]:
        """The parameters a function's body passes, unchanged, as the path of an I/O call."""
        if isinstance(node, ast.ClassDef) or not params:
            return ()
        found: list[tuple[int, str, Direction, str, bool]] = []
        for call in ast.walk(node):
            if not isinstance(call, ast.Call):
                continue
            qual, method, receiver, receiver_type = self._call_head(call)
            fact = CallFact(
                pos=self.pos(call), qualname=qual, method=method, receiver=receiver, receiver_type=receiver_type
            )
            for direction, path_node, folder, name in self._io_targets(call, fact):
                if isinstance(path_node, ast.Name) and path_node.id in params:
                    entry = (params.index(path_node.id), path_node.id, direction, name or "?", folder)
                    if entry not in found:
                        found.append(entry)
        return tuple(found)

    def _head_fact(self, node: ast.Call) -> CallFact:
        qual, method, receiver, receiver_type = self._call_head(node)
        keywords = tuple((kw.arg, literal(kw.value)) for kw in node.keywords if kw.arg is not None)
        return CallFact(
            pos=self.pos(node),
            qualname=qual,
            method=method,
            receiver=receiver,
            receiver_type=receiver_type,
            keywords=keywords,
            keyword_names=tuple(k for k, _ in keywords),
            arg_names=tuple(a.id if isinstance(a, ast.Name) else None for a in node.args),
        )
