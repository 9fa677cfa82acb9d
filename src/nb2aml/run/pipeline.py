"""Run a pipeline folder here: its components as subprocesses, in dependency order.

Each step's outputs go to DIR/.runs/<timestamp>/<step>/<output>/; a step starts when every step
it reads from succeeded (two independent steps may run side by side), and a failed step skips
its dependants while the others carry on. MLflow: one parent run, one child run per step.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from ..emit.sweep_chain import STEP_OUTPUT
from ..envtools.yamlfile import read_yaml_mapping
from ..errors import JobError
from .command import LocalJob, build_argv
from .forkserver import ForkServer, ForkServerUnavailable
from .local import RUNS_DIR, Tracker, default_tracking_uri, new_run_dir, quiet_mlflow
from .result import RunResult, StepResult
from .step import Outcome, execute_step, step_environment, tracked_step

PIPELINE_FILES = ("pipeline.yml", "pipeline.yaml")
_PARENT_INPUT = re.compile(r"^\$\{\{\s*parent\.inputs\.(\w+)\s*\}\}$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


@dataclass(frozen=True)
class _Step:
    name: str
    component_path: Path
    code_dir: Path
    command: str
    data_inputs: dict  # name -> local path or ("step", source, output)
    literal_inputs: dict
    literal_types: dict
    outputs: tuple[str, ...]
    depends_on: frozenset[str]


def find_pipeline_yaml(folder: Path) -> Path | None:
    for name in PIPELINE_FILES:
        if (folder / name).is_file():
            return folder / name
    return None


def run_pipeline(
    folder: Path,
    *,
    inputs: dict | None = None,
    params: dict | None = None,
    tracking_uri: str | None = None,
    python: str | Callable[[Path], str] = sys.executable,
    stream: Callable[[str], object] = print,
    env_extra: dict | None = None,
    parallel: int = 2,
) -> RunResult:
    # A folder holding pipeline.yml, or the pipeline YAML itself (a sweep's trial pipeline).
    yaml_path = Path(folder) if Path(folder).is_file() else find_pipeline_yaml(Path(folder))
    if yaml_path is None:
        raise JobError(f"{folder}: no pipeline.yml")
    yaml_path = yaml_path.resolve()
    doc = read_yaml_mapping(yaml_path, JobError)
    base = yaml_path.parent
    data, literals, types = _pipeline_inputs(yaml_path, doc, inputs or {}, params or {})
    steps = _steps(yaml_path, doc, data, literals, types)
    run_dir = new_run_dir(base / RUNS_DIR)
    base_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env_extra or {})}
    # Started first: its imports overlap with the MLflow set-up below.
    server = _start_fork_server(python, base_env, steps)
    try:
        return _run_steps(
            yaml_path, doc, steps, run_dir, tracking_uri, python, stream, env_extra, parallel, server, base_env
        )
    finally:
        if server is not None:
            server.close()


def _start_fork_server(python: str | Callable[[Path], str], env: dict, steps: list[_Step]) -> ForkServer | None:
    # One interpreter per component (`run --isolated`): no single pre-imported parent fits them all.
    if callable(python) or os.environ.get("NB2AML_NO_FORK_SERVER"):
        return None
    try:
        return ForkServer(python, env, _preload(steps))
    except ForkServerUnavailable:
        return None


def _preload(steps: list[_Step]) -> list[str]:
    """Modules the step scripts import from the environment (not their own folder), and what MLflow
    and the handoff module import on first use."""
    import ast
    import shlex

    modules: dict[str, None] = {}
    for step in steps:
        words = shlex.split(step.command.replace("${{", "").replace("}}", "")) if step.command else []
        script = step.code_dir / words[1] if len(words) > 1 and words[1].endswith(".py") else None
        if script is None or not script.is_file():
            continue
        try:
            tree = ast.parse(script.read_text(encoding="utf-8"))
        except (SyntaxError, ValueError, OSError):
            continue
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if (isinstance(node, ast.ImportFrom) and node.module and node.level == 0)
                else []
            )
            for name in names:
                top = name.split(".")[0]
                if (step.code_dir / f"{top}.py").exists() or (step.code_dir / top).is_dir():
                    modules.update(dict.fromkeys(_LOCAL_MODULE_IMPORTS.get(top, ())))
                    continue
                modules[name] = None
                modules.update(dict.fromkeys(_FIRST_USE_IMPORTS.get(top, ())))
    return list(modules)


# What a module imports only when first used: the tracking store behind `mlflow.log_metric`, the
# parquet engine behind `DataFrame.to_parquet`.
_FIRST_USE_IMPORTS = {
    "mlflow": (
        "mlflow.tracking.fluent",
        "mlflow.store.tracking.sqlalchemy_store",
        "mlflow.store.artifact.local_artifact_repo",
    ),
    "pandas": ("pyarrow", "pyarrow.parquet"),
}
_LOCAL_MODULE_IMPORTS = {"nb2aml_handoff": ("pandas", "numpy", "pyarrow.parquet", "mlflow.sklearn", "sklearn")}


def _forkable(argv: list[str], shell: bool, python: str, code_dir: Path, env: dict, server_env: dict) -> bool:
    """A plain `python script.py ...` with the interpreter settings the server started with."""
    if shell or len(argv) < 2 or argv[0] != python or not argv[1].endswith(".py") or not (code_dir / argv[1]).is_file():
        return False
    keys = {k for k in (*env, *server_env) if k.startswith("PYTHON") and k != "PYTHONUNBUFFERED"}
    return all(env.get(k) == server_env.get(k) for k in keys)


def _run_steps(
    yaml_path: Path,
    doc: dict,
    steps: list[_Step],
    run_dir: Path,
    tracking_uri: str | None,
    python: str | Callable[[Path], str],
    stream,
    env_extra: dict | None,
    parallel: int,
    server: ForkServer | None,
    server_env: dict,
) -> RunResult:
    base = yaml_path.parent
    uri = tracking_uri or default_tracking_uri(base)
    tracker = Tracker(uri, str(yaml_path))
    experiment_name = doc.get("experiment_name") or doc.get("display_name") or base.name
    experiment_id = tracker.experiment(str(experiment_name))
    with quiet_mlflow():
        parent = tracker.client.create_run(
            experiment_id,
            run_name=str(doc.get("display_name") or experiment_name),
            tags={"nb2aml.pipeline": str(yaml_path), "mlflow.source.type": "LOCAL"},
        ).info.run_id
    results: dict[str, StepResult] = {}
    outputs_of: dict[str, dict[str, str]] = {}
    lock = threading.Lock()

    def run_step(step: _Step) -> StepResult:
        folders = {}
        for output in step.outputs:
            target = run_dir / step.name / output
            target.mkdir(parents=True, exist_ok=True)
            folders[output] = str(target)
        resolved = {}
        for name, value in step.data_inputs.items():
            resolved[name] = outputs_of[value[1]][value[2]] if isinstance(value, tuple) else value
        job = LocalJob(
            yaml_path=step.component_path,
            name=step.name,
            experiment_name=str(experiment_name),
            code_dir=step.code_dir,
            command=step.command,
            data_inputs=resolved,
            literal_inputs=step.literal_inputs,
            literal_types=step.literal_types,
            outputs=step.outputs,
        )
        # `python` may pick an interpreter per component (`run --isolated` with one environment per component).
        argv, shell = build_argv(job, folders, python(step.component_path) if callable(python) else python)
        with quiet_mlflow():
            child = tracker.client.create_run(
                experiment_id, run_name=step.name, tags={"mlflow.parentRunId": parent, "nb2aml.step": step.name}
            ).info.run_id
        env = step_environment(uri, child, experiment_id, env_extra)

        def prefixed(line: str) -> None:
            with lock:
                stream(f"[{step.name}] {line}")

        return tracked_step(
            tracker, child, step.name, folders, lambda: _execute_step(argv, shell, step.code_dir, env, prefixed)
        )

    def _execute_step(argv: list[str], shell: bool, code_dir: Path, env: dict, prefixed) -> Outcome:
        if server is not None and isinstance(python, str) and _forkable(argv, shell, python, code_dir, env, server_env):
            try:
                return server.execute(argv, code_dir, env, prefixed)
            except ForkServerUnavailable:
                pass
        return execute_step(argv, shell, code_dir, env, prefixed)

    pending = {s.name: s for s in steps}
    try:
        with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            running: dict = {}
            while pending or running:
                for name, step in list(pending.items()):
                    if any(results.get(d) and results[d].status != "succeeded" for d in step.depends_on):
                        failed = next(d for d in step.depends_on if results.get(d) and results[d].status != "succeeded")
                        results[name] = StepResult(
                            name=name, status="skipped", error=f"skipped: step {failed} did not succeed"
                        )
                        del pending[name]
                    elif all(d in results for d in step.depends_on):
                        running[pool.submit(run_step, step)] = name
                        del pending[name]
                if not running:
                    continue
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    name = running.pop(future)
                    results[name] = future.result()
                    outputs_of[name] = results[name].outputs
    except BaseException:
        tracker.finish(parent, "KILLED")
        raise
    ordered = tuple(results[s.name] for s in steps)
    ok = all(r.status == "succeeded" for r in ordered)
    tracker.finish(parent, "FINISHED" if ok else "FAILED")
    return RunResult(
        status="succeeded" if ok else "failed",
        steps=ordered,
        run_dir=str(run_dir),
        tracking_uri=uri,
        experiment_id=experiment_id,
    )


def _pipeline_inputs(yaml_path: Path, doc: dict, inputs: dict, params: dict):
    data, literals, types = {}, {}, {}
    declared = doc.get("inputs") or {}
    for name in list(inputs) + list(params):
        if name not in declared:
            raise JobError(f"{yaml_path}: the pipeline has no input {name!r} (it has: {', '.join(declared) or 'none'})")
    for name, value in declared.items():
        if isinstance(value, dict) and ("path" in value or str(value.get("type", "")).startswith(("uri_", "mltable"))):
            if name in inputs:
                data[name] = str(Path(inputs[name]).resolve())
            else:
                path = str(value.get("path", ""))
                data[name] = path if _URI.match(path) else str((yaml_path.parent / path).resolve())
            if not _URI.match(data[name]) and not Path(data[name]).exists():
                raise JobError(f"{yaml_path}: input {name}: {data[name]} does not exist")
        else:
            default = value.get("default", value.get("value")) if isinstance(value, dict) else value
            literals[name] = _typed(yaml_path, name, params[name], default) if name in params else default
            types[name] = _type_name(default)
    return data, literals, types


def _typed(where, name, text: str, default):
    try:
        if isinstance(default, bool):
            lowered = text.strip().lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(text)
            return lowered in ("true", "1", "yes")
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        return text
    except ValueError:
        raise JobError(f"{where}: --set {name}={text}: not a valid {_type_name(default)}") from None


def _type_name(value) -> str:
    from ..analysis.parameters import param_type

    return param_type(value) or "string"


def _steps(yaml_path: Path, doc: dict, data: dict, literals: dict, types: dict) -> list[_Step]:
    jobs = doc.get("jobs") or {}
    if not jobs:
        raise JobError(f"{yaml_path}: the pipeline has no jobs")
    steps = []
    for name, job in jobs.items():
        component_ref = str((job or {}).get("component", ""))
        component_path = (yaml_path.parent / component_ref).resolve()
        if not component_path.is_file():
            raise JobError(f"{yaml_path}: job {name}: component {component_ref!r} is not a file here")
        component = read_yaml_mapping(component_path, JobError)
        code_dir = (component_path.parent / str(component.get("code", "."))).resolve()
        declared = component.get("inputs") or {}
        step_data, step_literals, step_types, depends = {}, {}, {}, set()
        for input_name, binding in (job.get("inputs") or {}).items():
            binding = str(binding)
            kind = str((declared.get(input_name) or {}).get("type", "string"))
            parent_input = _PARENT_INPUT.match(binding)
            step_output = STEP_OUTPUT.match(binding)
            if step_output:
                depends.add(step_output.group(1))
                step_data[input_name] = ("step", step_output.group(1), step_output.group(2))
            elif parent_input:
                source = parent_input.group(1)
                if source in data:
                    step_data[input_name] = data[source]
                else:
                    step_literals[input_name] = literals.get(source)
                    step_types[input_name] = types.get(source, kind)
            else:
                step_literals[input_name] = binding
                step_types[input_name] = kind
        for input_name, spec in declared.items():
            if (
                input_name not in step_data
                and input_name not in step_literals
                and isinstance(spec, dict)
                and "default" in spec
            ):
                step_literals[input_name] = spec["default"]
                step_types[input_name] = str(spec.get("type", "string"))
        unknown = depends - set(jobs)
        if unknown:
            raise JobError(f"{yaml_path}: job {name} reads from unknown job {sorted(unknown)[0]!r}")
        steps.append(
            _Step(
                name=name,
                component_path=component_path,
                code_dir=code_dir,
                command=str(component.get("command", "")),
                data_inputs=step_data,
                literal_inputs=step_literals,
                literal_types=step_types,
                outputs=tuple((component.get("outputs") or {}).keys()),
                depends_on=frozenset(depends),
            )
        )
    return steps
