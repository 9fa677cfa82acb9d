"""`nb2aml split`: plan every file of the components and the pipeline, as plain data."""

from __future__ import annotations

import importlib.resources
import posixpath
from dataclasses import dataclass, replace
from pathlib import Path

from .. import __version__
from ..analysis import NotebookFacts
from ..analysis.local_modules import shipped_files
from ..deps.constraints import CONSTRAINTS_FILE, render_constraints, requirements_with_constraints
from ..deps.envfile import EnvSpec
from ..deps.infer import infer_requirements, render_requirements
from ..emit.dockerfile import render_dockerfile
from ..emit.environment import (
    choose_python_version,
    content_version,
    environment_name,
    render_environment_yaml,
)
from ..emit.job import render_component_yaml
from ..emit.pipeline import mermaid, render_pipeline_yaml
from ..naming import identifier
from ..refactor.mlflow_logging import experiment_apart_from_created
from ..refactor.module_fixes import fix_shipped_modules
from ..refactor.script import (
    ConvertOptions,
    Scope,
    Script,
    build_script,
    description_of,
)
from ..refactor.script import pipeline_name as script_name
from ..secrets_guard import refuse_leaks
from ..split.assign import Assignment
from ..split.flow import (
    Component,
    Edge,
    component_analysis,
    generator_arguments,
    handoff_arguments,
    plan_flow,
)
from ..split.generators import handed_generator_notes, state_label
from ..split.globalstate import copied_global_state, shared_generator_draws
from ..types import (
    Analysis,
    JobInput,
    JobOutput,
    JobSpec,
    NotebookError,
    PipelineSpec,
    PipelineStep,
    Requirement,
)
from .assets import input_path, written_files_for
from .common import kept_plan
from .job import ENV_FOLDER, ENV_YAML, JobOptions
from .refusals import check_convertible, check_scripts_compile, readme_with_overrides

HANDOFF_MODULE = "nb2aml_handoff"
PIPELINE_YAML = "pipeline.yml"
FULL_DATA_YAML = "pipeline_full_data.yml"
_CONVERT_DEFAULTS = ConvertOptions()  # both frozen: one shared default is safe
_JOB_DEFAULTS = JobOptions()


@dataclass(frozen=True)
class StepPlan:
    name: str
    script: Script
    spec: JobSpec
    analysis: Analysis
    loads: tuple[tuple[str, str], ...]
    saves: tuple[tuple[str, str], ...]
    # (generator, argument): global generator states restored at the start / written at the end.
    restores: tuple[tuple[str, str], ...] = ()
    state_saves: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PipelinePlan:
    files: dict
    steps: tuple[StepPlan, ...]
    edges: tuple[Edge, ...]
    spec: PipelineSpec
    requirements: tuple[Requirement, ...]
    python_version: str
    python_source: str
    notes: tuple[str, ...] = ()  # what is not in the pipeline, and process-global statements steps run again
    analysis: Analysis | None = None  # restricted to the pipeline's interface: what its kept code reads


def plan_pipeline(
    analysis: Analysis,
    nb: NotebookFacts,
    assignment: Assignment,
    out_dir: Path,
    *,
    env: EnvSpec | None = None,
    convert: ConvertOptions = _CONVERT_DEFAULTS,
    options: JobOptions = _JOB_DEFAULTS,
    force: bool = False,
) -> PipelinePlan:
    """Every file of the components and the pipeline; refuses what `plan_job` refuses (`NotebookRefused`,
    `force` as there), and never returns a script that does not compile."""
    notebook = analysis.notebook
    overridden = check_convertible(analysis, nb, force=force)
    analysis, options, notes = kept_plan(analysis, nb, convert, options)
    components, edges = plan_flow(analysis, nb, assignment)
    if not components:
        raise NotebookError(f"{notebook.path}: no component keeps any code")
    for component in components:
        notes += copied_global_state(nb.facts, nb.kept, component.name, component.copied)
    notes += handed_generator_notes([(c.name, dict(c.restores)) for c in components])
    notes += shared_generator_draws(nb.facts, [(c.name, frozenset(c.own)) for c in components])
    title, paragraph = description_of(notebook)
    pipeline_name = identifier(script_name(notebook), "pipeline")
    steps: list[StepPlan] = []
    saves_of: dict[str, dict[str, str]] = {}
    for component in components:
        step = _plan_step(analysis, nb, component, convert, title)
        steps.append(step)
        saves_of[component.name] = dict(step.saves) | {state_label(g): a for g, a in step.state_saves}
    python_version, python_source = choose_python_version(
        notebook.language_version, notebook.kernel_name, env.python if env else None
    )
    pip_installs = [p for cell in notebook.cells for m in cell.magics for p in m.packages]

    def requirements_of(chosen: list[StepPlan], hands_over: bool) -> tuple[Requirement, ...]:
        imports = sorted({m for step in chosen for m in step.script.imports if m != HANDOFF_MODULE})
        _, imports = shipped_files(notebook, imports)
        extra = ["azureml-mlflow"] if "mlflow" in imports else []
        if hands_over:
            extra += ["pyarrow", "pandas", "mlflow"]
        return infer_requirements(
            imports,
            pip_installs=pip_installs,
            env=env,
            python_version=python_version,
            extra=extra,
            local_dir=Path(notebook.path).parent,
        )

    hands_over = bool(edges)
    edges = list(edges) + file_edges(steps)
    requirements = requirements_of(steps, hands_over)
    spec = _pipeline_spec(analysis, steps, edges, saves_of, out_dir, pipeline_name, title, paragraph, options)
    if not options.experiment_name:
        spec = replace(spec, experiment_name=experiment_apart_from_created(nb.facts, nb.kept, spec.experiment_name))
    files = {
        f"src/{HANDOFF_MODULE}.py": importlib.resources.files("nb2aml.runtime")
        .joinpath("handoff.py")
        .read_text(encoding="utf-8"),
        PIPELINE_YAML: render_pipeline_yaml(spec),
    }
    if options.env_per_component:
        # One minimal image per step: Azure ML builds each, and a step installs only what it imports.
        for index, step in enumerate(steps):
            own = requirements_of([step], bool(step.loads or step.saves or step.restores or step.state_saves))
            files.update(
                _environment_files(
                    f"{pipeline_name}_{step.name}",
                    own,
                    python_version,
                    options,
                    title,
                    env,
                    folder=f"environments/{step.name}",
                    yaml_path=f"environments/{step.name}.yml",
                )
            )
            steps[index] = replace(step, spec=replace(step.spec, environment=f"file:../environments/{step.name}.yml"))
    else:
        files.update(
            _environment_files(
                pipeline_name, requirements, python_version, options, title, env, folder=ENV_FOLDER, yaml_path=ENV_YAML
            )
        )
    # The notebook's own modules, shipped once into the code folder every component shares.
    shipped = shipped_files(
        notebook, sorted({m for step in steps for m in step.script.imports}), tuple(s.name for s in steps)
    )[0]
    # NB501's fixes in those copies (never in the user's files).
    shipped, module_changes = fix_shipped_modules(shipped, nb.facts, nb.versions, convert.policy)
    files.update(shipped)
    notes += tuple(
        f"cell {change.cell}: {change.description} (NB501, in the shipped copy)" for change in module_changes
    )
    files.update(written_files_for(notebook, analysis.inputs))
    for step in steps:
        files[f"src/{step.name}.py"] = step.script.text
        files[f"components/{step.name}.yml"] = render_component_yaml(step.spec)
    if options.data_uris:
        uris = dict(options.data_uris)
        unknown = set(uris) - {i.name for i in spec.inputs if i.path is not None}
        if unknown:
            raise NotebookError(f"--data-uri names no data input: {', '.join(sorted(unknown))}")
        files[FULL_DATA_YAML] = render_pipeline_yaml(spec, inputs_override=uris)
    plan = PipelinePlan(
        files=files,
        steps=tuple(steps),
        edges=tuple(edges),
        spec=spec,
        requirements=requirements,
        python_version=python_version,
        python_source=python_source,
        notes=notes,
        analysis=analysis,
    )
    files["README.md"] = pipeline_readme(analysis, plan, bool(options.data_uris), notes)
    if options.sweep is not None:
        from .sweep import add_pipeline_sweep

        add_pipeline_sweep(files, analysis, steps, spec, options.sweep)
    files["README.md"] = readme_with_overrides(files["README.md"], overridden)
    refuse_leaks(analysis, nb.facts, files)
    check_scripts_compile(files)
    return plan


def _writer_of(asset, steps) -> str | None:
    return next((s.name for s in steps if any(o.name == asset.name for o in s.analysis.outputs)), None)


def file_edges(steps) -> list[Edge]:
    """A file one step writes and a later one reads back: an edge of the DAG, named after the output."""
    edges = []
    for step in steps:
        for asset in step.analysis.inputs:
            writer = _writer_of(asset, steps) if asset.reads else None
            if writer is not None and writer != step.name:
                edges.append(Edge(writer, step.name, asset.name))
    return edges


def _environment_files(
    name: str,
    requirements,
    python_version: str,
    options: JobOptions,
    title: str,
    env: EnvSpec | None,
    *,
    folder: str,
    yaml_path: str,
) -> dict:
    # The freeze's versions of every dependency, so pip picks none of them anew (None without a freeze).
    constraints_text = render_constraints(env, requirements, python_version)
    requirements_text = requirements_with_constraints(render_requirements(requirements), constraints_text)
    dockerfile = render_dockerfile(
        python_version,
        base_image=options.base_image,
        constraints=CONSTRAINTS_FILE if constraints_text is not None else None,
    )
    build_path = posixpath.relpath(folder, posixpath.dirname(yaml_path) or ".")
    build_texts = (requirements_text, dockerfile) + ((constraints_text,) if constraints_text is not None else ())
    env_yaml = render_environment_yaml(
        environment_name(name),
        build_path=build_path,
        version=content_version(*build_texts),
        description=f"Environment of {title}, generated by nb2aml.",
    )
    files = {f"{folder}/requirements.txt": requirements_text, f"{folder}/Dockerfile": dockerfile, yaml_path: env_yaml}
    if constraints_text is not None:
        files[f"{folder}/{CONSTRAINTS_FILE}"] = constraints_text
    return files


def _plan_step(
    analysis: Analysis, nb: NotebookFacts, component: Component, convert: ConvertOptions, title: str
) -> StepPlan:
    sub = component_analysis(analysis, nb, component)
    arguments = {a.variable: a.name for a in sub.inputs + sub.outputs if a.variable}
    for param in sub.parameters:
        for variable, (_, pos) in nb.facts.constants.items():
            if pos == param.pos:
                arguments[variable] = param.name
    binds = tuple((v, arguments[v]) for v in sorted(component.binds) if v in arguments)
    taken = {a.name for a in sub.inputs + sub.outputs} | {p.name for p in sub.parameters} | {"help"}
    loads, saves = handoff_arguments(component, taken)
    restores, state_saves = generator_arguments(component, taken | {a for _, a in loads + saves})
    scope = Scope(
        keep=component.keep,
        name=component.name,
        loads=loads,
        saves=saves,
        binds=binds,
        handoff_module=HANDOFF_MODULE,
        copied=frozenset(component.copied),
        renames=tuple(sorted(component.renames.items())),
        restores=restores,
        state_saves=state_saves,
    )
    script = build_script(sub, nb, convert, scope)
    inputs = [JobInput(name=a.name, type=a.type, description=f"read by {', '.join(a.calls)}") for a in sub.inputs]
    inputs += [JobInput(name=p.name, type=p.type, default=p.value) for p in sub.parameters]
    inputs += [
        JobInput(name=argument, type="uri_folder", description=f"{variable}, handed over by an earlier step")
        for variable, argument in loads
    ]
    inputs += [
        JobInput(
            name=argument,
            type="uri_folder",
            description=f"state of {generator}'s global generator, from an earlier step",
        )
        for generator, argument in restores
    ]
    outputs = [JobOutput(name=a.name, description=f"written by {', '.join(a.calls)}") for a in sub.outputs]
    outputs += [JobOutput(name=argument, description=f"{variable}, for later steps") for variable, argument in saves]
    outputs += [
        JobOutput(name=argument, description=f"state of {generator}'s global generator, for later steps")
        for generator, argument in state_saves
    ]
    cells = (
        f"cells {component.cells[0]}-{component.cells[-1]}"
        if len(component.cells) > 1
        else f"cell {component.cells[0]}"
    )
    spec = JobSpec(
        name=component.name,
        display_name=component.name,
        description=f"{title}: {cells} of the notebook",
        code="../src",
        script=f"{component.name}.py",
        inputs=tuple(inputs),
        outputs=tuple(outputs),
        environment=f"file:../{ENV_YAML}",
        version="1",
        tags=(("generated_by", f"nb2aml {__version__}"),),
    )
    return StepPlan(
        name=component.name,
        script=script,
        spec=spec,
        analysis=sub,
        loads=loads,
        saves=saves,
        restores=restores,
        state_saves=state_saves,
    )


def _pipeline_spec(
    analysis, steps, edges, saves_of, out_dir, name, title, paragraph, options: JobOptions
) -> PipelineSpec:
    inputs: dict[str, JobInput] = {}
    outputs: dict[str, JobOutput] = {}
    step_specs = []
    for step in steps:
        bindings = []
        for asset in step.analysis.inputs:
            writer = _writer_of(asset, steps) if asset.reads else None
            if writer is not None:
                # A file an earlier step wrote, read back here: bound to that step's output.
                bindings.append((asset.name, f"${{{{parent.jobs.{writer}.outputs.{asset.name}}}}}"))
                continue
            path = input_path(analysis.notebook, asset, out_dir, dict(options.data_uris))
            inputs.setdefault(asset.name, JobInput(name=asset.name, type=asset.type, path=path))
            bindings.append((asset.name, f"${{{{parent.inputs.{asset.name}}}}}"))
        for param in step.analysis.parameters:
            inputs.setdefault(param.name, JobInput(name=param.name, type=param.type, default=param.value))
            bindings.append((param.name, f"${{{{parent.inputs.{param.name}}}}}"))
        for variable, argument in step.loads:
            source = next(e.source for e in edges if e.target == step.name and e.variable == variable)
            bindings.append((argument, f"${{{{parent.jobs.{source}.outputs.{saves_of[source][variable]}}}}}"))
        for generator, argument in step.restores:
            label = state_label(generator)
            source = next(e.source for e in edges if e.target == step.name and e.variable == label)
            bindings.append((argument, f"${{{{parent.jobs.{source}.outputs.{saves_of[source][label]}}}}}"))
        bound_outputs: list[tuple[str, str | None]] = []
        for asset in step.analysis.outputs:
            if asset.name in outputs:
                bound_outputs.append((asset.name, None))
                continue
            outputs[asset.name] = JobOutput(name=asset.name)
            bound_outputs.append((asset.name, f"${{{{parent.outputs.{asset.name}}}}}"))
        bound_outputs += [(argument, None) for _, argument in step.saves + step.state_saves]
        step_specs.append(
            PipelineStep(
                name=step.name,
                component=f"./components/{step.name}.yml",
                inputs=tuple(bindings),
                outputs=tuple(bound_outputs),
            )
        )
    return PipelineSpec(
        name=name,
        display_name=name,
        description=(title + (f": {paragraph}" if paragraph else ""))[:500],
        experiment_name=options.experiment_name or name,
        compute=options.compute,
        inputs=tuple(inputs.values()),
        outputs=tuple(outputs.values()),
        steps=tuple(step_specs),
        tags=(("generated_by", f"nb2aml {__version__}"), ("notebook", Path(analysis.notebook.path).name)),
    )


def pipeline_readme(analysis: Analysis, plan: PipelinePlan, full_data: bool, notes: tuple[str, ...] = ()) -> str:
    spec = plan.spec
    lines = [
        f"# {spec.display_name} pipeline",
        "",
        f"Generated by nb2aml {__version__} from `{Path(analysis.notebook.path).name}`.",
        "",
        "```mermaid",
        mermaid(spec, plan.edges),
        "```",
        "",
        "## Steps",
        "",
        "| step | cells | inputs | outputs |",
        "|---|---|---|---|",
    ]
    for step in plan.steps:
        ins = ", ".join(i.name for i in step.spec.inputs)
        outs = ", ".join(o.name for o in step.spec.outputs)
        lines.append(f"| `{step.name}` | {step.spec.description.rsplit(': ', 1)[-1]} | {ins} | {outs} |")
    lines += [
        "",
        "Values handed from step to step are written by `src/nb2aml_handoff.py`: DataFrames as parquet (index and "
        "dtypes kept),",
        "arrays as `.npy`, scikit-learn models as MLflow models, plain values as JSON, anything else pickled",
        "(so is the state of numpy's or random's global generator, where a later step continues its draws).",
        "",
        "## Run it",
        "",
        "```bash",
        "nb2aml run .                     # here, step by step, tracked in .nb2aml/mlflow.db",
        *(
            f"az ml environment create --file {name}"
            for name in sorted(
                n for n in plan.files if n.endswith(".yml") and n.startswith(("environment", "environments/"))
            )
        ),
        f"az ml job create --file {PIPELINE_YAML} --web",
    ]
    if full_data:
        lines.append(f"az ml job create --file {FULL_DATA_YAML} --web")
    lines.append("```")
    secrets = sorted({v for step in plan.steps for v in step.script.secrets})
    if secrets:
        lines += [
            "",
            "## Credentials",
            "",
            "The notebook held credentials in its code; the steps read them from these environment variables",
            "(set them where the pipeline runs, from Azure Key Vault, not in a YAML file):",
            "",
        ]
        lines += [f"- `{variable}`" for variable in secrets]
    if notes:
        lines += ["", "## What the steps do differently", ""] + [f"- {note}" for note in notes]
    lines += ["", "## Requirements", "", "| package | version | source |", "|---|---|---|"]
    for r in plan.requirements:
        lines.append(f"| {r.name} | {r.version or 'unpinned'} | {r.source} |")
    constraint_files = sorted(name for name in plan.files if name.endswith(f"/{CONSTRAINTS_FILE}"))
    if constraint_files:
        named = ", ".join(f"`{name}`" for name in constraint_files)
        lines += [
            "",
            f"{named}: every package of the notebook's environment at the version it ran with, as pip "
            "constraints: the image installs the requirements' dependencies at those versions, not the newest.",
        ]
    from ..envtools.record import section as environment_checks

    lines += ["", *environment_checks()]
    return "\n".join(lines) + "\n"
