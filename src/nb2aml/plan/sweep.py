"""`--sweep`: add `sweep.yml` and its README section to a planned job (convert) or step (split)."""

from __future__ import annotations

import ast

from ..emit.sweep import (
    SWEEP_YAML,
    SweepOptions,
    build_search_space,
    choose_objective,
    describe_space,
    render_sweep_yaml,
    sweep_settings,
)
from ..types import Analysis, JobSpec, NotebookError, Parameter, PipelineSpec


def logged_metrics(script_text: str) -> list[str]:
    """The metric keys the script logs, in order: `mlflow.log_metric("rmse", ...)` and `mlflow.log_metrics({...})`."""
    names: list[str] = []
    for node in ast.walk(ast.parse(script_text)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "mlflow"
            and node.args
        ):
            continue
        first = node.args[0]
        if node.func.attr == "log_metric" and isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.append(first.value)
        elif node.func.attr == "log_metrics" and isinstance(first, ast.Dict):
            names += [k.value for k in first.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    ordered = sorted({n: _line_of(script_text, n) for n in names}.items(), key=lambda kv: kv[1])
    return [name for name, _ in ordered]


def _line_of(text: str, name: str) -> int:
    for quote in ("'", '"'):
        index = text.find(f"mlflow.log_metric({quote}{name}{quote}")
        if index >= 0:
            return index
    return len(text)


def add_sweep(files: dict, analysis: Analysis, script_text: str, spec: JobSpec, options: SweepOptions) -> None:
    """`convert --sweep`: write `sweep.yml` beside the job; the README says how to submit it and what it searches."""
    names = {i.name for i in spec.inputs}
    params = tuple(p for p in analysis.parameters if p.name in names)
    if not params:
        raise NotebookError(f"{analysis.notebook.path}: --sweep: the job has no hyperparameter to search")
    metrics = logged_metrics(script_text)
    files[SWEEP_YAML] = render_sweep_yaml(spec, params, metrics, options)
    what = (
        "tunes the job's hyperparameters with an Azure ML sweep job: each trial runs the job's script with values "
        "sampled from the search space, on the cluster's nodes in parallel."
    )
    _readme_section(files, "README.md", params, metrics, options, what)


def add_pipeline_sweep(files: dict, analysis: Analysis, steps, spec: PipelineSpec, options: SweepOptions) -> str:
    """`split --sweep`: `sweep.yml` is the pipeline with the step that trains run as a sweep node.

    Returns that step's name.

    The step that trains is the one that takes hyperparameters and logs a metric (the sweep's objective
    must be logged by the trial itself); with none, a clear refusal.
    """
    from ..emit.pipeline import pipeline_document
    from ..emit.yamlout import dump_yaml

    candidates = [s for s in steps if s.analysis.parameters and logged_metrics(s.script.text)]
    if not candidates:
        with_params = ", ".join(s.name for s in steps if s.analysis.parameters) or "none"
        with_metrics = ", ".join(s.name for s in steps if logged_metrics(s.script.text)) or "none"
        raise NotebookError(
            f"{analysis.notebook.path}: --sweep: no step both takes hyperparameters and logs a metric (parameters: "
            f"{with_params}; metrics: {with_metrics}); "
            "put the scoring cells in the training step, or use convert --sweep"
        )
    step = max(candidates, key=lambda s: len(s.analysis.parameters))
    params = step.analysis.parameters
    metrics = logged_metrics(step.script.text)
    space = build_search_space(params, options.search_space)
    metric, goal = choose_objective(metrics, options.objective)
    doc = pipeline_document(spec)
    doc["display_name"] = f"{doc.get('display_name', spec.name)}_sweep"
    node = doc["jobs"][step.name]
    sweep_node: dict = {"type": "sweep", "trial": node["component"]}
    inputs = {k: v for k, v in (node.get("inputs") or {}).items() if k not in space}
    if inputs:
        sweep_node["inputs"] = inputs
    if node.get("outputs"):
        sweep_node["outputs"] = node["outputs"]
    sweep_node.update(sweep_settings(space, metric, goal, options))
    doc["jobs"][step.name] = sweep_node
    files[SWEEP_YAML] = dump_yaml(doc)
    what = (
        f"is the pipeline with its `{step.name}` step run as an Azure ML sweep: each trial runs that component with "
        "values sampled from the search space, on the cluster's nodes in parallel; the other steps run once."
    )
    _readme_section(files, "README.md", params, metrics, options, what)
    return step.name


def _readme_section(
    files: dict, readme: str, params: tuple[Parameter, ...], metrics: list[str], options: SweepOptions, what: str
) -> None:
    space = build_search_space(params, options.search_space)
    metric, goal = choose_objective(metrics, options.objective)
    lines = [
        "",
        "## Sweep",
        "",
        f"`{SWEEP_YAML}` {what}",
        "",
        "```bash",
        f"nb2aml run {SWEEP_YAML} --trials 3    # three sampled trials here, then the leaderboard",
        f"az ml job create --file {SWEEP_YAML} --web",
        "```",
        "",
        f"Objective: **{goal}** `{metric}` (`--objective` chooses another logged metric). Sampling: "
        f"{options.sampling}; at most {options.max_trials} trials, {options.max_concurrent} at a time; bandit early "
        "termination stops a trial more than 10% behind the best after 5 evaluations.",
        "",
        "Search space (around the notebook's values; `--search-space NAME=SPEC` overrides one):",
        "",
    ]
    lines += describe_space(space)
    fixed = [p.name for p in params if p.name not in space]
    if fixed:
        lines += ["", "Kept at the notebook's value: " + ", ".join(f"`{n}`" for n in fixed) + "."]
    files[readme] = files[readme].rstrip("\n") + "\n" + "\n".join(lines) + "\n"
