"""Shared, immutable data passed between the stages.

Data flows one way: notebook -> facts -> findings -> transforms -> files. Every stage consumes
these frozen dataclasses and produces new ones; nothing downstream re-parses code or re-reads
the notebook.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

from .errors import NotebookError as NotebookError  # re-exported: raised by every stage

CellKind = Literal["code", "markdown", "raw"]
Applicability = Literal["safe", "unsafe", "none"]
Severity = Literal["error", "warning"]
Direction = Literal["read", "write"]
AssetType = Literal["uri_file", "uri_folder"]
ParamType = Literal["integer", "number", "string", "boolean"]
CellAction = Literal["keep", "strip", "partial"]
RequirementSource = Literal["freeze", "installed", "curated", "unresolved"]


@dataclass(frozen=True, order=True)
class Position:
    """A place in the notebook: cell number (1-based among all cells), line and column (1-based)."""

    cell: int
    line: int
    col: int
    # In one of the notebook's own modules that the job ships (`helper.py`, its path as shipped into
    # src/): `line` and `col` are in that file and `cell` is the cell that imports it. Empty in a cell.
    file: str = ""

    def render(self, path: str) -> str:
        if self.file:
            module = os.path.join(os.path.dirname(path), self.file)
            return f"{module}:{self.line}:{self.col} (imported by {path}:cell {self.cell})"
        return f"{path}:cell {self.cell}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Magic:
    """An IPython line that is not Python: line/cell magic, shell escape or help query."""

    cell: int
    line: int
    kind: Literal["line_magic", "cell_magic", "shell", "help"]
    text: str
    # Packages named by `!pip install` / `%pip install` / `%conda install`.
    packages: tuple[str, ...] = ()
    # `files = !ls` binds a name.
    assigns: str | None = None


@dataclass(frozen=True)
class Cell:
    number: int  # 1-based among all cells, markdown included
    kind: CellKind
    source: str  # as written in the notebook
    # The Python that is analysed: magic lines replaced by `pass` at the same indentation so
    # line and column numbers match `source`. Empty when the cell is not Python at all.
    python: str = ""
    tags: tuple[str, ...] = ()
    execution_count: int | None = None
    magics: tuple[Magic, ...] = ()
    # True for a cell whose body is not Python (`%%bash`, `%%html`, ...).
    foreign: bool = False


@dataclass(frozen=True)
class Notebook:
    path: str
    cells: tuple[Cell, ...]
    language_version: str | None = None  # "3.8.5" from language_info
    kernel_name: str | None = None
    fmt: Literal["ipynb", "percent"] = "ipynb"

    @property
    def code_cells(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.kind == "code")

    @property
    def name(self) -> str:
        from pathlib import Path

        return Path(self.path).stem


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    message: str
    pos: Position
    severity: Severity = "warning"
    fix: Applicability = "none"
    end: Position | None = None


@dataclass(frozen=True)
class DataAsset:
    """A hard-coded path the notebook reads (input) or writes (output)."""

    name: str  # valid, unique Python identifier: the argparse option and YAML key
    path: str  # the path as the notebook wrote it, after constant propagation
    type: AssetType
    direction: Direction
    pos: Position  # where the literal is, the place convert replaces it
    variable: str | None = None  # the variable holding the literal, when there is one
    calls: tuple[str, ...] = ()  # qualified names of the I/O calls that use it
    uses: tuple[Position, ...] = ()  # every literal that names this asset (convert replaces each)
    # For an output written as a file (`to_csv('out/preds.csv')`): the file name inside the folder.
    members: tuple[str, ...] = ()
    # For an output: literals (also in `uses`) where the notebook reads back what it wrote earlier.
    reads: tuple[Position, ...] = ()


@dataclass(frozen=True)
class Parameter:
    name: str
    value: object
    type: ParamType
    pos: Position  # the literal's position
    # "variable": `learning_rate = 0.1`; "keyword": `Ridge(alpha=0.5)`; "parameters_cell";
    # "container": a dict / config object / argparse default (`params = {"num_leaves": 31}`).
    origin: Literal["variable", "keyword", "parameters_cell", "container"] = "variable"
    call: str | None = None  # qualified name of the call the keyword belongs to


@dataclass(frozen=True)
class Metric:
    name: str  # mean_squared_error, r2_score, or a name made from the printed label
    pos: Position  # the metric call
    function: str  # qualified name: sklearn.metrics.mean_squared_error, <estimator>.score
    printed: bool = False
    logged: bool = False
    # Set when the metric is a name bound from a helper returning several (`mae, r2 = evaluate(...)`):
    # `pos` is then where the name is bound, and the name is logged after the statement.
    variable: str | None = None
    end: Position | None = None  # the end of the metric call: `cv(...).mean()` starts where `cv(...)` does


@dataclass(frozen=True)
class Requirement:
    name: str  # canonical distribution name, e.g. scikit-learn
    version: str | None  # None when unresolved
    source: RequirementSource
    imported_as: tuple[str, ...] = ()

    def line(self) -> str:
        return f"{self.name}=={self.version}" if self.version else self.name


@dataclass(frozen=True)
class CellPlan:
    cell: int
    kind: CellKind
    action: CellAction
    why: str
    rules: tuple[str, ...] = ()
    # Statements kept only because what they do is unknown: (line, call), e.g. (3, "helper()").
    unknown: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Analysis:
    """Everything `analyze` knows about a notebook: the input of every later stage."""

    notebook: Notebook
    findings: tuple[Finding, ...]
    cells: tuple[CellPlan, ...]
    inputs: tuple[DataAsset, ...]
    outputs: tuple[DataAsset, ...]
    parameters: tuple[Parameter, ...]
    metrics: tuple[Metric, ...]
    requirements: tuple[Requirement, ...] = ()
    python_version: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    # Every rule's findings, before selection and suppression: the rewrites act on these, so that
    # choosing what is reported never changes what a runnable job needs. Empty: use `findings`.
    fix_findings: tuple[Finding, ...] = ()

    @property
    def fixable(self) -> tuple[Finding, ...]:
        return self.fix_findings or self.findings


# --- facts: what the analysis extracted, consumed by rules and transforms -----------------------

StatementRole = Literal["code", "plot", "explore", "magic", "import", "definition"]


@dataclass(frozen=True)
class CallFact:
    pos: Position
    qualname: str | None  # resolved callee: "pandas.read_csv", "builtins.print"; None when unknown
    method: str | None = None  # attribute name for `recv.method(...)`
    receiver: str | None = None  # root name of the receiver expression
    receiver_type: str | None = None  # inferred: pandas, ndarray, estimator, figure, list, ...
    keywords: tuple[tuple[str, object], ...] = ()  # keyword -> literal value, or NOT_LITERAL
    keyword_names: tuple[str, ...] = ()
    keyword_positions: tuple[Position, ...] = ()  # aligned with `keywords`: where each value is
    keyword_vars: tuple[tuple[str, str], ...] = ()  # keyword -> name, for `f(alpha=alpha)`
    arg_names: tuple[str | None, ...] = ()  # positional arguments that are plain names
    in_function: bool = False  # inside a def/lambda body: runs when called, not here
    assigned_to: tuple[str, ...] = ()  # names the statement binds from this call's value
    enclosing: tuple[str | None, ...] = ()  # qualified names of the calls around this one, outermost first
    label: str | None = None  # for print calls: the literal text printed before the values
    end: Position | None = None


@dataclass(frozen=True)
class LiteralFact:
    """A string literal, with the name or keyword it is bound to (for secrets and paths)."""

    pos: Position
    value: str
    bound_to: str | None = None  # `password = "..."` -> "password"; `f(api_key="...")` -> "api_key"
    end: Position | None = None


@dataclass(frozen=True)
class PathUse:
    """One I/O call with its path argument resolved by constant propagation."""

    pos: Position  # the I/O call
    call: str  # qualified callee or "pandas.to_csv"-style method name
    direction: Direction
    path: str  # resolved text; "*" stands for parts that could not be resolved
    literal_pos: Position  # the root literal: where the path is written in the notebook
    literal_value: str
    variable: str | None  # variable holding the root literal
    folder: bool  # the root is used as a folder (joined, listed, created)
    member: str | None = None  # what is joined below the root: "greenTaxiData.csv"


@dataclass(frozen=True)
class Statement:
    id: int  # order among all statements of the notebook (nested ones included)
    cell: int
    pos: Position
    end: Position
    kind: str  # ast node name: Assign, Expr, Import, FunctionDef, For, ...
    role: StatementRole
    defines: frozenset[str]
    reads: frozenset[str]
    mutates: frozenset[str]
    effects: bool  # does something beyond binding names: I/O, printing, unknown calls
    prints: bool = False
    depth: int = 0  # 0 for a cell's top-level statements
    parent: int | None = None
    children: tuple[int, ...] = ()
    read_positions: tuple[tuple[str, Position], ...] = ()  # first read of each name
    define_positions: tuple[tuple[str, Position], ...] = ()
    display: bool = False  # the bare expression that ends a cell: its value is only shown
    imports: tuple[tuple[str, str], ...] = ()  # (bound name, qualified module/object)
    # Process-wide state it reads and advances: "pyplot" (the current figure), "random" (the global
    # generators of numpy and random). The slice follows it like a name; nothing else sees it.
    state: frozenset[str] = frozenset()
    unknown: tuple[str, ...] = ()  # calls whose effect is unknown: why the statement must stay
    # An import run for what it registers (`knowledge.SIDE_EFFECT_IMPORTS`): its bound names count as read.
    registers: bool = False


@dataclass(frozen=True)
class Facts:
    notebook: Notebook
    statements: tuple[Statement, ...]
    calls: tuple[tuple[int, CallFact], ...]  # (statement id, call)
    literals: tuple[tuple[int, LiteralFact], ...]
    paths: tuple[tuple[int, PathUse], ...]
    parse_errors: tuple[tuple[int, Position, str], ...]  # (cell, where, message)
    types: dict = field(default_factory=dict, compare=False, hash=False)  # name -> type at notebook end
    functions: dict = field(default_factory=dict, compare=False, hash=False)  # name -> FunctionSummary
    constants: dict = field(default_factory=dict, compare=False, hash=False)  # name -> (value, Position)
    flags: frozenset[str] = frozenset()  # "star_import", "seeded"
    references: tuple[tuple[int, str, Position, Position], ...] = ()  # (statement, removed API, start, end)

    def top_level(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.depth == 0)


# --- what emitters consume: plain data, no code -----------------------------------------------------


@dataclass(frozen=True)
class JobInput:
    name: str
    type: str  # uri_file, uri_folder, integer, number, string, boolean
    path: str | None = None  # data inputs: local path relative to the YAML file, or a datastore URI
    default: object = None  # parameters: the notebook's value
    description: str = ""
    optional: bool = False


@dataclass(frozen=True)
class JobOutput:
    name: str
    type: str = "uri_folder"
    description: str = ""


@dataclass(frozen=True)
class JobSpec:
    """A command job (or, with `kind="component"`, a command component)."""

    name: str  # valid Azure ML name: lower-case, digits, `_` / `-`
    display_name: str
    description: str
    code: str  # folder holding the script, relative to the YAML file
    script: str  # file name inside `code`
    inputs: tuple[JobInput, ...]
    outputs: tuple[JobOutput, ...]
    environment: str  # "azureml:name@latest" or a relative path to an environment YAML ("file:env.yml")
    compute: str = "azureml:cpu-cluster"
    experiment_name: str = ""
    version: str = "1"
    tags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PipelineStep:
    name: str  # the job's key under `jobs:`
    component: str  # path of the component YAML, relative to the pipeline YAML
    # input name -> "${{parent.inputs.x}}" or "${{parent.jobs.step.outputs.y}}"
    inputs: tuple[tuple[str, str], ...]
    # output name -> "${{parent.outputs.x}}", or None for an intermediate output Azure ML stores
    outputs: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class PipelineSpec:
    name: str
    display_name: str
    description: str
    experiment_name: str
    compute: str
    inputs: tuple[JobInput, ...]  # data inputs with paths, parameters with defaults
    outputs: tuple[JobOutput, ...]
    steps: tuple[PipelineStep, ...]
    tags: tuple[tuple[str, str], ...] = ()
