"""The Azure ML pipeline job YAML of a `PipelineSpec`: plain data in, text out."""

from __future__ import annotations

from ..types import PipelineSpec
from .job import describe, is_literal, yaml_literal
from .yamlout import dump_yaml

PIPELINE_SCHEMA = "https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json"


def pipeline_document(spec: PipelineSpec, *, inputs_override: dict | None = None) -> dict:
    overrides = dict(inputs_override or {})
    inputs: dict = {}
    for item in spec.inputs:
        if is_literal(item):
            inputs[item.name] = yaml_literal(item, overrides.get(item.name, item.default))
        else:
            inputs[item.name] = {"type": item.type, "path": str(overrides.get(item.name, item.path))}
    doc: dict = {"$schema": PIPELINE_SCHEMA, "type": "pipeline"}
    describe(doc, spec)
    doc["experiment_name"] = spec.experiment_name
    if inputs:
        doc["inputs"] = inputs
    if spec.outputs:
        doc["outputs"] = {o.name: {"type": o.type} for o in spec.outputs}
    doc["settings"] = {"default_compute": spec.compute}
    jobs: dict = {}
    for step in spec.steps:
        job: dict = {"type": "command", "component": step.component}
        if step.inputs:
            job["inputs"] = dict(step.inputs)
        bound = {name: value for name, value in step.outputs if value is not None}
        if bound:
            job["outputs"] = bound
        jobs[step.name] = job
    doc["jobs"] = jobs
    return doc


def render_pipeline_yaml(spec: PipelineSpec, *, inputs_override: dict | None = None) -> str:
    return dump_yaml(pipeline_document(spec, inputs_override=inputs_override))


def mermaid(spec: PipelineSpec, edges) -> str:
    """The pipeline graph as a mermaid flowchart (for the output README)."""
    lines = ["flowchart LR"]
    for item in spec.inputs:
        if not is_literal(item):
            lines.append(f"    {item.name}[/{item.name}/]")
    for step in spec.steps:
        lines.append(f"    {step.name}([{step.name}])")
        for name, binding in step.inputs:
            if binding.startswith("${{parent.inputs.") and not any(
                i.name == name and is_literal(i) for i in spec.inputs
            ):
                lines.append(f"    {binding[17:-2]} --> {step.name}")
    for edge in edges:
        lines.append(f"    {edge.source} -- {edge.variable} --> {edge.target}")
    for step in spec.steps:
        for name, output_binding in step.outputs:
            if output_binding is not None:
                lines.append(f"    {step.name} --> {name}[/{name}/]")
    return "\n".join(lines)
