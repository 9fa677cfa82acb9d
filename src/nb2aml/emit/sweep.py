"""The Azure ML sweep job of a command job: search space, objective, sampling, limits.

Pure: a `JobSpec` and the notebook's parameters and metrics in, plain data or YAML out. The
trial is the command job itself (same code, environment, inputs and outputs); each swept
parameter's `${{inputs.x}}` becomes `${{search_space.x}}`. Azure ML's `loguniform` takes its
bounds as natural logarithms: `learning_rate: loguniform(-4.6, -0.69)` samples 0.01 to 0.5.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import cast

from nb2aml.emit.job import command_line, describe, environment_reference, is_literal
from nb2aml.emit.yamlout import Folded, dump_yaml
from nb2aml.types import JobSpec, Metric, Parameter

from ..errors import ConfigError

SWEEP_SCHEMA = "https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json"
SWEEP_YAML = "sweep.yml"

# Words in a parameter's name that say how to search it.
_LOG_SCALE = re.compile(
    r"(^|_)(lr|eta|learning_rate|alpha|lambda|lambda_l[12]|reg_alpha|reg_lambda|l1|l2|c|tol|weight_decay|"
    r"gamma|min_split_gain|min_child_weight|eps|epsilon|eta0|var_smoothing)($|_)"
)
_FRACTION = re.compile(r"(fraction|subsample|colsample|dropout|ratio|rate|momentum|split|max_features|bagging)")
_NOT_SEARCHED = re.compile(
    r"(^|_)(seed|random_state|random_seed|verbose|verbosity|n_jobs|num_threads|nthread|test_size|"
    r"validation_split|bagging_freq)($|_)"
)
# Alternatives of the string hyperparameters whose values are a known, closed set.
STRING_CHOICES = {
    "boosting_type": ["gbdt", "dart", "goss"],
    "boosting": ["gbdt", "dart", "goss"],
    "booster": ["gbtree", "dart", "gblinear"],
    "penalty": ["l2", "l1", "elasticnet"],
    "kernel": ["rbf", "linear", "poly", "sigmoid"],
    "weights": ["uniform", "distance"],
    "max_features": ["sqrt", "log2"],
    "tree_method": ["hist", "approx", "exact"],
    "activation": ["relu", "tanh", "logistic"],
    "optimizer": ["adam", "sgd", "rmsprop"],
    "algorithm": ["auto", "ball_tree", "kd_tree", "brute"],
}
_MINIMISE = re.compile(
    r"(error|loss|mse|mae|rmse|mape|smape|rmsle|deviance|logloss|log_loss|brier|hinge|perplexity|cost)"
)

Goal = str  # "minimize" / "maximize"


@dataclass(frozen=True)
class SweepOptions:
    objective: str | None = None  # "metric" or "metric=minimize"; default: the first logged metric
    max_trials: int = 20
    max_concurrent: int = 4
    timeout_minutes: int = 120
    search_space: tuple[tuple[str, str], ...] = ()  # NAME -> spec given with --search-space
    sampling: str = "random"


def search_space_entry(param: Parameter) -> dict | None:
    """The search distribution around the notebook's value, None when it is not searched."""
    name, value = param.name.lower(), param.value
    if _NOT_SEARCHED.search(name):
        return None
    if param.type == "boolean":
        return {"type": "choice", "values": [bool(value), not value]}
    if param.type == "string":
        options = STRING_CHOICES.get(name.rsplit("_", 1)[-1] if name not in STRING_CHOICES else name)
        if not options or value not in options:
            return None
        return {"type": "choice", "values": [value] + [o for o in options if o != value]}
    if param.type == "integer":
        return {"type": "choice", "values": integer_range(int(cast(int, value)))}
    if param.type == "number":
        number = float(cast(float, value))
        if number <= 0:
            return None
        if _LOG_SCALE.search(name) or number < 0.001:
            return {
                "type": "loguniform",
                "min_value": round(math.log(number / 10), 4),
                "max_value": round(math.log(number * 10), 4),
            }
        if number <= 1 and _FRACTION.search(name):
            return {
                "type": "uniform",
                "min_value": round(number / 2, 6),
                "max_value": round(min(1.0, number * 1.5 if number < 1 else 1.0), 6),
            }
        return {"type": "uniform", "min_value": round(number / 2, 6), "max_value": round(number * 2, 6)}
    return None


def integer_range(value: int) -> list[int]:
    """Integers around a count: 3 -> 1..6; 100 -> 50, 75, 100, 150, 200."""
    if value <= 0:
        return [value, value + 1, value + 2]
    if value <= 8:
        return list(range(max(1, value - 2), value + 4))
    return sorted({max(1, round(value * f)) for f in (0.5, 0.75, 1.0, 1.5, 2.0)})


def parse_spec(name: str, text: str) -> dict | None:
    """`--search-space NAME=SPEC`: `choice(16,32,64)`, `uniform(0.5,1)`, `loguniform(0.001,0.1)` (values,
    not logs), `randint(10)`, `quniform(10,100,5)`, `normal(0,1)`, or `fixed` to leave NAME out."""
    spec = text.strip()
    if spec == "fixed":
        return None
    match = re.fullmatch(r"(\w+)\((.*)\)", spec, re.S)
    if not match:
        raise ConfigError(
            f"--search-space {name}={text}: expected choice(...), uniform(a,b), loguniform(a,b), randint(n), "
            "quniform(a,b,q), normal(mu,sigma) or fixed"
        )
    kind, body = match.group(1).lower(), match.group(2)
    values = [_scalar(v) for v in body.split(",") if v.strip()]
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]

    def need(count: int) -> None:
        if len(numbers) != count or len(values) != count:
            raise ConfigError(f"--search-space {name}={text}: {kind} takes {count} number{'s' if count > 1 else ''}")

    if kind == "choice":
        if not values:
            raise ConfigError(f"--search-space {name}={text}: choice needs at least one value")
        return {"type": "choice", "values": values}
    if kind in ("uniform", "loguniform"):
        need(2)
        low, high = numbers
        if low >= high or (kind == "loguniform" and low <= 0):
            raise ConfigError(
                f"--search-space {name}={text}: needs 0 < low < high"
                if kind == "loguniform"
                else f"--search-space {name}={text}: needs low < high"
            )
        if kind == "loguniform":
            low, high = round(math.log(low), 6), round(math.log(high), 6)
        return {"type": kind, "min_value": low, "max_value": high}
    if kind == "randint":
        need(1)
        return {"type": "randint", "upper": int(numbers[0])}
    if kind in ("quniform", "qloguniform"):
        need(3)
        return {"type": kind, "min_value": numbers[0], "max_value": numbers[1], "q": numbers[2]}
    if kind in ("normal", "lognormal"):
        need(2)
        return {"type": kind, "mu": numbers[0], "sigma": numbers[1]}
    raise ConfigError(f"--search-space {name}={text}: unknown distribution {kind}")


def _scalar(text: str):
    text = text.strip().strip("'\"")
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def metric_goal(name: str) -> Goal:
    return "minimize" if _MINIMISE.search(name.lower()) else "maximize"


def choose_objective(metrics: list[str], objective: str | None) -> tuple[str, Goal]:
    if objective:
        name, _, goal = objective.partition("=")
        name = name.strip()
        if metrics and name not in metrics:
            raise ConfigError(f"--objective {name}: the job logs no such metric (it logs: {', '.join(metrics)})")
        goal = goal.strip().lower()
        if goal in ("min", "minimise"):
            goal = "minimize"
        if goal in ("max", "maximise"):
            goal = "maximize"
        if goal not in ("", "minimize", "maximize"):
            raise ConfigError(f"--objective {objective}: the goal is minimize or maximize")
        return name, goal or metric_goal(name)
    if not metrics:
        raise ConfigError(
            "--sweep: the notebook logs no metric to optimise; a sweep needs one (print or compute a metric)"
        )
    return metrics[0], metric_goal(metrics[0])


def build_search_space(parameters: tuple[Parameter, ...], overrides: tuple[tuple[str, str], ...]) -> dict[str, dict]:
    names = {p.name for p in parameters}
    unknown = [n for n, _ in overrides if n not in names]
    if unknown:
        raise ConfigError(
            f"--search-space {unknown[0]}: no such parameter (parameters: {', '.join(sorted(names)) or 'none'})"
        )
    given = dict(overrides)
    space: dict[str, dict] = {}
    for param in parameters:
        entry = parse_spec(param.name, given[param.name]) if param.name in given else search_space_entry(param)
        if entry is not None:
            space[param.name] = entry
    if not space:
        raise ConfigError("--sweep: no parameter to search (give one with --search-space NAME=SPEC)")
    return space


def sweep_document(spec: JobSpec, parameters: tuple[Parameter, ...], metrics: list[str], options: SweepOptions) -> dict:
    """The sweep job as plain data; the trial runs the command job's script."""
    space = build_search_space(parameters, options.search_space)
    metric, goal = choose_objective(metrics, options.objective)
    trial_spec = replace(spec, inputs=tuple(i for i in spec.inputs if i.name not in space))
    command = command_line(spec)
    for name in space:
        command = command.replace(f"${{{{inputs.{name}}}}}", f"${{{{search_space.{name}}}}}")
    inputs: dict = {}
    for item in trial_spec.inputs:
        if is_literal(item):
            inputs[item.name] = float(item.default) if item.type == "number" else item.default  # type: ignore[arg-type]
        else:
            inputs[item.name] = {"type": item.type, "path": str(item.path)}
    doc: dict = {"$schema": SWEEP_SCHEMA, "type": "sweep"}
    describe(doc, replace(spec, display_name=f"{spec.display_name}_sweep"))
    if spec.experiment_name:
        doc["experiment_name"] = spec.experiment_name
    if spec.compute:
        doc["compute"] = spec.compute
    doc.update(sweep_settings(space, metric, goal, options))
    if inputs:
        doc["inputs"] = inputs
    if spec.outputs:
        doc["outputs"] = {o.name: {"type": o.type} for o in spec.outputs}
    doc["trial"] = {
        "code": spec.code,
        "command": Folded(command),
        "environment": environment_reference(spec.environment),
    }
    return doc


def sweep_settings(space: dict, metric: str, goal: Goal, options: SweepOptions) -> dict:
    """What a sweep job and a pipeline's sweep node share: sampling, space, objective, limits, early termination."""
    return {
        "sampling_algorithm": options.sampling,
        "search_space": space,
        "objective": {"goal": goal, "primary_metric": metric},
        "limits": {
            "max_total_trials": options.max_trials,
            "max_concurrent_trials": options.max_concurrent,
            "timeout": options.timeout_minutes * 60,
        },
        # Bandit: after 5 evaluations, stop a trial whose metric is more than 10% behind the best one.
        "early_termination": {"type": "bandit", "slack_factor": 0.1, "evaluation_interval": 1, "delay_evaluation": 5},
    }


def render_sweep_yaml(
    spec: JobSpec, parameters: tuple[Parameter, ...], metrics: list[str], options: SweepOptions
) -> str:
    return dump_yaml(sweep_document(spec, parameters, metrics, options))


def logged_metric_names(metrics: tuple[Metric, ...], extra: tuple[str, ...] = ()) -> list[str]:
    return list(dict.fromkeys([m.name for m in metrics] + list(extra)))


def describe_space(space: dict[str, dict]) -> list[str]:
    """One line a parameter, in the notebook's units: for the output's README."""
    lines = []
    for name, entry in space.items():
        kind = entry["type"]
        if kind == "choice":
            text = "one of " + ", ".join(f"`{v}`" for v in entry["values"])
        elif kind == "loguniform":
            text = (
                f"log-uniform from {math.exp(entry['min_value']):.3g} to {math.exp(entry['max_value']):.3g} "
                f"(bounds written as natural logs, {entry['min_value']} and {entry['max_value']})"
            )
        elif kind in ("uniform", "quniform", "qloguniform"):
            text = f"{kind} from {entry['min_value']} to {entry['max_value']}" + (
                f" in steps of {entry['q']}" if "q" in entry else ""
            )
        elif kind == "randint":
            text = f"an integer from 0 to {entry['upper'] - 1}"
        else:
            text = f"{kind} with mu {entry['mu']}, sigma {entry['sigma']}"
        lines.append(f"- `{name}`: {text}")
    return lines
