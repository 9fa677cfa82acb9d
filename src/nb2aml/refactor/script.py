"""From an analysed notebook to the job's script: strip, fix, parameterize, log.

Pure: analysis in, text out. The rewrites are those of the registry (`edits.REWRITES`) that the
fix policy (`policy.FixPolicy`) selects; each cell is parsed once with libcst, edited in one pass
(`cell.apply_cell_edits`), and the cells are joined under an argparse preamble.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

import libcst as cst

from .. import __version__
from ..analysis import NotebookFacts
from ..naming import UniqueNames
from ..types import Analysis, Cell, Notebook
from .cell import CellEdits, Change, apply_cell_edits, simple_statement
from .edits import RewriteScope, apply_rewrites
from .interface import kept_interface
from .mlflow_logging import (
    log_call,
    mlflow_use,
    params_to_log,
    run_safe_logger,
)
from .policy import FixPolicy

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
    binds: tuple[
        tuple[str, str], ...
    ] = ()  # (variable, argument): inputs/parameters held in a variable another step defines
    handoff_module: str = "nb2aml_handoff"
    copied: frozenset[int] = frozenset()  # statements of `keep` brought in from earlier steps: imports and definitions
    renames: tuple[tuple[str, str], ...] = ()  # (b, a): `b = a` after the loads, so both name one object again
    # (generator, argument): global generators ("numpy.random", "random") whose state the step restores
    # after its loads, and writes at its end for later steps (split/generators.py).
    restores: tuple[tuple[str, str], ...] = ()
    state_saves: tuple[tuple[str, str], ...] = ()


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


def build_script(
    analysis: Analysis, nb: NotebookFacts, options: ConvertOptions = ConvertOptions(), scope: Scope | None = None
) -> Script:
    notebook = analysis.notebook
    facts = nb.facts
    scope = scope or Scope(keep=nb.kept)
    # The interface is what the kept code reads (a no-op when the caller restricted it already).
    analysis = kept_interface(
        analysis, nb, scope.keep, policy=options.policy, bound=frozenset(v for v, _ in scope.binds)
    )
    used_names: set[str] = set()
    for s in facts.statements:
        used_names |= s.defines | s.reads
    args_name = "args" if "args" not in used_names else "job_args"
    names = UniqueNames(used_names)
    log_plan = _logging(analysis, nb, scope, names)
    rewrite_scope = RewriteScope(
        nb,
        scope.keep,
        args_name,
        names,
        unsafe_fixes=options.unsafe_fixes,
        strip_prints=options.strip_prints,
        mlflow_model=options.mlflow_model,
    )
    rewritten = apply_rewrites(analysis, rewrite_scope, options.policy.rewrites())
    edits, secrets = rewritten.cells, rewritten.secrets

    first_statement: dict[int, tuple[int, int]] = {}
    for statement in facts.statements:
        if statement.depth == 0:
            first_statement.setdefault(statement.cell, (statement.pos.line, statement.pos.col))
    bodies: dict[int, str] = {}
    futures: list[str] = []
    for cell in notebook.cells:
        if (
            cell.kind != "code"
            or cell.foreign
            or not cell.python.strip()
            or cell.number in {c for c, _, _ in facts.parse_errors}
        ):
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

    needs = {"argparse"} | rewritten.imports
    if analysis.outputs or secrets or log_plan.function or any(a.reads for a in analysis.inputs):
        needs.add("os")
    if analysis.parameters or analysis.metrics:
        needs.add("mlflow")
    if scope.loads or scope.saves or scope.restores or scope.state_saves:
        needs.add(scope.handoff_module)
    text = _assemble(analysis, bodies, needs, args_name, facts, scope, tuple(dict.fromkeys(futures)), log_plan)
    imports = _imported_modules(text)
    return Script(
        name=scope.name or _script_name(notebook),
        text=text,
        before=notebook_as_script(notebook),
        changes=rewritten.changes,
        imports=imports,
        args_name=args_name,
        secrets=tuple(sorted(set(secrets))),
    )


@dataclass(frozen=True)
class _Logging:
    """How the script logs: the parameters it logs, and through what (see `mlflow_logging`)."""

    parameters: tuple  # the Parameters nb2aml logs
    function: str | None = None  # the run-safe logging function, when the notebook starts its own runs
    run_variable: str | None = None

    def metric_statement(self, name: str, variable: str) -> cst.SimpleStatementLine:
        return simple_statement(log_call("log_metric", name, variable, self.function))

    def preamble(self, args_name: str) -> list[str]:
        lines = [log_call("log_param", p.name, f"{args_name}.{p.name}", self.function) for p in self.parameters]
        if self.function is None:
            return lines
        assert self.run_variable is not None  # chosen together with the function
        return [run_safe_logger(self.function, self.run_variable), "", ""] + lines


def _logging(analysis: Analysis, nb: NotebookFacts, scope: Scope, names: UniqueNames) -> _Logging:
    use = mlflow_use(nb.facts, scope.keep)
    parameters = params_to_log(analysis.parameters, nb.facts, use)
    if not use.starts_runs:
        return _Logging(parameters)
    return _Logging(parameters, function=names.claim("log_to_run"), run_variable=names.claim("JOB_RUN_ID"))


_GENERIC_STEMS = frozenset(
    {"notebook", "main", "analysis", "model", "train", "training", "experiment", "experiments", "test", "demo", "nb"}
)


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
                    rest = " ".join(ln for ln in lines[i + 1 :] if ln and not ln.startswith("#"))
                    return title, rest
    return notebook.name.replace("_", " ").replace("-", " "), ""


def _assemble(
    analysis: Analysis,
    bodies: dict[int, str],
    needs: set[str],
    args_name: str,
    facts,
    scope: Scope,
    futures: tuple[str, ...] = (),
    logging: _Logging | None = None,
) -> str:
    notebook = analysis.notebook
    title, paragraph = description_of(notebook)
    doc = [title]
    if paragraph:
        doc += ["", paragraph]
    doc += [
        "",
        f"Generated by nb2aml {__version__} from {posixpath.basename(notebook.path)}: plotting and exploration "
        "removed, data paths and hyperparameters made arguments, metrics logged with MLflow.",
    ]
    header = '"""' + _wrap_doc(doc) + '\n"""'
    import_only_first = None
    code_cells = sorted(bodies)
    if code_cells and all(
        s.kind in ("Import", "ImportFrom")
        for s in facts.statements
        if s.depth == 0 and s.cell == code_cells[0] and s.id in scope.keep
    ):
        import_only_first = code_cells[0]
    first_imports = bodies.get(import_only_first, "") if import_only_first else ""
    preamble_imports = [f"import {m}" for m in sorted(needs) if not re.search(rf"^import {m}\b", first_imports, re.M)]
    # The generators' states first: saving a value must not be what they end with.
    epilogue = "\n".join(
        [
            f"{scope.handoff_module}.save_generator({generator!r}, {args_name}.{argument})"
            for generator, argument in scope.state_saves
        ]
        + [f"{scope.handoff_module}.save({variable}, {args_name}.{argument})" for variable, argument in scope.saves]
    )
    parts = (
        [header]
        + (["\n".join(futures)] if futures else [])
        + (["\n".join(preamble_imports)] if preamble_imports else [])
    )
    headings: list[str] = []
    preamble_done = False
    # Values handed over are loaded after the definitions copied from earlier steps: an instance of a
    # class the notebook defines is unpickled by the class's name, which must exist by then.
    loads = _loads_block(args_name, scope)
    late_loads = bool(loads and scope.copied)
    own_cells = {s.cell for s in facts.statements if s.depth == 0 and s.id in scope.keep and s.id not in scope.copied}

    def emit_preamble():
        parts.append(
            "\n" + _argparse_block(analysis, args_name, scope, with_loads=not late_loads, logging=logging) + "\n"
        )

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
    lines += [f"{name} = {same}" for name, same in scope.renames]
    # Restored last, after the copied seeds and the loads: the step's own code draws where the earlier step stopped.
    lines += [
        f"{scope.handoff_module}.restore_generator({generator!r}, {args_name}.{argument})"
        for generator, argument in scope.restores
    ]
    return "\n".join(lines)


def _argparse_block(
    analysis: Analysis, args_name: str, scope: Scope, with_loads: bool = True, logging: _Logging | None = None
) -> str:
    lines = []
    if any(p.type == "boolean" for p in analysis.parameters):
        lines += ["def _flag(text):", '    return str(text).lower() in ("1", "true", "yes", "on")', "", ""]
    lines += ["def parse_args(argv=None):", "    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])"]
    for asset in analysis.inputs:
        lines.append(
            f"    parser.add_argument({('--' + asset.name)!r}, type=str, default={asset.path!r}, "
            f"help={('input ' + asset.type + ' (the notebook read ' + repr(asset.path) + ')')!r})"
        )
    for asset in analysis.outputs:
        lines.append(
            f"    parser.add_argument({('--' + asset.name)!r}, type=str, default={asset.path!r}, "
            f"help={('output folder (the notebook wrote ' + repr(asset.path) + ')')!r})"
        )
    for param in analysis.parameters:
        lines.append(
            f"    parser.add_argument({('--' + param.name)!r}, type={_ARG_TYPES[param.type]}, default={param.value!r})"
        )
    for variable, argument in scope.loads:
        lines.append(
            f"    parser.add_argument({('--' + argument)!r}, type=str, required=True, "
            f"help={('folder holding ' + variable + ' from an earlier step')!r})"
        )
    for variable, argument in scope.saves:
        lines.append(
            f"    parser.add_argument({('--' + argument)!r}, type=str, required=True, "
            f"help={('folder to hand ' + variable + ' to later steps')!r})"
        )
    for generator, argument in scope.restores:
        lines.append(
            f"    parser.add_argument({('--' + argument)!r}, type=str, required=True, "
            f"help={('folder holding the state of ' + generator + ' where an earlier step left it')!r})"
        )
    for generator, argument in scope.state_saves:
        lines.append(
            f"    parser.add_argument({('--' + argument)!r}, type=str, required=True, "
            f"help={('folder to hand the state of ' + generator + ' to later steps')!r})"
        )
    lines += ["    return parser.parse_args(argv)", "", "", f"{args_name} = parse_args()"]
    for asset in analysis.outputs:
        lines.append(f"os.makedirs({args_name}.{asset.name}, exist_ok=True)")
    lines += (logging or _Logging(analysis.parameters)).preamble(args_name)
    for variable, argument in scope.binds:
        lines.append(f"{variable} = {args_name}.{argument}")
    if with_loads and (scope.loads or scope.restores):
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
