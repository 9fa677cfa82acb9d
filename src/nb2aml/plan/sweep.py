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
from ..errors import ConfigError
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
    """`split --sweep`: `sweep.yml`, the pipeline with its training step run as a sweep node; returns the node's name.

    The step that trains is the one that takes hyperparameters; the sweep's objective must be logged
    by the trial itself. When that step logs a metric, the trial is its component. When a later step
    logs it (train, then predict, then score), the trial runs the steps from the training step
    through that one in sequence (emit/sweep_chain.py). With neither, a clear refusal.
    """
    from ..emit.pipeline import pipeline_document
    from ..emit.yamlout import dump_yaml

    doc = pipeline_document(spec)
    candidates = [s for s in steps if s.analysis.parameters and logged_metrics(s.script.text)]
    chain = None
    if candidates:
        step = max(candidates, key=lambda s: len(s.analysis.parameters))
        metrics = logged_metrics(step.script.text)
    else:
        step, metrics, chain = _training_chain(analysis, steps, doc, files, options)
    params = step.analysis.parameters
    space = build_search_space(params, options.search_space)
    metric, goal = choose_objective(metrics, options.objective)
    doc["display_name"] = f"{doc.get('display_name', spec.name)}_sweep"
    node = doc["jobs"][step.name]
    sweep_node: dict = {"type": "sweep", "trial": node["component"] if chain is None else f"./{chain.component_path}"}
    bindings = (node.get("inputs") or {}) if chain is None else chain.node_inputs
    inputs = {k: v for k, v in bindings.items() if k not in space}
    if inputs:
        sweep_node["inputs"] = inputs
    outputs = node.get("outputs") if chain is None else chain.node_outputs
    if outputs:
        sweep_node["outputs"] = outputs
    sweep_node.update(sweep_settings(space, metric, goal, options))
    if chain is None:
        doc["jobs"][step.name] = sweep_node
        what = (
            f"is the pipeline with its `{step.name}` step run as an Azure ML sweep: each trial runs that component "
            "with values sampled from the search space, on the cluster's nodes in parallel; the other steps run once."
        )
    else:
        from ..emit.sweep_chain import replace_chain

        replace_chain(doc, chain, sweep_node)
        files[chain.component_path] = dump_yaml(chain.component)
        steps_run = ", ".join(f"`{name}`" for name in chain.steps)
        what = (
            f"is the pipeline with its steps {steps_run} run as one Azure ML sweep node: `{chain.steps[-1]}` logs the "
            f"objective, so each trial runs `{chain.component_path}`, those steps in sequence with values sampled "
            "from the search space (each trial's intermediate data in its own output folders), on the cluster's "
            "nodes in parallel; the other steps run once."
        )
    files[SWEEP_YAML] = dump_yaml(doc)
    _readme_section(files, "README.md", params, metrics, options, what)
    return step.name


def _training_chain(analysis: Analysis, steps, doc: dict, files: dict, options: SweepOptions):
    """(training step, the metrics the trial logs, TrialChain): from the step with the most hyperparameters
    through the first later step that logs the objective and reads, directly or not, from it."""
    import yaml

    from ..emit.sweep_chain import build_chain, chain_between

    wanted = options.objective.partition("=")[0].strip() if options.objective else None
    for trainer in sorted((s for s in steps if s.analysis.parameters), key=lambda s: -len(s.analysis.parameters)):
        for scorer in steps:
            metrics = logged_metrics(scorer.script.text)
            if not metrics or (wanted and wanted not in metrics):
                continue
            names = chain_between(doc, trainer.name, scorer.name)
            if not names:
                continue
            components = {
                name: yaml.safe_load(files[str(doc["jobs"][name]["component"]).removeprefix("./")]) for name in names
            }
            try:
                return trainer, metrics, build_chain(doc, components, names)
            except ConfigError as exc:
                raise NotebookError(f"{analysis.notebook.path}: {exc}") from None
    with_params = ", ".join(s.name for s in steps if s.analysis.parameters) or "none"
    with_metrics = ", ".join(s.name for s in steps if logged_metrics(s.script.text)) or "none"
    raise NotebookError(
        f"{analysis.notebook.path}: --sweep: no step that logs {f'the metric {wanted}' if wanted else 'a metric'} "
        f"reads from a step that takes hyperparameters (parameters: {with_params}; metrics: {with_metrics}); "
        "put the scoring cells after the training cells, or use convert --sweep"
    )


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
