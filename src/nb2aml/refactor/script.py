"""From an analysed notebook to the job's script: strip, fix, parameterize, log.

Pure: analysis in, text out. Each cell is parsed once with libcst, edited in one pass
(`cell.apply_cell_edits`), and the cells are joined under an argparse preamble.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

import libcst as cst

from .. import __version__
from ..analysis import NotebookFacts
from ..analysis import knowledge as K
from ..analysis.assets import is_remote
from ..analysis.imports import live_reads
from ..naming import UniqueNames
from ..types import Analysis, Cell, Notebook, Position
from .cell import CellEdits, MetricEdit, apply_cell_edits, combine_import_rewrites
from .fixes import removed_api_edits
from .interface import kept_interface
from .mlflow_logging import (
    log_call,
    mlflow_use,
    params_to_log,
    run_placements,
    run_safe_logger,
)
from .policy import FixPolicy
from .printed_metrics import printed_metric_edits

_STRINGS = (cst.SimpleString, cst.ConcatenatedString)
PATH_LITERALS = _STRINGS + (cst.FormattedString,)
_NUMBERS = (cst.Integer, cst.Float, cst.UnaryOperation, cst.Name, cst.SimpleString, cst.ConcatenatedString)
_ARG_TYPES = {"integer": "int", "number": "float", "string": "str", "boolean": "_flag"}


@dataclass(frozen=True)
class ConvertOptions:
    strip_prints: bool = False
    unsafe_fixes: bool = False
    mlflow_model: bool = False  # also save the model the notebook writes as an MLflow model
    no_fix: frozenset[str] = frozenset()  # rule codes whose rewrite is turned off (`--no-fix`)

    @property
    def policy(self) -> FixPolicy:
        return FixPolicy(unsafe=self.unsafe_fixes, disabled=self.no_fix)


@dataclass(frozen=True)
class Scope:
    """The part of the notebook a script is made of: all of it (convert) or one step (split)."""

    keep: frozenset[int]  # top-level statement ids
    name: str | None = None
    loads: tuple[tuple[str, str], ...] = ()  # (variable, argument): values handed over by earlier steps
    saves: tuple[tuple[str, str], ...] = ()  # (variable, argument): values handed to later steps
    binds: tuple[tuple[str, str], ...] = ()  # (variable, argument): inputs/parameters held in a variable another step defines
    handoff_module: str = "nb2aml_handoff"
    copied: frozenset[int] = frozenset()  # statements of `keep` brought in from earlier steps: imports and definitions
    renames: tuple[tuple[str, str], ...] = ()  # (b, a): `b = a` after the loads, so both name one object again


@dataclass(frozen=True)
class Change:
    code: str  # the rule whose fix made the change, or "NB" for nb2aml's own additions
    cell: int
    description: str


@dataclass(frozen=True)
class Script:
    name: str
    text: str
    before: str  # the notebook's code as a plain script, for the diff
    changes: tuple[Change, ...]
    imports: tuple[str, ...]  # modules the script imports (for requirements)
    args_name: str
    secrets: tuple[str, ...] = ()  # environment variables the script reads credentials from


def notebook_as_script(notebook: Notebook) -> str:
    """The notebook as `jupyter nbconvert --to script` would write it: the "before" of the diff."""
    parts = []
    for cell in notebook.cells:
        if cell.kind == "markdown":
            parts.append("# %% [markdown]\n" + "\n".join(f"# {line}".rstrip() for line in cell.source.split("\n")))
        elif cell.kind == "code":
            source = "\n".join(_comment_magic(line, cell) for line in cell.source.split("\n"))
            parts.append(f"# %% cell {cell.number}\n{source}")
    return "\n\n".join(parts).rstrip() + "\n"


def _comment_magic(line: str, cell: Cell) -> str:
    stripped = line.lstrip()
    return f"# {line}" if stripped[:1] in ("%", "!") else line


def build_script(analysis: Analysis, nb: NotebookFacts, options: ConvertOptions = ConvertOptions(), scope: Scope | None = None) -> Script:
    notebook = analysis.notebook
    facts = nb.facts
    scope = scope or Scope(keep=nb.kept)
    # The interface is what the kept code reads (a no-op when the caller restricted it already).
    analysis = kept_interface(analysis, nb, scope.keep, policy=options.policy, bound=frozenset(v for v, _ in scope.binds))
    used_names = set()
    for s in facts.statements:
        used_names |= s.defines | s.reads
    args_name = "args" if "args" not in used_names else "job_args"
    names = UniqueNames(used_names)
    log_plan = _logging(analysis, nb, scope, names)
    changes: list[Change] = []
    edits = _removals(nb, scope.keep, changes)
    _leave_run_placement_to_the_job(nb, scope.keep, edits, changes)
    spans = _spans(facts, scope.keep)
    _parameterize(analysis, nb, edits, args_name, changes, spans)
    pandas_alias = alias_of(facts, "pandas")
    findings = tuple(f for f in analysis.fixable if _inside(f.pos, spans) and f.code not in options.policy.disabled)
    fixes = removed_api_edits(findings, facts, pandas_alias or "pd", options.unsafe_fixes, changes)
    needs_pandas = fixes.needs_pandas
    for cell, cell_edit in fixes.edits.items():
        merge_cell_edits(edits, cell, cell_edit)
    printed_edits, covered = printed_metric_edits(analysis, nb, spans, options.strip_prints, changes)
    for cell, cell_edit in printed_edits.items():
        merge_cell_edits(edits, cell, cell_edit)
    _log_metrics(analysis, edits, names, changes, covered)
    secrets = _secrets_from_environment(analysis, nb, edits, spans, changes)
    if options.mlflow_model:
        _save_mlflow_models(analysis, nb, edits, spans, args_name, changes)
    live = live_reads(nb, scope.keep) | {"os", "argparse", "mlflow"}
    if needs_pandas:
        live.add(pandas_alias or "pd")
    if options.policy.applies("NB703"):
        _prune_imports(nb, scope.keep, edits, live, changes)

    first_statement: dict[int, tuple[int, int]] = {}
    for statement in facts.statements:
        if statement.depth == 0:
            first_statement.setdefault(statement.cell, (statement.pos.line, statement.pos.col))
    bodies: dict[int, str] = {}
    futures: list[str] = []
    for cell in notebook.cells:
        if cell.kind != "code" or cell.foreign or not cell.python.strip() or cell.number in {c for c, _, _ in facts.parse_errors}:
            continue
        cell_edit = edits.get(cell.number, CellEdits())
        module = cst.parse_module(cell.python)
        first_removed = first_statement.get(cell.number) in cell_edit.remove
        module = apply_cell_edits(module, cell_edit, log_plan.metric_statement)
        if not module.body:
            continue
        if first_removed:
            # libcst keeps a cell's opening comment in the module header: it spoke of the removed line.
            module = module.with_changes(header=())
        code = module.code.strip("\n")
        # A __future__ import must open the script, above the argparse preamble.
        lines = code.split("\n")
        futures += [line for line in lines if line.startswith("from __future__ import ")]
        code = "\n".join(line for line in lines if not line.startswith("from __future__ import ")).strip("\n")
        if code.strip():
            bodies[cell.number] = code

    needs = {"argparse"}
    if analysis.outputs or secrets or log_plan.function or any(a.reads for a in analysis.inputs):
        needs.add("os")
    if analysis.parameters or analysis.metrics or printed_edits or any(c.code == "MLflow model" for c in changes):
        needs.add("mlflow")
    alias = pandas_alias or "pd"
    if needs_pandas and not any(s.depth == 0 and s.id in scope.keep and (alias, "pandas") in s.imports for s in facts.statements):
        # The fix calls `pd.concat`: import pandas under that name when no kept statement does (a
        # notebook that never imported it, or a pipeline step whose own cells never name pandas).
        needs.add(f"pandas as {alias}")
    if scope.loads or scope.saves:
        needs.add(scope.handoff_module)
    needs.update(fixes.imports)  # a fix names them in full: `sklearn.pipeline.make_pipeline(...)`
    text = _assemble(analysis, bodies, needs, args_name, facts, scope, tuple(dict.fromkeys(futures)), log_plan)
    imports = _imported_modules(text)
    return Script(name=scope.name or _script_name(notebook), text=text, before=notebook_as_script(notebook), changes=tuple(changes),
                  imports=imports, args_name=args_name, secrets=tuple(sorted(set(secrets))))


_MODEL_WRITERS = frozenset({"pickle.dump", "joblib.dump", "sklearn.externals.joblib.dump"})


def _save_mlflow_models(analysis: Analysis, nb: NotebookFacts, edits: dict[int, CellEdits], spans, args_name: str, changes: list[Change]) -> None:
    """After each `pickle.dump(model, ...)` / `joblib.dump(model, ...)` into an output, also save the
    estimator with MLflow's scikit-learn flavour, beside it in the same output folder."""
    outputs = {pos: asset for asset in analysis.outputs for pos in asset.uses}
    paths_by_statement: dict[int, list] = {}
    for sid, use in nb.facts.paths:
        paths_by_statement.setdefault(sid, []).append(use)
    for sid, call in nb.facts.calls:
        if call.qualname not in _MODEL_WRITERS or call.in_function or not call.arg_names or not _inside(call.pos, spans):
            continue
        model = call.arg_names[0]
        if model is None or nb.facts.types.get(model) != "estimator":
            continue
        asset = next((outputs[u.literal_pos] for u in paths_by_statement.get(sid, []) if u.literal_pos in outputs), None)
        if asset is None:
            continue
        folder = f"mlflow_{model}"
        # cloudpickle: MLflow 3's default (skops) refuses tree models it cannot audit.
        statement = cst.parse_statement(f"mlflow.sklearn.save_model({model}, os.path.join({args_name}.{asset.name}, {folder!r}), "
                                        "serialization_format='cloudpickle')")
        merge_cell_edits(edits, call.pos.cell, CellEdits(after={(call.pos.line, call.pos.col): [statement]}))
        changes.append(Change("MLflow model", call.pos.cell, f"{model} also saved as an MLflow model in --{asset.name}/{folder}"))


def _secrets_from_environment(analysis: Analysis, nb: NotebookFacts, edits: dict[int, CellEdits], spans, changes: list[Change]) -> list[str]:
    """Each credential literal (NB601) becomes `os.environ["NAME"]`: the secret never reaches a file."""
    literals = {literal.pos: literal for _, literal in nb.facts.literals}
    taken: set[str] = set()
    variables = []
    for finding in analysis.fixable:
        if finding.code != "NB601" or not _inside(finding.pos, spans) or finding.pos not in literals:
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
        merge_cell_edits(edits, finding.pos.cell, CellEdits(replace={(finding.pos.line, finding.pos.col): (_STRINGS, expression)}))
        changes.append(Change("NB601", finding.pos.cell, f"credential at line {finding.pos.line} -> environment variable {variable}"))
        variables.append(variable)
    return variables


def _leave_run_placement_to_the_job(nb: NotebookFacts, keep: frozenset[int], edits: dict[int, CellEdits], changes: list[Change]) -> None:
    """`mlflow.set_experiment("x")` / `mlflow.set_tracking_uri(...)` are left out: the job's run is
    placed by Azure ML (the experiment is job.yml's `experiment_name`), and the notebook's own
    `start_run` fails when the two disagree."""
    for placement in run_placements(nb.facts, keep):
        statement = placement.statement
        merge_cell_edits(edits, statement.cell, CellEdits(remove=frozenset({(statement.pos.line, statement.pos.col)})))
        where = "the job's experiment (job.yml experiment_name)" if placement.call == "mlflow.set_experiment" else "where the job's run is"
        changes.append(Change("NB", statement.cell, f"removed {placement.call}(...) at line {statement.pos.line}: Azure ML sets {where}"))


def _spans(facts, keep: frozenset[int]) -> list[tuple[Position, Position]]:
    return [(s.pos, s.end) for s in facts.statements if s.depth == 0 and s.id in keep]


def _inside(pos: Position, spans) -> bool:
    return any(start <= pos <= end for start, end in spans)


def merge_cell_edits(edits: dict[int, CellEdits], cell: int, more: CellEdits) -> None:
    base = edits.get(cell, CellEdits())
    edits[cell] = CellEdits(
        remove=base.remove | more.remove, replace={**base.replace, **more.replace}, calls={**base.calls, **more.calls},
        metrics={**base.metrics, **more.metrics}, import_rewrites=combine_import_rewrites(base.import_rewrites, more.import_rewrites),
        after={**base.after, **more.after}, guard={**base.guard, **more.guard},
    )


def _removals(nb: NotebookFacts, keep: frozenset[int], changes: list[Change]) -> dict[int, CellEdits]:
    removed: dict[int, set] = {}
    for s in nb.facts.statements:
        drop = (s.depth == 0 and s.id not in keep) or s.id in nb.removed_nested
        if drop:
            removed.setdefault(s.cell, set()).add((s.pos.line, s.pos.col))
            if s.role in ("plot", "explore"):
                code = "NB101" if s.role == "plot" else "NB102"
                changes.append(Change(code, s.cell, f"removed {'plotting' if s.role == 'plot' else 'exploration'} at line {s.pos.line}"))
            elif s.role not in ("magic", "import"):
                changes.append(Change("NB701", s.cell, f"removed line {s.pos.line}: nothing kept uses it"))
    return {cell: CellEdits(remove=frozenset(keys)) for cell, keys in removed.items()}


def path_replacement(root: str, replacement: cst.BaseExpression | str):
    """What replaces the root literal of a path: `replacement` (an expression, or a path as text).

    In an f-string the root is its literal head: `f"data/sales_{year}.csv"` (root `data`) becomes
    `f"{args.data}/sales_{year}.csv"` and `f"forecast_{year}.csv"` (root `.`, the working folder)
    becomes `f"{args.forecast}/forecast_{year}.csv"`: what varies is kept.
    """
    expression = cst.SimpleString(repr(replacement)) if isinstance(replacement, str) else replacement

    def rewrite(node: cst.BaseExpression) -> cst.BaseExpression:
        head = node.parts[0] if isinstance(node, cst.FormattedString) and node.parts else None
        if not isinstance(head, cst.FormattedStringText):
            return expression
        rest = "/" + head.value if root == "." else head.value[len(root):] if head.value.startswith(root) else None
        if rest is None:
            return expression
        if isinstance(replacement, str):
            text = replacement.replace("{", "{{").replace("}", "}}")
            parts = [cst.FormattedStringText(text + rest)]
        else:
            parts = [cst.FormattedStringExpression(replacement), cst.FormattedStringText(rest)]
        return node.with_changes(parts=parts + list(node.parts[1:]))

    return rewrite


def _args_attr(args_name: str, name: str) -> cst.Attribute:
    return cst.Attribute(value=cst.Name(args_name), attr=cst.Name(name))


def _parameterize(analysis: Analysis, nb: NotebookFacts, edits: dict[int, CellEdits], args_name: str, changes: list[Change], spans) -> None:
    uses_by_literal = {}
    for _, use in nb.facts.paths:
        uses_by_literal.setdefault(use.literal_pos, []).append(use)
    for asset in analysis.inputs + analysis.outputs:
        if asset.direction == "write" and is_remote(asset.path):
            continue  # a URL input is replaced like a path: Azure ML hands the job a local copy
        for pos in asset.uses:
            if not _inside(pos, spans):
                continue
            uses = uses_by_literal.get(pos, [])
            literal = uses[0].literal_value if uses else asset.path
            expression: cst.BaseExpression = _args_attr(args_name, asset.name)
            if (asset.direction == "write" or asset.reads) and asset.variable is None and literal != asset.path and not (uses and uses[0].folder):
                # An output file named inline: written inside the output folder.
                expression = cst.parse_expression(f"os.path.join({args_name}.{asset.name}, {posixpath.basename(literal)!r})")
            merge_cell_edits(edits, pos.cell, CellEdits(replace={(pos.line, pos.col): (PATH_LITERALS, path_replacement(literal, expression))}))
            kind = "input" if asset.direction == "read" else "output"
            changes.append(Change("NB201" if kind == "input" else "NB202", pos.cell, f"'{literal}' -> {kind} --{asset.name} ({asset.type})"))
    for param in analysis.parameters:
        pos = param.pos
        if not _inside(pos, spans):
            continue
        merge_cell_edits(edits, pos.cell, CellEdits(replace={(pos.line, pos.col): (_NUMBERS, _args_attr(args_name, param.name))}))
        changes.append(Change("NB301", pos.cell, f"{param.value!r} -> parameter --{param.name} ({param.type})"))


def _log_metrics(analysis: Analysis, edits: dict[int, CellEdits], names: UniqueNames, changes: list[Change],
                 covered: frozenset[Position] = frozenset()) -> None:
    for metric in analysis.metrics:
        if metric.logged or metric.pos in covered:  # covered: logged under its printed label, per step
            continue
        pos = metric.pos
        reduce = K.FOLD_METRICS.get(metric.function)
        edit = (MetricEdit(metric.name, metric.variable, hoist=False) if metric.variable
                else MetricEdit(metric.name, names.claim(f"{metric.name}_value"), reduce=reduce, end=metric.end and (metric.end.line, metric.end.col)))
        merge_cell_edits(edits, pos.cell, CellEdits(metrics={(pos.line, pos.col): edit}))
        changes.append(Change("NB302", pos.cell, f"metric {metric.name} logged with mlflow.log_metric"))


@dataclass(frozen=True)
class _Logging:
    """How the script logs: the parameters it logs, and through what (see `mlflow_logging`)."""

    parameters: tuple  # the Parameters nb2aml logs
    function: str | None = None  # the run-safe logging function, when the notebook starts its own runs
    run_variable: str | None = None

    def metric_statement(self, name: str, variable: str) -> cst.SimpleStatementLine:
        return cst.parse_statement(log_call("log_metric", name, variable, self.function))

    def preamble(self, args_name: str) -> list[str]:
        lines = [log_call("log_param", p.name, f"{args_name}.{p.name}", self.function) for p in self.parameters]
        if self.function is None:
            return lines
        return [run_safe_logger(self.function, self.run_variable), "", ""] + lines


def _logging(analysis: Analysis, nb: NotebookFacts, scope: Scope, names: UniqueNames) -> _Logging:
    use = mlflow_use(nb.facts, scope.keep)
    parameters = params_to_log(analysis.parameters, nb.facts, use)
    if not use.starts_runs:
        return _Logging(parameters)
    return _Logging(parameters, function=names.claim("log_to_run"), run_variable=names.claim("JOB_RUN_ID"))


def _prune_imports(nb: NotebookFacts, keep: frozenset[int], edits: dict[int, CellEdits], live: set[str], changes: list[Change]) -> None:
    for s in nb.facts.statements:
        if s.depth != 0 or s.id not in keep or not s.imports:
            continue
        unused = {name for name, qual in s.imports if name not in live and not qual.startswith("__future__")}
        if unused:
            rewrite = {(s.pos.line, s.pos.col): ("drop", frozenset(unused))}
            merge_cell_edits(edits, s.cell, CellEdits(import_rewrites=rewrite))
            changes.append(Change("NB703", s.cell, f"dropped unused import {', '.join(sorted(unused))}"))
    for s in nb.facts.statements:
        if s.depth == 0 and s.id not in keep and s.id not in nb.kept and s.imports:
            changes.append(Change("NB703", s.cell, f"dropped unused import {', '.join(n for n, _ in s.imports)}"))


def alias_of(facts, module: str) -> str | None:
    for s in facts.statements:
        for name, qual in s.imports:
            if qual == module:
                return name
    return None


_GENERIC_STEMS = frozenset({"notebook", "main", "analysis", "model", "train", "training", "experiment", "experiments", "test", "demo", "nb"})


def _script_name(notebook: Notebook) -> str:
    """The notebook's file name, unless it says nothing (`notebook.ipynb`, `Untitled1.ipynb`)."""
    stem = re.sub(r"[^0-9a-zA-Z_]+", "_", notebook.name).strip("_").lower() or "job"
    if stem in _GENERIC_STEMS or stem.startswith("untitled"):
        title, _ = description_of(notebook)
        titled = re.sub(r"[^0-9a-zA-Z_]+", "_", title).strip("_").lower()[:60].rstrip("_")
        if titled and titled != stem:
            stem = titled
    return ("job_" + stem) if stem[0].isdigit() else stem


def pipeline_name(notebook: Notebook) -> str:
    return _script_name(notebook)


def description_of(notebook: Notebook) -> tuple[str, str]:
    """(title, first paragraph) of the notebook's first markdown heading."""
    for cell in notebook.cells:
        if cell.kind == "markdown":
            lines = [ln.strip() for ln in cell.source.strip().split("\n")]
            for i, line in enumerate(lines):
                if line.startswith("#"):
                    title = line.lstrip("#").strip()
                    rest = " ".join(ln for ln in lines[i + 1:] if ln and not ln.startswith("#"))
                    return title, rest
    return notebook.name.replace("_", " ").replace("-", " "), ""


def _assemble(analysis: Analysis, bodies: dict[int, str], needs: set[str], args_name: str, facts, scope: Scope,
              futures: tuple[str, ...] = (), logging: _Logging | None = None) -> str:
    notebook = analysis.notebook
    title, paragraph = description_of(notebook)
    doc = [title]
    if paragraph:
        doc += ["", paragraph]
    doc += ["", f"Generated by nb2aml {__version__} from {posixpath.basename(notebook.path)}: plotting and exploration "
            "removed, data paths and hyperparameters made arguments, metrics logged with MLflow."]
    header = '"""' + _wrap_doc(doc) + '\n"""'
    import_only_first = None
    code_cells = sorted(bodies)
    if code_cells and all(s.kind in ("Import", "ImportFrom") for s in facts.statements
                          if s.depth == 0 and s.cell == code_cells[0] and s.id in scope.keep):
        import_only_first = code_cells[0]
    first_imports = bodies.get(import_only_first, "") if import_only_first else ""
    preamble_imports = [f"import {m}" for m in sorted(needs) if not re.search(rf"^import {m}\b", first_imports, re.M)]
    epilogue = "\n".join(f"{scope.handoff_module}.save({variable}, {args_name}.{argument})" for variable, argument in scope.saves)
    parts = [header] + (["\n".join(futures)] if futures else []) + (["\n".join(preamble_imports)] if preamble_imports else [])
    headings: list[str] = []
    preamble_done = False
    # Values handed over are loaded after the definitions copied from earlier steps: an instance of a
    # class the notebook defines is unpickled by the class's name, which must exist by then.
    loads = _loads_block(args_name, scope)
    late_loads = bool(loads and scope.copied)
    own_cells = {s.cell for s in facts.statements if s.depth == 0 and s.id in scope.keep and s.id not in scope.copied}

    def emit_preamble():
        parts.append("\n" + _argparse_block(analysis, args_name, scope, with_loads=not late_loads, logging=logging) + "\n")

    for cell in notebook.cells:
        if cell.kind == "markdown":
            headings += [f"# {ln.lstrip('#').strip()}" for ln in cell.source.split("\n") if ln.startswith("#")]
            continue
        body = bodies.get(cell.number)
        if body is None:
            headings = []
            continue
        if not preamble_done and cell.number != import_only_first:
            emit_preamble()
            preamble_done = True
        if late_loads and preamble_done and cell.number in own_cells:
            parts.append(loads)
            late_loads = False
        block = "\n".join(headings[-2:] + [body]) if headings and cell.number != import_only_first else body
        headings = []
        parts.append(block)
        if cell.number == import_only_first:
            emit_preamble()
            preamble_done = True
    if not preamble_done:
        emit_preamble()
    if late_loads:
        parts.append(loads)
    if epilogue:
        parts.append("# Hand over to the next steps\n" + epilogue)
    return "\n\n".join(p for p in parts if p) + "\n"


def _wrap_doc(lines: list[str], width: int = 96) -> str:
    import textwrap

    out = []
    for line in lines:
        out.extend(textwrap.wrap(line, width) or [""])
    return "\n".join(out)


def _loads_block(args_name: str, scope: Scope) -> str:
    lines = [f"{variable} = {scope.handoff_module}.load({args_name}.{argument})" for variable, argument in scope.loads]
    return "\n".join(lines + [f"{name} = {same}" for name, same in scope.renames])


def _argparse_block(analysis: Analysis, args_name: str, scope: Scope, with_loads: bool = True, logging: _Logging | None = None) -> str:
    lines = []
    if any(p.type == "boolean" for p in analysis.parameters):
        lines += ["def _flag(text):", '    return str(text).lower() in ("1", "true", "yes", "on")', "", ""]
    lines += ["def parse_args(argv=None):", '    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])']
    for asset in analysis.inputs:
        lines.append(f"    parser.add_argument({('--' + asset.name)!r}, type=str, default={asset.path!r}, help={('input ' + asset.type + ' (the notebook read ' + repr(asset.path) + ')')!r})")
    for asset in analysis.outputs:
        lines.append(f"    parser.add_argument({('--' + asset.name)!r}, type=str, default={asset.path!r}, help={('output folder (the notebook wrote ' + repr(asset.path) + ')')!r})")
    for param in analysis.parameters:
        lines.append(f"    parser.add_argument({('--' + param.name)!r}, type={_ARG_TYPES[param.type]}, default={param.value!r})")
    for variable, argument in scope.loads:
        lines.append(f"    parser.add_argument({('--' + argument)!r}, type=str, required=True, help={('folder holding ' + variable + ' from an earlier step')!r})")
    for variable, argument in scope.saves:
        lines.append(f"    parser.add_argument({('--' + argument)!r}, type=str, required=True, help={('folder to hand ' + variable + ' to later steps')!r})")
    lines += ["    return parser.parse_args(argv)", "", "", f"{args_name} = parse_args()"]
    for asset in analysis.outputs:
        lines.append(f"os.makedirs({args_name}.{asset.name}, exist_ok=True)")
    lines += (logging or _Logging(analysis.parameters)).preamble(args_name)
    for variable, argument in scope.binds:
        lines.append(f"{variable} = {args_name}.{argument}")
    if with_loads and scope.loads:
        lines.append(_loads_block(args_name, scope))
    return "\n".join(lines)


def _imported_modules(text: str) -> tuple[str, ...]:
    import ast

    modules = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            modules |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return tuple(sorted(modules))
