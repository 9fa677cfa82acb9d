"""MLflow logging that respects the notebook's own use of MLflow.

A notebook that starts its own runs (`with mlflow.start_run():`, `mlflow.start_run()`) breaks
when the job logs first: the fluent `mlflow.log_param` starts a run, and the notebook's
`start_run` then fails with "Run with UUID ... is already active". In such a script every value
nb2aml logs goes through one small function that never starts a run: into the notebook's active
run, else into the job's run (the run Azure ML and `nb2aml run` name in `MLFLOW_RUN_ID`, which
the notebook's first `start_run` resumes).

Nothing is logged twice: a parameter the notebook logs itself (`mlflow.log_param("alpha",
alpha)`) or that autologging records (a keyword of an estimator `mlflow.sklearn.autolog()`
covers) is not logged again; metrics the notebook logs are already marked `logged` by the
analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis import knowledge as K
from ..types import CallFact, Facts, Parameter, Statement

START_RUN = frozenset({"mlflow.start_run"})
PARAM_LOGGERS = frozenset({"mlflow.log_param", "mlflow.log_params"})
# What each autolog call records the parameters of: estimators of these modules.
_AUTOLOG_FLAVOURS = {
    "mlflow.autolog": ("sklearn", "xgboost", "lightgbm", "statsmodels", "keras", "tensorflow", "torch"),
    "mlflow.sklearn.autolog": ("sklearn",),
    "mlflow.xgboost.autolog": ("xgboost",),
    "mlflow.lightgbm.autolog": ("lightgbm",),
}


@dataclass(frozen=True)
class MlflowUse:
    """How the kept code of one script uses MLflow itself."""

    starts_runs: bool  # calls `mlflow.start_run`: logging must never start a run
    logged_params: frozenset[str]  # parameter keys and variables the notebook logs itself
    autologged: tuple[str, ...]  # modules whose estimators' parameters autologging records


def mlflow_use(facts: Facts, keep: frozenset[int]) -> MlflowUse:
    by_id = {s.id: s for s in facts.statements}
    literals_by_statement: dict[int, list] = {}
    for sid, literal_fact in facts.literals:
        literals_by_statement.setdefault(sid, []).append(literal_fact)
    starts = False
    logged: set[str] = set()
    autologged: list[str] = []
    for sid, call in facts.calls:
        if _top(by_id, sid).id not in keep:
            continue
        if call.qualname in START_RUN:
            starts = True
        elif call.qualname in PARAM_LOGGERS:
            logged |= by_id[sid].reads
            logged |= {lit.value for lit in literals_by_statement.get(sid, ()) if _within(lit.pos, call)}
        elif call.qualname in K.MLFLOW_AUTOLOG:
            autologged += _AUTOLOG_FLAVOURS.get(call.qualname, ())
    return MlflowUse(starts, frozenset(logged), tuple(dict.fromkeys(autologged)))


# Calls that choose where runs go: in a job, Azure ML (or `nb2aml run`) has chosen already, and the
# notebook's choice makes its `start_run` fail ("active experiment ID does not match environment run ID").
RUN_PLACEMENT = frozenset({"mlflow.set_experiment", "mlflow.set_tracking_uri"})


@dataclass(frozen=True)
class RunPlacement:
    """A top-level `mlflow.set_experiment(...)` / `mlflow.set_tracking_uri(...)` the job leaves out."""

    statement: Statement
    call: str
    literal: str | None  # the experiment name or URI, when written as a literal


def run_placements(facts: Facts, keep: frozenset[int]) -> tuple[RunPlacement, ...]:
    by_id = {s.id: s for s in facts.statements}
    literals_by_statement: dict[int, list] = {}
    for sid, literal_fact in facts.literals:
        literals_by_statement.setdefault(sid, []).append(literal_fact)
    found = []
    for sid, call in facts.calls:
        statement = by_id[sid]
        if (
            call.qualname not in RUN_PLACEMENT
            or call.in_function
            or statement.depth != 0
            or sid not in keep
            or statement.kind != "Expr"
        ):
            continue
        keyword = next((v for k, v in call.keywords if k in ("experiment_name", "uri") and isinstance(v, str)), None)
        literal = keyword or next(
            (lit.value for lit in literals_by_statement.get(sid, ()) if _within(lit.pos, call)), None
        )
        found.append(RunPlacement(statement, call.qualname, literal))
    return tuple(found)


def notebook_experiment(facts: Facts, keep: frozenset[int]) -> str | None:
    """The experiment the notebook names with `mlflow.set_experiment("...")`: the job's experiment."""
    return next(
        (p.literal for p in run_placements(facts, keep) if p.call == "mlflow.set_experiment" and p.literal), None
    )


def experiment_apart_from_created(facts: Facts, keep: frozenset[int], name: str) -> str:
    """The job's default experiment `name`, or `name_job` when the kept code creates an experiment
    of that very name (`mlflow.create_experiment('demo')`): the job's experiment exists before its
    script runs, so the script's own creation would fail with "already exists"."""
    by_id = {s.id: s for s in facts.statements}
    literals_by_statement: dict[int, list] = {}
    for sid, literal in facts.literals:
        literals_by_statement.setdefault(sid, []).append(literal)
    created = set()
    for sid, call in facts.calls:
        if call.qualname != "mlflow.create_experiment" or _top(by_id, sid).id not in keep:
            continue
        keyword = next((v for k, v in call.keywords if k == "name" and isinstance(v, str)), None)
        created.add(
            keyword or next((lit.value for lit in literals_by_statement.get(sid, ()) if _within(lit.pos, call)), None)
        )
    return f"{name}_job" if name in created else name


def params_to_log(parameters: tuple[Parameter, ...], facts: Facts, use: MlflowUse) -> tuple[Parameter, ...]:
    """The parameters nb2aml logs: those neither the notebook nor autologging logs already."""
    variables = {pos: variable for variable, (_, pos) in facts.constants.items()}
    keywords_of: dict[str, set[str]] = {}
    for _, call in facts.calls:
        if call.qualname:
            keywords_of.setdefault(call.qualname, set()).update(call.keyword_names)
    chosen = []
    for param in parameters:
        if param.name in use.logged_params or variables.get(param.pos) in use.logged_params:
            continue
        covered = param.call is not None and param.call.split(".")[0] in use.autologged
        if covered and param.call is not None and param.name in keywords_of.get(param.call, set()):
            continue
        chosen.append(param)
    return tuple(chosen)


def run_safe_logger(function: str, run_variable: str) -> str:
    """The function a script whose notebook starts its own runs logs through (module-level code)."""
    return "\n".join(
        [
            f"{run_variable} = os.environ.get('MLFLOW_RUN_ID')  # the job's run: the notebook's first start_run "
            "resumes it",
            "",
            "",
            f"def {function}(kind, key, value):",
            '    """Log into the active MLflow run, else the job\'s run, never starting one: the notebook starts its '
            'own."""',
            "    active = mlflow.active_run()",
            f"    run_id = active.info.run_id if active is not None else {run_variable}",
            "    if run_id is not None:",
            "        getattr(mlflow.tracking.MlflowClient(), kind)(run_id, key, value)",
        ]
    )


def log_call(kind: str, key: str, value: str, function: str | None) -> str:
    """`mlflow.log_param('alpha', args.alpha)`, or through the run-safe function."""
    if function is None:
        return f"mlflow.{kind}({key!r}, {value})"
    return f"{function}({kind!r}, {key!r}, {value})"


def _within(pos, call: CallFact) -> bool:
    return call.end is not None and call.pos <= pos <= call.end


def _top(by_id: dict[int, Statement], sid: int) -> Statement:
    statement = by_id[sid]
    while statement.parent is not None:
        statement = by_id[statement.parent]
    return statement
