"""One edit type and one registry of rewrites, keyed by the rule code whose findings each one fixes.

Every rewrite is a pure function `(analysis, scope) -> Edits`: it reads the analysis (the script's
interface) and the facts of the code the script keeps, and says what to change in which cell, what
it changed (for the README), and what the new code needs imported. `build_script` applies the
rewrites `policy.FixPolicy` selects, in the registry's order, and merges their edits into one libcst
pass per cell. A rule declares a fix (`FIX`) exactly when this registry holds a rewrite for its code,
with the same applicability (tests/test_edits.py holds the two together).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import libcst as cst

from ..analysis import NotebookFacts
from ..analysis import knowledge as K
from ..analysis.assets import is_remote
from ..naming import UniqueNames
from ..types import Analysis, Applicability, Position
from .cell import CellEdits, Change, ChangeKind, MetricEdit, combine_import_rewrites
from .fixes import removed_api_edits
from .mlflow_logging import run_placements
from .printed_metrics import printed_metric_edits
from .world import named_input_edits, shell_step_edits

_STRINGS = (cst.SimpleString, cst.ConcatenatedString)
PATH_LITERALS = _STRINGS + (cst.FormattedString,)
_NUMBERS = (cst.Integer, cst.Float, cst.UnaryOperation, cst.Name, cst.SimpleString, cst.ConcatenatedString)
Span = tuple[Position, Position]


@dataclass(frozen=True)
class Edits:
    """What rewrites do to a script: the edits of each cell, what they changed, and what the new code needs."""

    cells: Mapping[int, CellEdits] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()
    imports: frozenset[str] = (
        frozenset()
    )  # preamble imports the new code needs: "mlflow", "pandas as pd", "sklearn.pipeline"
    reads: frozenset[str] = frozenset()  # names the new code reads, so that their imports are not pruned
    secrets: tuple[str, ...] = ()  # environment variables credentials are read from

    def __add__(self, other: Edits) -> Edits:
        cells = dict(self.cells)
        for cell, more in other.cells.items():
            cells[cell] = merged(cells.get(cell, CellEdits()), more)
        return Edits(
            cells,
            self.changes + other.changes,
            self.imports | other.imports,
            self.reads | other.reads,
            self.secrets + other.secrets,
        )


def merged(base: CellEdits, more: CellEdits) -> CellEdits:
    """Both edits of one cell; where both address one place, `more` wins (imports: a fix, then a prune)."""
    return CellEdits(
        remove=base.remove | more.remove,
        replace={**base.replace, **more.replace},
        calls={**base.calls, **more.calls},
        metrics={**base.metrics, **more.metrics},
        import_rewrites=combine_import_rewrites(base.import_rewrites, more.import_rewrites),
        after={**base.after, **more.after},
        guard={**base.guard, **more.guard},
    )


def merge_cell_edits(edits: dict[int, CellEdits], cell: int, more: CellEdits) -> None:
    edits[cell] = merged(edits.get(cell, CellEdits()), more)


@dataclass(frozen=True)
class RewriteScope:
    """The code a script keeps and how its rewrites name things: all of the notebook or one pipeline step."""

    nb: NotebookFacts
    keep: frozenset[int]  # top-level statement ids the script keeps
    args_name: str = "args"  # the parsed arguments: `args.train`
    names: UniqueNames = field(
        default_factory=lambda: UniqueNames(set()), compare=False
    )  # shared: names claimed here stay claimed
    unsafe_fixes: bool = False
    strip_prints: bool = False
    mlflow_model: bool = False
    reads: frozenset[str] = frozenset()  # names the code of the rewrites applied before this one reads

    @property
    def spans(self) -> list[Span]:
        return [(s.pos, s.end) for s in self.nb.facts.statements if s.depth == 0 and s.id in self.keep]


Produce = Callable[[Analysis, RewriteScope], Edits]


@dataclass(frozen=True)
class Rewrite:
    kind: ChangeKind  # the rule code whose findings it fixes, or one of nb2aml's own changes
    applicability: Applicability  # the best a finding of the rule gets: some findings of NB501 need --unsafe-fixes
    produce: Produce
    # Rewrites a job cannot run without are `required`, with the reason; the others say what the
    # job does instead when `--no-fix` turns them off.
    required: bool
    why: str


def inside(pos: Position, spans: Iterable[Span]) -> bool:
    return any(start <= pos <= end for start, end in spans)


def alias_of(facts, module: str) -> str | None:
    for s in facts.statements:
        for name, qual in s.imports:
            if qual == module:
                return name
    return None


# --- strip: the slice removes what the kept code does not need ---------------------------------

_STRIPPED_ROLES: dict[str, tuple[str, ...]] = {"NB101": ("plot",), "NB102": ("explore",)}


def _stripped(roles: tuple[str, ...] | None) -> Produce:
    """Remove the statements the script does not keep whose role is one of `roles` (None: every other role)."""

    def produce(analysis: Analysis, scope: RewriteScope) -> Edits:
        nb = scope.nb
        listed = {role for named in _STRIPPED_ROLES.values() for role in named}
        removed: dict[int, set] = {}
        changes: list[Change] = []
        for s in nb.facts.statements:
            if not ((s.depth == 0 and s.id not in scope.keep) or s.id in nb.removed_nested):
                continue
            if (s.role not in roles) if roles is not None else (s.role in listed or _unused_import(s, nb)):
                continue
            removed.setdefault(s.cell, set()).add((s.pos.line, s.pos.col))
            if s.role in ("plot", "explore"):
                code: ChangeKind = "NB101" if s.role == "plot" else "NB102"
                changes.append(
                    Change(
                        code,
                        s.cell,
                        f"removed {'plotting' if s.role == 'plot' else 'exploration'} at line {s.pos.line}",
                    )
                )
            elif s.role not in ("magic", "import"):
                changes.append(Change("NB701", s.cell, f"removed line {s.pos.line}: nothing kept uses it"))
        return Edits({cell: CellEdits(remove=frozenset(keys)) for cell, keys in removed.items()}, tuple(changes))

    return produce


def _unused_import(statement, nb: NotebookFacts) -> bool:
    """An import no step of the notebook keeps: NB703's to remove (one another step keeps is the slice's)."""
    return statement.depth == 0 and bool(statement.imports) and statement.id not in nb.kept


def _run_placement(analysis: Analysis, scope: RewriteScope) -> Edits:
    """`mlflow.set_experiment("x")` / `mlflow.set_tracking_uri(...)` are left out: the job's run is
    placed by Azure ML (the experiment is job.yml's `experiment_name`), and the notebook's own
    `start_run` fails when the two disagree."""
    cells: dict[int, CellEdits] = {}
    changes = []
    for placement in run_placements(scope.nb.facts, scope.keep):
        statement = placement.statement
        merge_cell_edits(cells, statement.cell, CellEdits(remove=frozenset({(statement.pos.line, statement.pos.col)})))
        where = (
            "the job's experiment (job.yml experiment_name)"
            if placement.call == "mlflow.set_experiment"
            else "where the job's run is"
        )
        changes.append(
            Change(
                "run_placement",
                statement.cell,
                f"removed {placement.call}(...) at line {statement.pos.line}: Azure ML sets {where}",
            )
        )
    return Edits(cells, tuple(changes))


# --- interface: paths and hyperparameters become arguments --------------------------------------


def path_replacement(root: str, replacement: cst.BaseExpression | str):
    """What replaces the root literal of a path: `replacement` (an expression, or a path as text).

    In an f-string the root is its literal head: `f"data/sales_{year}.csv"` (root `data`) becomes
    `f"{args.data}/sales_{year}.csv"` and `f"forecast_{year}.csv"` (root `.`, the working folder)
    becomes `f"{args.forecast}/forecast_{year}.csv"`: what varies is kept.
    """
    expression = cst.SimpleString(repr(replacement)) if isinstance(replacement, str) else replacement

    def rewrite(node: cst.BaseExpression) -> cst.BaseExpression:
        if (
            not isinstance(node, cst.FormattedString)
            or not node.parts
            or not isinstance(node.parts[0], cst.FormattedStringText)
        ):
            return expression
        head = node.parts[0]
        rest = "/" + head.value if root == "." else head.value[len(root) :] if head.value.startswith(root) else None
        if rest is None:
            return expression
        if isinstance(replacement, str):
            text = replacement.replace("{", "{{").replace("}", "}}")
            parts: list[cst.BaseFormattedStringContent] = [cst.FormattedStringText(text + rest)]
        else:
            parts = [cst.FormattedStringExpression(replacement), cst.FormattedStringText(rest)]
        return node.with_changes(parts=parts + list(node.parts[1:]))

    return rewrite


def _args_attr(args_name: str, name: str) -> cst.Attribute:
    return cst.Attribute(value=cst.Name(args_name), attr=cst.Name(name))


def path_below(literal: str, folder: str) -> str:
    """Where `literal` lies in the output folder: `data/sub/a.csv` in `data` is `sub/a.csv`; a file
    named inline elsewhere is its base name."""
    path, root = posixpath.normpath(literal), posixpath.normpath(folder)
    if root == "." and not path.startswith("../"):
        return path
    return posixpath.relpath(path, root) if path.startswith(root + "/") else posixpath.basename(literal)


def _paths(direction: Literal["read", "write"]) -> Produce:
    """Each literal naming an input (`read`) or output (`write`) becomes its argument."""

    def produce(analysis: Analysis, scope: RewriteScope) -> Edits:
        uses_by_literal: dict[Position, list] = {}
        for _, use in scope.nb.facts.paths:
            uses_by_literal.setdefault(use.literal_pos, []).append(use)
        spans = scope.spans
        cells: dict[int, CellEdits] = {}
        changes = []
        for asset in analysis.inputs + analysis.outputs:
            if asset.direction != direction or (asset.direction == "write" and is_remote(asset.path)):
                continue  # a URL input is replaced like a path: Azure ML hands the job a local copy
            for pos in asset.uses:
                if not inside(pos, spans):
                    continue
                uses = uses_by_literal.get(pos, [])
                literal = uses[0].literal_value if uses else asset.path
                expression: cst.BaseExpression = _args_attr(scope.args_name, asset.name)
                # (a variable naming one file has the file's folder as its path, so it is joined too)
                if (
                    (asset.direction == "write" or asset.reads)
                    and literal != asset.path
                    and not (uses and uses[0].folder)
                ):
                    # An output file named inline: written inside the output folder.
                    expression = cst.parse_expression(
                        f"os.path.join({scope.args_name}.{asset.name}, {path_below(literal, asset.path)!r})"
                    )
                merge_cell_edits(
                    cells,
                    pos.cell,
                    CellEdits(replace={(pos.line, pos.col): (PATH_LITERALS, path_replacement(literal, expression))}),
                )
                kind = "input" if asset.direction == "read" else "output"
                changes.append(
                    Change(
                        "NB201" if kind == "input" else "NB202",
                        pos.cell,
                        f"'{literal}' -> {kind} --{asset.name} ({asset.type})",
                    )
                )
        return Edits(cells, tuple(changes))

    return produce


def _parameters(analysis: Analysis, scope: RewriteScope) -> Edits:
    spans = scope.spans
    cells: dict[int, CellEdits] = {}
    changes = []
    for param in analysis.parameters:
        pos = param.pos
        if not inside(pos, spans):
            continue
        merge_cell_edits(
            cells,
            pos.cell,
            CellEdits(replace={(pos.line, pos.col): (_NUMBERS, _args_attr(scope.args_name, param.name))}),
        )
        changes.append(Change("NB301", pos.cell, f"{param.value!r} -> parameter --{param.name} ({param.type})"))
    return Edits(cells, tuple(changes))


# --- fixes: removed APIs and copy-on-write traps --------------------------------------------------


def _library_fixes(code: Literal["NB501", "NB502"]) -> Produce:
    def produce(analysis: Analysis, scope: RewriteScope) -> Edits:
        facts = scope.nb.facts
        spans = scope.spans
        findings = tuple(f for f in analysis.fixable if f.code == code and inside(f.pos, spans))
        pandas_alias = alias_of(facts, "pandas")
        alias = pandas_alias or "pd"
        changes: list[Change] = []
        fixes = removed_api_edits(findings, facts, alias, scope.unsafe_fixes, changes)
        imports = set(fixes.imports)  # a fix names them in full: `sklearn.pipeline.make_pipeline(...)`
        if fixes.needs_pandas and not any(
            s.depth == 0 and s.id in scope.keep and (alias, "pandas") in s.imports for s in facts.statements
        ):
            # The fix calls `pd.concat`: import pandas under that name when no kept statement does (a
            # notebook that never imported it, or a pipeline step whose own cells never name pandas).
            imports.add(f"pandas as {alias}")
        reads = frozenset({alias}) if fixes.needs_pandas else frozenset()
        return Edits(fixes.edits, tuple(changes), frozenset(imports), reads)

    return produce


# --- metrics: logged with MLflow --------------------------------------------------------------------


def _metrics(analysis: Analysis, scope: RewriteScope) -> Edits:
    """Each metric the kept code computes, and each it only prints, is logged with `mlflow.log_metric`."""
    changes: list[Change] = []
    printed, covered = printed_metric_edits(analysis, scope.nb, scope.spans, scope.strip_prints, changes)
    edits = Edits(printed, imports=frozenset({"mlflow"}) if printed else frozenset())
    cells: dict[int, CellEdits] = {}
    for metric in analysis.metrics:
        if metric.logged or metric.pos in covered:  # covered: logged under its printed label, per step
            continue
        pos = metric.pos
        reduce = K.FOLD_METRICS.get(metric.function)
        edit = (
            MetricEdit(metric.name, metric.variable, hoist=False)
            if metric.variable
            else MetricEdit(
                metric.name,
                scope.names.claim(f"{metric.name}_value"),
                reduce=reduce,
                end=(metric.end.line, metric.end.col) if metric.end else None,
            )
        )
        merge_cell_edits(cells, pos.cell, CellEdits(metrics={(pos.line, pos.col): edit}))
        changes.append(Change("NB302", pos.cell, f"metric {metric.name} logged with mlflow.log_metric"))
    return edits + Edits(cells, tuple(changes))


# --- credentials: read from the environment ---------------------------------------------------------


def _credentials(analysis: Analysis, scope: RewriteScope) -> Edits:
    """Each credential literal (NB601) becomes `os.environ["NAME"]`: the secret never reaches a file."""
    literals = {literal.pos: literal for _, literal in scope.nb.facts.literals}
    spans = scope.spans
    taken: set[str] = set()
    variables = []
    cells: dict[int, CellEdits] = {}
    changes = []
    for finding in analysis.fixable:
        if finding.code != "NB601" or not inside(finding.pos, spans) or finding.pos not in literals:
            continue
        literal = literals[finding.pos]
        # Named after what holds it; an unnamed one after where it is, so that the steps of a
        # pipeline, named one at a time, never give two credentials one variable.
        holder = literal.bound_to or f"secret_cell{finding.pos.cell}_line{finding.pos.line}"
        base = re.sub(r"[^A-Z0-9]+", "_", holder.upper()).strip("_") or "SECRET"
        variable, n = base, 2
        while variable in taken:
            variable, n = f"{base}_{n}", n + 1
        taken.add(variable)
        expression = cst.parse_expression(f"os.environ[{variable!r}]")
        merge_cell_edits(
            cells, finding.pos.cell, CellEdits(replace={(finding.pos.line, finding.pos.col): (_STRINGS, expression)})
        )
        changes.append(
            Change(
                "NB601", finding.pos.cell, f"credential at line {finding.pos.line} -> environment variable {variable}"
            )
        )
        variables.append(variable)
    return Edits(cells, tuple(changes), secrets=tuple(variables))


# --- MLflow model: saved beside a pickled estimator ---------------------------------------------

_MODEL_WRITERS = frozenset({"pickle.dump", "joblib.dump", "sklearn.externals.joblib.dump"})


def _mlflow_models(analysis: Analysis, scope: RewriteScope) -> Edits:
    """With `--mlflow-model`: after each `pickle.dump(model, ...)` / `joblib.dump(model, ...)` into
    an output, also save the estimator with MLflow's scikit-learn flavour, beside it in the same
    output folder."""
    if not scope.mlflow_model:
        return Edits()
    nb = scope.nb
    spans = scope.spans
    outputs = {pos: asset for asset in analysis.outputs for pos in asset.uses}
    paths_by_statement: dict[int, list] = {}
    for sid, use in nb.facts.paths:
        paths_by_statement.setdefault(sid, []).append(use)
    cells: dict[int, CellEdits] = {}
    changes = []
    for sid, call in nb.facts.calls:
        if call.qualname not in _MODEL_WRITERS or call.in_function or not call.arg_names or not inside(call.pos, spans):
            continue
        model = call.arg_names[0]
        if model is None or nb.facts.types.get(model) != "estimator":
            continue
        asset = next(
            (outputs[u.literal_pos] for u in paths_by_statement.get(sid, []) if u.literal_pos in outputs), None
        )
        if asset is None:
            continue
        folder = f"mlflow_{model}"
        # cloudpickle: MLflow 3's default (skops) refuses tree models it cannot audit.
        statement = cst.parse_statement(
            f"mlflow.sklearn.save_model({model}, os.path.join({scope.args_name}.{asset.name}, {folder!r}), "
            "serialization_format='cloudpickle')"
        )
        merge_cell_edits(cells, call.pos.cell, CellEdits(after={(call.pos.line, call.pos.col): [statement]}))
        changes.append(
            Change("mlflow_model", call.pos.cell, f"{model} also saved as an MLflow model in --{asset.name}/{folder}")
        )
    return Edits(cells, tuple(changes), imports=frozenset({"mlflow"}) if changes else frozenset())


# --- unused imports -------------------------------------------------------------------------------

# Names the script's own preamble reads: an import of them is never unused.
PREAMBLE_NAMES = frozenset({"os", "argparse", "mlflow"})


def _unused_imports(analysis: Analysis, scope: RewriteScope) -> Edits:
    from ..analysis.imports import live_reads

    nb = scope.nb
    live = live_reads(nb, scope.keep) | PREAMBLE_NAMES | scope.reads
    cells: dict[int, CellEdits] = {}
    changes = []
    for s in nb.facts.statements:
        if s.depth != 0 or s.id not in scope.keep or not s.imports:
            continue
        unused = {name for name, qual in s.imports if name not in live and not qual.startswith("__future__")}
        if unused:
            merge_cell_edits(
                cells, s.cell, CellEdits(import_rewrites={(s.pos.line, s.pos.col): ("drop", frozenset(unused))})
            )
            changes.append(Change("NB703", s.cell, f"dropped unused import {', '.join(sorted(unused))}"))
    for s in nb.facts.statements:
        if s.id not in scope.keep and _unused_import(s, nb):
            merge_cell_edits(cells, s.cell, CellEdits(remove=frozenset({(s.pos.line, s.pos.col)})))
            changes.append(Change("NB703", s.cell, f"dropped unused import {', '.join(n for n, _ in s.imports)}"))
    return Edits(cells, tuple(changes))


# --- the job's world: shell steps it runs, paths named with --input (see `world`) ---------------------


def _shell_steps(analysis: Analysis, scope: RewriteScope) -> Edits:
    cells, changes, imports = shell_step_edits(analysis, scope.nb, scope.spans)
    return Edits(cells, changes, imports, reads=imports)


def _named_inputs(analysis: Analysis, scope: RewriteScope) -> Edits:
    cells, changes, imports = named_input_edits(analysis, scope.nb, scope.spans, scope.args_name)
    return Edits(cells, changes, imports, reads=imports)


# --- the registry ------------------------------------------------------------------------------------

_SLICE = "the job keeps what it needs"

# In the order `build_script` applies them: a later rewrite sees the names the earlier ones' code reads.
REWRITES: dict[ChangeKind, Rewrite] = {
    r.kind: r
    for r in (
        Rewrite("NB101", "safe", _stripped(_STRIPPED_ROLES["NB101"]), True, f"stripping plots is the slice: {_SLICE}"),
        Rewrite(
            "NB102", "safe", _stripped(_STRIPPED_ROLES["NB102"]), True, f"stripping exploration is the slice: {_SLICE}"
        ),
        Rewrite("NB701", "safe", _stripped(None), True, f"stripping what nothing kept uses is the slice: {_SLICE}"),
        Rewrite("run_placement", "safe", _run_placement, True, "Azure ML places the job's MLflow run"),
        Rewrite("shell_step", "safe", _shell_steps, True, "a shell step makes files the job reads"),
        Rewrite("named_input", "safe", _named_inputs, True, "asked for with --input"),
        Rewrite("NB201", "safe", _paths("read"), False, "hard-coded input paths stay literals (no data inputs)"),
        Rewrite("NB202", "safe", _paths("write"), False, "hard-coded output paths stay literals (no outputs)"),
        Rewrite("NB301", "safe", _parameters, False, "hyperparameters stay literals (no parameters)"),
        Rewrite(
            "NB501",
            "safe",
            _library_fixes("NB501"),
            False,
            "removed APIs are not rewritten (the job may fail on current libraries)",
        ),
        Rewrite(
            "NB502",
            "safe",
            _library_fixes("NB502"),
            False,
            "copy-on-write traps are not rewritten (the job may compute something else on pandas 3)",
        ),
        Rewrite("NB302", "safe", _metrics, False, "metrics are printed as in the notebook, not logged"),
        Rewrite("NB601", "safe", _credentials, True, "credentials never reach a file nb2aml writes"),
        Rewrite("mlflow_model", "safe", _mlflow_models, True, "asked for with --mlflow-model"),
        Rewrite("NB703", "safe", _unused_imports, False, "unused imports are kept"),
    )
}


def fix_of(code: str) -> Applicability:
    """The fix a rule with this code has: its rewrite's applicability, or "none" without one."""
    rewrite = REWRITES.get(code)  # type: ignore[call-overload]
    return rewrite.applicability if rewrite is not None else "none"


def apply_rewrites(analysis: Analysis, scope: RewriteScope, rewrites: Iterable[Rewrite]) -> Edits:
    """The edits of `rewrites`, applied in order; each sees the names the code of the earlier ones reads."""
    edits = Edits()
    for rewrite in rewrites:
        edits = edits + rewrite.produce(analysis, replace(scope, reads=scope.reads | edits.reads))
    return edits
