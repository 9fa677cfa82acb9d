"""The Azure ML command job and command component YAML of a `JobSpec`.

Pure renderers: a frozen `JobSpec` in, plain data or text out. Writing the files and validating
them with the SDK (`emit/validate.py`) is the caller's job.

The job is what `az ml job create -f job.yml` submits and what `nb2aml run` runs here: data
inputs carry their local path (relative to the YAML file) or datastore URI, parameters are plain
literal values. The component is the reusable step of a pipeline: typed inputs with defaults,
no paths.
"""

from __future__ import annotations

import re
import shlex

from nb2aml.emit.yamlout import Folded, dump_yaml
from nb2aml.types import JobInput, JobSpec

JOB_SCHEMA = "https://azuremlschemas.azureedge.net/latest/commandJob.schema.json"
COMPONENT_SCHEMA = "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json"
LITERAL_TYPES = ("integer", "number", "string", "boolean")

__all__ = [
    "COMPONENT_SCHEMA",
    "JOB_SCHEMA",
    "command_line",
    "component_document",
    "component_name",
    "environment_reference",
    "job_document",
    "render_component_yaml",
    "render_job_yaml",
]


def is_literal(item: JobInput) -> bool:
    """A parameter (integer/number/string/boolean) rather than a data input."""
    return item.type in LITERAL_TYPES


def command_line(spec: JobSpec) -> str:
    """`python <script> --<input> ${{inputs.<input>}} ... --<output> ${{outputs.<output>}}`.

    Inputs come in the order of the spec, then outputs. An optional input is wrapped in
    `$[[...]]`, which Azure ML drops from the command when the input is not given.
    """
    parts = ["python", shlex.quote(spec.script)]
    for item in spec.inputs:
        arg = f"--{item.name} ${{{{inputs.{item.name}}}}}"
        parts.append(f"$[[{arg}]]" if item.optional else arg)
    for output in spec.outputs:
        parts.append(f"--{output.name} ${{{{outputs.{output.name}}}}}")
    return " ".join(parts)


def component_name(name: str) -> str:
    """A valid component name: the SDK accepts lower-case letters, digits and `_` only,
    starting with a letter (`nyc-taxi` -> `nyc_taxi`, `2023 model` -> `c_2023_model`)."""
    cleaned = re.sub(r"[^a-z0-9_]", "_", name.strip().lower()) or "component"
    return cleaned if cleaned[0].isalpha() else f"c_{cleaned}"


def environment_reference(environment: str) -> str:
    """The YAML value of `environment`: `azureml:name@latest` / `azureml:name:1` as given,
    a path to an environment YAML as `file:<path>` (the SDK then loads it as an inline,
    anonymous environment: no workspace needed to validate, `az ml job create` builds it)."""
    env = environment.strip()
    if not env:
        raise ValueError("the job has no environment")
    if env.startswith(("azureml:", "file:")) or not env.endswith((".yml", ".yaml")):
        return env
    return f"file:{env}"


def job_document(spec: JobSpec, *, inputs_override: dict | None = None) -> dict:
    """The command job as plain data, keys in the order `az ml` examples write them.

    `inputs_override` maps an input name to a new path (data input: e.g. the full data set's
    `azureml://datastores/...` URI) or value (parameter). An optional input with neither path
    nor value is left out of `inputs`; its `$[[...]]` part of the command then drops out.
    """
    overrides = dict(inputs_override or {})
    unknown = sorted(set(overrides) - {item.name for item in spec.inputs})
    if unknown:
        raise ValueError(f"no input named {', '.join(unknown)} in job {spec.name}")
    inputs: dict = {}
    for item in spec.inputs:
        value = overrides.get(item.name, item.default if is_literal(item) else item.path)
        if value is None:
            if item.optional:
                continue
            what = "value" if is_literal(item) else "path"
            raise ValueError(f"input {item.name} of job {spec.name} has no {what}")
        if is_literal(item):
            inputs[item.name] = yaml_literal(item, value)
        else:
            # A job's inputs and outputs take no `description`: the SDK rejects the field.
            inputs[item.name] = {"type": item.type, "path": str(value)}
    doc: dict = {
        "$schema": JOB_SCHEMA,
        "type": "command",
        "code": spec.code,
        "command": Folded(command_line(spec)),
    }
    if inputs:
        doc["inputs"] = inputs
    if spec.outputs:
        doc["outputs"] = {o.name: {"type": o.type} for o in spec.outputs}
    doc["environment"] = environment_reference(spec.environment)
    if spec.compute:
        doc["compute"] = spec.compute
    if spec.experiment_name:
        doc["experiment_name"] = spec.experiment_name
    describe(doc, spec)
    return doc


def describe(doc: dict, spec) -> None:
    """The display name, description and tags every job, component and pipeline document carries."""
    if spec.display_name:
        doc["display_name"] = spec.display_name
    if spec.description:
        doc["description"] = spec.description
    if spec.tags:
        doc["tags"] = {k: str(v) for k, v in spec.tags}


def render_job_yaml(spec: JobSpec, *, inputs_override: dict | None = None) -> str:
    return dump_yaml(job_document(spec, inputs_override=inputs_override))


def component_document(spec: JobSpec) -> dict:
    """The command component as plain data: typed inputs (`{type: number, default: 0.1}`)."""
    inputs: dict = {}
    for item in spec.inputs:
        entry: dict = {"type": item.type}
        if is_literal(item) and item.default is not None:
            entry["default"] = yaml_literal(item, item.default)
        if item.optional:
            entry["optional"] = True
        if item.description:
            entry["description"] = item.description
        inputs[item.name] = entry
    doc: dict = {
        "$schema": COMPONENT_SCHEMA,
        "type": "command",
        "name": component_name(spec.name),
        "version": str(spec.version),
    }
    describe(doc, spec)
    if inputs:
        doc["inputs"] = inputs
    if spec.outputs:
        doc["outputs"] = {o.name: _output(o) for o in spec.outputs}
    doc["code"] = spec.code
    doc["environment"] = environment_reference(spec.environment)
    doc["command"] = Folded(command_line(spec))
    return doc


def render_component_yaml(spec: JobSpec) -> str:
    return dump_yaml(component_document(spec))


def _output(output) -> dict:
    entry = {"type": output.type}
    if output.description:
        entry["description"] = output.description
    return entry


def yaml_literal(item: JobInput, value):
    """The value with the Python type of the input's declared type (YAML then types it)."""
    try:
        if item.type == "boolean":
            if isinstance(value, str):
                lowered = value.strip().lower()
                if lowered not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(value)
                return lowered in ("true", "1", "yes")
            return bool(value)
        if item.type == "integer":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            return int(value)
        if item.type == "number":
            # `1.0`, not `1`: a job's literal input takes its type from how the value is written.
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise ValueError(f"input {item.name}: {value!r} is not a valid {item.type}") from None
