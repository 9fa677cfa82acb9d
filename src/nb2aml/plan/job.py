"""`nb2aml convert`: plan every file of the standalone command job, as plain data.

Nothing here writes: `plan_job` returns the files as text, the CLI shows them as a diff and
`writer.write_tree` writes them atomically after validation.
"""

from __future__ import annotations

import os
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
from ..emit.environment import PYTHON_SOURCE_WORDS as _SOURCE_WORDS
from ..emit.environment import (
    choose_python_version,
    environment_name,
    render_environment_yaml,
)
from ..emit.sweep import SweepOptions
from ..naming import identifier
from ..refactor.mlflow_logging import experiment_apart_from_created
from ..refactor.module_fixes import fix_shipped_modules
from ..refactor.script import ConvertOptions, Script, build_script, description_of
from ..secrets_guard import refuse_leaks
from ..types import Analysis, JobInput, JobOutput, JobSpec, NotebookError, Requirement
from .assets import input_path, written_files_for
from .common import kept_plan
from .refusals import check_convertible, check_scripts_compile, readme_with_overrides

ENV_FOLDER = "environment"
ENV_YAML = "environment.yml"
JOB_YAML = "job.yml"
FULL_DATA_YAML = "job_full_data.yml"
_CONVERT_DEFAULTS = ConvertOptions()  # frozen: one shared default is safe


@dataclass(frozen=True)
class JobOptions:
    compute: str = "azureml:cpu-cluster"
    base_image: str | None = None
    data_uris: tuple[tuple[str, str], ...] = ()  # input name -> azureml:// URI
    experiment_name: str | None = None
    env_per_component: bool = False  # split: one minimal environment per component
    sweep: SweepOptions | None = None  # also write sweep.yml (`--sweep`)


@dataclass(frozen=True)
class JobPlan:
    files: dict
    script: Script
    spec: JobSpec
    requirements: tuple[Requirement, ...]
    python_version: str
    python_source: str
    analysis: Analysis | None = None  # restricted to the job's interface: what its kept code reads
    notes: tuple[str, ...] = ()  # what is not in the job: inputs no kept code reads, `--no-fix` rewrites


def plan_job(
    analysis: Analysis,
    nb: NotebookFacts,
    out_dir: Path,
    *,
    env: EnvSpec | None = None,
    convert: ConvertOptions = _CONVERT_DEFAULTS,
    options: JobOptions = JobOptions(),
    force: bool = False,
) -> JobPlan:
    """Every file of the job, or `NotebookRefused` for a notebook `convert` refuses (`force`: the
    overridable refusals are written into the README instead). A script that does not compile is
    never returned: what a library caller gets is what `nb2aml convert` writes."""
    notebook = analysis.notebook
    overridden = check_convertible(analysis, nb, force=force)
    analysis, options, notes = kept_plan(analysis, nb, convert, options)
    script = build_script(analysis, nb, convert)
    python_version, python_source = choose_python_version(
        notebook.language_version, notebook.kernel_name, env.python if env else None
    )
    pip_installs = [p for cell in notebook.cells for m in cell.magics for p in m.packages]
    extra = ["azureml-mlflow"] if "mlflow" in script.imports else []
    shipped, imports = shipped_files(notebook, script.imports, (script.name,))
    # NB501's fixes in the copies of the notebook's own modules: listed with the script's changes.
    shipped, module_changes = fix_shipped_modules(shipped, nb.facts, nb.versions, convert.policy)
    script = replace(script, changes=script.changes + module_changes)
    requirements = infer_requirements(
        imports,
        pip_installs=pip_installs,
        env=env,
        python_version=python_version,
        extra=extra,
        local_dir=Path(notebook.path).parent,
    )
    # The freeze's versions of every dependency, so pip picks none of them anew (None without a freeze).
    constraints_text = render_constraints(env, requirements, python_version)
    requirements_text = requirements_with_constraints(render_requirements(requirements), constraints_text)
    dockerfile = render_dockerfile(
        python_version,
        base_image=options.base_image,
        constraints=CONSTRAINTS_FILE if constraints_text is not None else None,
    )
    title, paragraph = description_of(notebook)
    env_name = environment_name(script.name)
    from ..emit.environment import content_version

    build_texts = (requirements_text, dockerfile) + ((constraints_text,) if constraints_text is not None else ())
    env_yaml = render_environment_yaml(
        env_name,
        build_path=ENV_FOLDER,
        version=content_version(*build_texts),
        description=f"Environment of {title}, generated by nb2aml.",
    )
    spec = job_spec(analysis, script, out_dir, title=title, paragraph=paragraph, options=options)
    if not options.experiment_name:
        spec = replace(spec, experiment_name=experiment_apart_from_created(nb.facts, nb.kept, spec.experiment_name))
    from ..emit.job import render_job_yaml

    files = {
        f"src/{script.name}.py": script.text,
        f"{ENV_FOLDER}/requirements.txt": requirements_text,
        f"{ENV_FOLDER}/Dockerfile": dockerfile,
        **({f"{ENV_FOLDER}/{CONSTRAINTS_FILE}": constraints_text} if constraints_text is not None else {}),
        ENV_YAML: env_yaml,
        JOB_YAML: render_job_yaml(spec),
        **shipped,  # the notebook's own modules
        **written_files_for(notebook, analysis.inputs),  # data files its `%%writefile` cells make
    }
    if options.data_uris:
        files[FULL_DATA_YAML] = render_job_yaml(_with_data_uris(spec, dict(options.data_uris)))
    files["README.md"] = job_readme(
        analysis,
        script,
        spec,
        requirements,
        python_version,
        python_source,
        bool(options.data_uris),
        notes,
        constrained=constraints_text is not None,
    )
    if options.sweep is not None:
        from .sweep import add_sweep

        add_sweep(files, analysis, script.text, spec, options.sweep)
    files["README.md"] = readme_with_overrides(files["README.md"], overridden)
    refuse_leaks(analysis, nb.facts, files)
    check_scripts_compile(files)
    return JobPlan(
        files=files,
        script=script,
        spec=spec,
        requirements=requirements,
        python_version=python_version,
        python_source=python_source,
        analysis=analysis,
        notes=notes,
    )


def job_spec(
    analysis: Analysis, script: Script, out_dir: Path, *, title: str, paragraph: str, options: JobOptions
) -> JobSpec:
    inputs = []
    for asset in analysis.inputs:
        path = input_path(analysis.notebook, asset, out_dir, dict(options.data_uris))
        # A command job's inputs and outputs take no description (the SDK rejects the field).
        inputs.append(JobInput(name=asset.name, type=asset.type, path=path))
    for param in analysis.parameters:
        inputs.append(JobInput(name=param.name, type=param.type, default=param.value))
    outputs = tuple(JobOutput(name=a.name) for a in analysis.outputs)
    name = identifier(script.name, "job")
    return JobSpec(
        name=name,
        display_name=name,
        description=(title + (f": {paragraph}" if paragraph else ""))[:500],
        code="./src",
        script=f"{script.name}.py",
        inputs=tuple(inputs),
        outputs=outputs,
        environment=f"file:{ENV_YAML}",
        compute=options.compute,
        experiment_name=options.experiment_name or name,
        tags=(("generated_by", f"nb2aml {__version__}"), ("notebook", posixpath.basename(analysis.notebook.path))),
    )


def _relative(target: Path, out_dir: Path) -> str:
    relative = os.path.relpath(target.resolve(), out_dir.resolve())
    text = Path(relative).as_posix()
    return text if text.startswith(".") else "./" + text


def _with_data_uris(spec: JobSpec, uris: dict[str, str]) -> JobSpec:
    from dataclasses import replace

    unknown = set(uris) - {i.name for i in spec.inputs if i.path is not None}
    if unknown:
        raise NotebookError(
            f"--data-uri names no data input: {', '.join(sorted(unknown))} (inputs: "
            f"{', '.join(i.name for i in spec.inputs if i.path)})"
        )
    inputs = tuple(replace(i, path=uris.get(i.name, i.path)) for i in spec.inputs)
    return replace(spec, inputs=inputs, display_name=spec.display_name + "_full_data")


def job_readme(
    analysis: Analysis,
    script: Script,
    spec: JobSpec,
    requirements,
    python_version: str,
    python_source: str,
    full_data: bool,
    notes: tuple[str, ...] = (),
    constrained: bool = False,
) -> str:
    notebook = analysis.notebook
    lines = [
        f"# {spec.display_name}",
        "",
        f"Generated by nb2aml {__version__} from `{posixpath.basename(notebook.path)}`.",
        "",
    ]
    lines += [
        "## Files",
        "",
        f"- `src/{script.name}.py`: the job's script",
        f"- `{JOB_YAML}`: the command job (sample data)",
    ]
    if full_data:
        lines.append(f"- `{FULL_DATA_YAML}`: the same job on the full data in the datastore")
    lines += [
        f"- `{ENV_YAML}`, `{ENV_FOLDER}/Dockerfile`, `{ENV_FOLDER}/requirements.txt`: the environment (Python "
        f"{python_version}, {_SOURCE_WORDS[python_source]})"
    ]
    if constrained:
        lines.append(
            f"- `{ENV_FOLDER}/{CONSTRAINTS_FILE}`: every package of the notebook's environment at the version it ran "
            "with, as pip constraints: the image installs the requirements' dependencies at those versions, not the "
            "newest (pins `convert --resolve` found cannot hold in the image are named at its top)"
        )
    lines.append("")
    lines += [
        "## Run it",
        "",
        "```bash",
        "nb2aml run .                     # here, on the sample data, tracked in .nb2aml/mlflow.db",
        f"az ml environment create --file {ENV_YAML}",
        f"az ml job create --file {JOB_YAML} --web",
    ]
    if full_data:
        lines.append(f"az ml job create --file {FULL_DATA_YAML} --web")
    lines += ["```", "", "## Interface", "", "| | name | type | default |", "|---|---|---|---|"]
    for item in spec.inputs:
        kind = "input" if item.path is not None else "parameter"
        lines.append(
            f"| {kind} | `{item.name}` | {item.type} | `{item.path if item.path is not None else item.default!r}` |"
        )
    for output in spec.outputs:
        lines.append(f"| output | `{output.name}` | {output.type} | |")
    if script.secrets:
        lines += [
            "",
            "## Credentials",
            "",
            "The notebook held credentials in its code. The script reads them from environment variables instead;",
            "set them where the job runs (from Azure Key Vault, not in a YAML file):",
            "",
        ]
        lines += [f"- `{variable}`" for variable in script.secrets]
    lines += ["", "## What was changed", ""]
    by_code: dict[str, list] = {}
    for change in script.changes:
        by_code.setdefault(change.label, []).append(change)
    from ..rules import rule_by_code

    for code in sorted(by_code):
        rule = rule_by_code(code)
        title = f"{code} {rule.NAME}" if rule else code
        lines.append(f"- **{title}** ({len(by_code[code])})")
        for change in by_code[code]:
            lines.append(f"  - cell {change.cell}: {change.description}")
    unknown = [(plan.cell, line, calls) for plan in analysis.cells for line, calls in plan.unknown]
    if unknown:
        lines += [
            "",
            "## Kept: effect unknown",
            "",
            "nb2aml cannot prove these statements only display, so the job keeps them:",
            "",
        ]
        lines += [f"- cell {cell}, line {line}: `{calls}`" for cell, line, calls in unknown]
    if notes:
        lines += ["", "## Not in the job", ""] + [f"- {note}" for note in notes]
    lines += ["", "## Requirements", "", "| package | version | source |", "|---|---|---|"]
    for r in requirements:
        lines.append(f"| {r.name} | {r.version or 'unpinned'} | {r.source} |")
    from ..envtools.record import section as environment_checks

    lines += ["", *environment_checks()]
    return "\n".join(lines) + "\n"
