"""`nb2aml run DIR/sweep.yml --trials N`: sample N trials of a sweep job and run them here.

Each trial is the sweep's command job with the sampled values as parameters, run by `run_job`
(its own process, outputs under DIR/.runs/) as a child MLflow run of one parent run named after
the sweep; up to the local cores run at once. Sampling follows the YAML's distributions as
Azure ML defines them (`loguniform` bounds are natural logs), seeded so that a rerun samples the
same trials.
"""

from __future__ import annotations

import math
import os
import random
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..envtools.yamlfile import read_yaml_mapping
from ..errors import JobError
from .local import (
    RUNS_DIR,
    Tracker,
    default_tracking_uri,
    new_run_dir,
    quiet_mlflow,
    run_job,
)
from .pipeline import run_pipeline
from .result import StepResult


@dataclass(frozen=True)
class Trial:
    number: int
    params: dict
    status: str = "failed"
    metrics: dict = field(default_factory=dict)
    error: str | None = None
    run_id: str | None = None
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"trial": self.number, "params": dict(self.params), "metrics": dict(self.metrics), "status": self.status}


@dataclass(frozen=True)
class SweepResult:
    trials: tuple[Trial, ...]
    metric: str
    goal: str
    run_dir: str
    parent_run_id: str

    @property
    def best(self) -> Trial | None:
        scored = [t for t in self.trials if t.status == "succeeded" and self.metric in t.metrics]
        if not scored:
            return None
        pick = min if self.goal == "minimize" else max
        return pick(scored, key=lambda t: t.metrics[self.metric])

    def ranked(self) -> list[Trial]:
        best_first = sorted(
            (t for t in self.trials if self.metric in t.metrics),
            key=lambda t: t.metrics[self.metric],
            reverse=self.goal == "maximize",
        )
        return best_first + [t for t in self.trials if self.metric not in t.metrics]

    def to_json(self) -> dict:
        best = self.best
        return {
            "objective": {"primary_metric": self.metric, "goal": self.goal},
            "trials": [t.to_json() for t in self.trials],
            "best": best.to_json() if best else None,
        }


def is_sweep_yaml(path: Path) -> bool:
    # `nb2aml run` also takes a folder or a notebook (`.ipynb`, percent `.py`): only YAML is a sweep.
    if not Path(path).is_file() or Path(path).suffix.lower() not in (".yml", ".yaml"):
        return False
    doc = read_yaml_mapping(Path(path), JobError)
    return doc.get("type") == "sweep" or _sweep_node(doc) is not None


def _sweep_node(doc: dict) -> tuple[str, dict] | None:
    """The (name, node) of a pipeline's sweep step (`split --sweep`)."""
    if doc.get("type") != "pipeline":
        return None
    for name, job in (doc.get("jobs") or {}).items():
        if isinstance(job, dict) and job.get("type") == "sweep":
            return str(name), job
    return None


def sample(space: dict, rng: random.Random) -> dict:
    """One draw from an Azure ML search space."""
    values = {}
    for name, entry in space.items():
        kind = str(entry.get("type", "")).lower()
        if kind == "choice":
            values[name] = rng.choice(list(entry["values"]))
        elif kind == "randint":
            values[name] = rng.randrange(int(entry["upper"]))
        elif kind in ("uniform", "quniform"):
            value = rng.uniform(float(entry["min_value"]), float(entry["max_value"]))
            values[name] = _quantised(value, entry) if kind == "quniform" else value
        elif kind in ("loguniform", "qloguniform"):
            value = math.exp(rng.uniform(float(entry["min_value"]), float(entry["max_value"])))
            values[name] = _quantised(value, entry) if kind == "qloguniform" else value
        elif kind in ("normal", "qnormal", "lognormal", "qlognormal"):
            value = rng.gauss(float(entry["mu"]), float(entry["sigma"]))
            value = math.exp(value) if "log" in kind else value
            values[name] = _quantised(value, entry) if kind.startswith("q") else value
        else:
            raise JobError(f"search space {name}: unknown distribution {kind!r}")
    return values


def _quantised(value: float, entry: dict) -> float:
    q = float(entry["q"])
    return round(value / q) * q


def run_sweep(
    yaml_path: Path,
    *,
    trials: int = 3,
    seed: int = 0,
    tracking_uri: str | None = None,
    stream: Callable[[str], object] = print,
    parallel: int | None = None,
) -> SweepResult:
    yaml_path = Path(yaml_path).resolve()
    doc = read_yaml_mapping(yaml_path, JobError)
    base = yaml_path.parent
    node = _sweep_node(doc)
    settings = node[1] if node else doc
    space = settings.get("search_space") or {}
    objective = settings.get("objective") or {}
    metric, goal = str(objective.get("primary_metric", "")), str(objective.get("goal", "minimize")).lower()
    if not isinstance(space, dict) or not space or not metric:
        raise JobError(f"{yaml_path}: a sweep needs a search_space and an objective.primary_metric")
    run_dir = new_run_dir(base / RUNS_DIR)
    trial_yaml = run_dir / "trial.yml"
    if node is None:
        _write_trial_job(yaml_path, doc, space, trial_yaml)
    rng = random.Random(seed)
    draws = [sample(space, rng) for _ in range(trials)]
    uri = tracking_uri or default_tracking_uri(base)
    tracker = Tracker(uri, str(yaml_path))
    experiment = str(doc.get("experiment_name") or doc.get("display_name") or base.name)
    experiment_id = tracker.experiment(experiment)
    with quiet_mlflow():
        parent = tracker.client.create_run(
            experiment_id,
            run_name=str(doc.get("display_name") or "sweep"),
            tags={"nb2aml.sweep": str(yaml_path), "mlflow.source.type": "LOCAL"},
        ).info.run_id
    limits = settings.get("limits") or {}
    workers = parallel or min(trials, os.cpu_count() or 1, int(limits.get("max_concurrent_trials") or trials))
    lock = threading.Lock()

    def run_trial(number: int, values: dict) -> Trial:
        def prefixed(line: str) -> None:
            with lock:
                stream(f"[trial {number}] {line}")

        texts = {k: _text(v) for k, v in values.items()}
        if node is None:
            result = run_job(trial_yaml, params=texts, tracking_uri=uri, stream=prefixed)
            step: StepResult = result.steps[0]
            run_id = step.run_id
        else:
            # Each trial runs the pipeline with the sweep node as a command node of its trial component, given the
            # sampled values; that node's metrics are the trial's. (Here the other steps run again for each trial.)
            trial_pipeline = _write_trial_pipeline(yaml_path, doc, node, texts, run_dir / f"trial_{number}")
            result = run_pipeline(trial_pipeline, tracking_uri=uri, stream=prefixed)
            step = next(s for s in result.steps if s.name == node[0])
            errors = [s.error for s in result.steps if s.error]
            step = replace(step, error=step.error or (errors[0] if errors else None))
            with quiet_mlflow():
                run_id = (
                    tracker.client.get_run(step.run_id).data.tags.get("mlflow.parentRunId") if step.run_id else None
                )
        if run_id:
            with quiet_mlflow():
                tracker.client.set_tag(run_id, "mlflow.parentRunId", parent)
                tracker.client.set_tag(run_id, "mlflow.runName", f"trial_{number}")
        status = "succeeded" if result.status == "succeeded" else "failed"
        return Trial(
            number=number,
            params=values,
            status=status,
            metrics=step.metrics,
            error=step.error,
            run_id=run_id,
            seconds=step.seconds,
        )

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            done = list(pool.map(lambda item: run_trial(*item), enumerate(draws, start=1)))
    except BaseException:
        tracker.finish(parent, "KILLED")
        raise
    result = SweepResult(
        trials=tuple(done),
        metric=metric,
        goal="maximize" if goal.startswith("max") else "minimize",
        run_dir=str(run_dir),
        parent_run_id=parent,
    )
    best = result.best
    with quiet_mlflow():
        if best is not None:
            tracker.client.log_metric(parent, metric, best.metrics[metric])
            tracker.client.set_tag(parent, "nb2aml.best_trial", str(best.number))
    tracker.finish(parent, "FINISHED" if best is not None else "FAILED")
    return result


def _text(value) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return str(value)


def _write_trial_job(yaml_path: Path, doc: dict, space: dict, target: Path) -> None:
    """The command job one trial runs: the trial's command, `${{search_space.x}}` read as a parameter."""
    import yaml

    trial = doc.get("trial")
    if not isinstance(trial, dict) or not isinstance(trial.get("command"), str):
        raise JobError(f"{yaml_path}: the sweep has no trial command")
    base = yaml_path.parent
    command = trial["command"]
    inputs: dict = {}
    for name, value in (doc.get("inputs") or {}).items():
        if isinstance(value, dict) and "path" in value and not str(value["path"]).startswith(("azureml:", "http")):
            value = {**value, "path": str((base / str(value["path"])).resolve())}
        inputs[name] = value
    for name, entry in space.items():
        command = command.replace(f"${{{{search_space.{name}}}}}", f"${{{{inputs.{name}}}}}")
        first = entry.get("values", [None])[0] if entry.get("type") == "choice" else None
        kind = (
            "boolean"
            if isinstance(first, bool)
            else "integer"
            if isinstance(first, int)
            else "string"
            if isinstance(first, str)
            else "number"
        )
        inputs[name] = {"type": kind}
    code = trial.get("code", ".")
    job = {
        "type": "command",
        "code": str((base / str(code)).resolve()),
        "command": command,
        "inputs": inputs,
        "outputs": doc.get("outputs") or {},
        "experiment_name": doc.get("experiment_name") or doc.get("display_name") or base.name,
        "display_name": f"{doc.get('display_name') or 'sweep'}_trial",
        "environment_variables": trial.get("environment_variables") or {},
    }
    target.write_text(yaml.safe_dump(job, sort_keys=False), encoding="utf-8")


def _write_trial_pipeline(yaml_path: Path, doc: dict, node: tuple[str, dict], values: dict, folder: Path) -> Path:
    """The pipeline one trial runs: the sweep node becomes a command node of its trial component with the
    sampled values as inputs. Paths are made absolute: the file is written under DIR/.runs/."""
    import yaml

    base = yaml_path.parent
    name, sweep = node
    trial = sweep.get("trial")
    if not isinstance(trial, str):
        raise JobError(f"{yaml_path}: job {name}: the sweep's trial is not a component file")
    jobs: dict = {}
    for job_name, job in (doc.get("jobs") or {}).items():
        if job_name == name:
            job = {
                "type": "command",
                "component": trial,
                "inputs": {**(sweep.get("inputs") or {}), **values},
                "outputs": sweep.get("outputs") or {},
            }
        component = (job or {}).get("component")
        if isinstance(component, str) and ":" not in component:
            job = {**job, "component": str((base / component).resolve())}
        jobs[job_name] = job
    inputs: dict = {}
    for input_name, value in (doc.get("inputs") or {}).items():
        if isinstance(value, dict) and "path" in value and not _is_uri(str(value["path"])):
            value = {**value, "path": str((base / str(value["path"])).resolve())}
        inputs[input_name] = value
    trial_doc = {**doc, "inputs": inputs, "jobs": jobs}
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "pipeline.yml"
    target.write_text(yaml.safe_dump(trial_doc, sort_keys=False), encoding="utf-8")
    return target


def _is_uri(path: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", path)) and not re.match(r"^[A-Za-z]:[\\/]", path)
