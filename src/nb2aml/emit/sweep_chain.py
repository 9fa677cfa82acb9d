"""`split --sweep` when the objective is logged by a later step than the one that trains.

An Azure ML sweep node runs one command component per trial, and the trial itself must log the
objective. When the training step (`train`) hands its model to later steps and the metric is
logged by one of them (`score`), the trial is one command component that runs the steps from the
training step through the scoring step in sequence: `python train.py ... && python predict.py ...
&& python score.py ...`. It declares every output of those steps as its own output, so each
trial's intermediate data lands in folders of that trial (on Azure ML and in a local run, where
trials run side by side from one code folder). Inputs from outside the chain, and the parameters,
stay what they are in the pipeline; the chain's nodes are replaced by one sweep node.

Pure: the pipeline document and the component documents in, the trial component and the sweep
pipeline document out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ConfigError
from .yamlout import Folded

# A pipeline binding to an earlier step's output: `${{parent.jobs.STEP.outputs.NAME}}`.
STEP_OUTPUT = re.compile(r"^\$\{\{\s*parent\.jobs\.(\w+)\.outputs\.(\w+)\s*\}\}$")
_BINDING = re.compile(r"\$\{\{\s*(inputs|outputs)\.(\w+)\s*\}\}")


@dataclass(frozen=True)
class TrialChain:
    steps: tuple[str, ...]  # the pipeline's jobs the trial runs, in order: training first, scoring last
    component: dict  # the trial's command component
    component_path: str  # where it is written, relative to the output folder
    node_inputs: dict  # the sweep node's input bindings, search space excluded by the caller
    node_outputs: dict  # the sweep node's output bindings (to the pipeline's outputs)
    renamed_outputs: dict[tuple[str, str], str]  # (step, output) -> the trial's output name


def depends_on(doc: dict) -> dict[str, set[str]]:
    """Each job of a pipeline document -> the jobs whose outputs it reads."""
    found: dict[str, set[str]] = {}
    for name, job in (doc.get("jobs") or {}).items():
        found[name] = set()
        for binding in ((job or {}).get("inputs") or {}).values():
            match = STEP_OUTPUT.match(str(binding))
            if match:
                found[name].add(match.group(1))
    return found


def chain_between(doc: dict, first: str, last: str) -> tuple[str, ...]:
    """The jobs that read (directly or not) from `first` and that `last` reads from, with both ends, in order."""
    reads = depends_on(doc)

    def upstream(name: str) -> set[str]:
        seen: set[str] = set()
        todo = [name]
        while todo:
            for source in reads.get(todo.pop(), ()):
                if source not in seen:
                    seen.add(source)
                    todo.append(source)
        return seen

    if first not in upstream(last):
        return ()
    return tuple(
        name for name in doc["jobs"] if name in (first, last) or (first in upstream(name) and name in upstream(last))
    )


def build_chain(doc: dict, components: dict[str, dict], chain: tuple[str, ...]) -> TrialChain:
    """The trial component and the sweep node's bindings for `chain` (see the module docstring).

    `components`: job name -> its component document (as read from components/NAME.yml).
    """
    jobs = doc["jobs"]
    codes = {str(components[name].get("code")) for name in chain}
    environments = {str(components[name].get("environment")) for name in chain}
    if len(codes) > 1 or len(environments) > 1:
        what = "code folders" if len(codes) > 1 else "environments"
        raise ConfigError(
            f"--sweep: the steps {', '.join(chain)} run as one trial, and they have different {what}; "
            "split them so that the training and scoring cells share a step"
        )
    # Outputs: every output of every step of the chain, under its own name unless two steps share it.
    all_outputs = [(name, output) for name in chain for output in (components[name].get("outputs") or {})]
    counts: dict[str, int] = {}
    for _, output in all_outputs:
        counts[output] = counts.get(output, 0) + 1
    renamed = {(step, output): output if counts[output] == 1 else f"{step}_{output}" for step, output in all_outputs}
    trial_outputs = {renamed[(step, output)]: dict(components[step]["outputs"][output]) for step, output in all_outputs}
    # Inputs read from outside the chain: one trial input per distinct binding.
    trial_inputs: dict[str, dict] = {}
    node_inputs: dict[str, object] = {}
    input_names: dict[tuple[str, str], str] = {}
    for step in chain:
        declared = components[step].get("inputs") or {}
        bindings = (jobs[step] or {}).get("inputs") or {}
        for input_name, spec in declared.items():
            binding = bindings.get(input_name)
            match = STEP_OUTPUT.match(str(binding)) if binding is not None else None
            if match and match.group(1) in chain:
                continue  # read from a folder of the trial itself
            name = input_name
            if name in trial_inputs and node_inputs.get(name) != binding:
                name = f"{step}_{input_name}"
            input_names[(step, input_name)] = name
            trial_inputs[name] = dict(spec)
            if binding is not None:
                node_inputs[name] = binding
    commands = []
    for step in chain:
        bindings = (jobs[step] or {}).get("inputs") or {}

        def rewrite(match: re.Match, step: str = step, bindings: dict = bindings) -> str:
            group, name = match.group(1), match.group(2)
            if group == "outputs":
                return f"${{{{outputs.{renamed.get((step, name), name)}}}}}"
            source = STEP_OUTPUT.match(str(bindings.get(name, "")))
            if source and source.group(1) in chain:
                return f"${{{{outputs.{renamed[(source.group(1), source.group(2))]}}}}}"
            return f"${{{{inputs.{input_names.get((step, name), name)}}}}}"

        commands.append(_BINDING.sub(rewrite, " ".join(str(components[step]["command"]).split())))
    node_outputs = {
        renamed[(step, output)]: binding
        for step in chain
        for output, binding in (((jobs[step] or {}).get("outputs")) or {}).items()
    }
    first, last = chain[0], chain[-1]
    name = f"{first}_to_{last}"
    component = {
        "$schema": components[first].get("$schema"),
        "type": "command",
        "name": name,
        "version": "1",
        "display_name": name,
        "description": f"The sweep's trial: steps {', '.join(chain)} in sequence, one process each",
        "tags": components[first].get("tags") or {},
        "inputs": trial_inputs,
        "outputs": trial_outputs,
        "code": components[first].get("code"),
        "environment": components[first].get("environment"),
        "command": Folded(" && ".join(commands)),
    }
    return TrialChain(
        steps=chain,
        component={k: v for k, v in component.items() if v not in (None, {})},
        component_path=f"components/{name}.yml",
        node_inputs=node_inputs,
        node_outputs=node_outputs,
        renamed_outputs=renamed,
    )


def replace_chain(doc: dict, chain: TrialChain, sweep_node: dict) -> None:
    """Put `sweep_node` where the chain's first job was, drop the others, point later readers at the node."""
    first = chain.steps[0]
    jobs: dict = {}
    for name, job in doc["jobs"].items():
        if name == first:
            jobs[name] = sweep_node
        elif name not in chain.steps:
            inputs = dict((job or {}).get("inputs") or {})
            for input_name, binding in inputs.items():
                match = STEP_OUTPUT.match(str(binding))
                if match and match.group(1) in chain.steps:
                    output = chain.renamed_outputs[(match.group(1), match.group(2))]
                    inputs[input_name] = f"${{{{parent.jobs.{first}.outputs.{output}}}}}"
            jobs[name] = {**job, "inputs": inputs} if inputs else job
    doc["jobs"] = jobs
