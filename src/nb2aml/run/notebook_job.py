"""`nb2aml run NOTEBOOK`: the notebook converted into a job in a new temporary folder, to run there."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..analysis.named_inputs import for_conversion, parse_named_inputs
from ..api import analyze_path, env_spec
from ..plan.job import plan_job
from ..plan.refusals import check_convertible
from ..refactor.script import ConvertOptions
from ..writer import write_tree
from .fixes import fixes_of_changes


def convert_for_run(
    notebook: Path, unsafe_fixes: bool = False, inputs: tuple[str, ...] = ()
) -> tuple[Path, tuple[str, ...], tuple[str, ...]]:
    """The job's folder (kept: the run's outputs are written in it), the fixes its script needed, and
    the `--input` items left to override the job's inputs: an item naming a path nb2aml cannot resolve
    goes to the conversion instead."""
    env = env_spec(notebook)
    analysis, facts = analyze_path(notebook, env=env)
    named = for_conversion(facts, parse_named_inputs(inputs))
    if named:
        analysis, facts = analyze_path(notebook, env=env, named_inputs=named)
    check_convertible(analysis, facts)  # before the temporary folder is made; plan_job refuses the same
    out_dir = Path(tempfile.mkdtemp(prefix=f"nb2aml-run-{notebook.stem}-")) / "job"
    plan = plan_job(analysis, facts, out_dir, env=env, convert=ConvertOptions(unsafe_fixes=unsafe_fixes))
    write_tree(plan.files, out_dir, force=False, check=None, protect=[notebook])
    taken = {item.name for item in named}
    rest = tuple(item for item in inputs if item.partition("=")[0].strip() not in taken)
    return out_dir, fixes_of_changes(plan.script.changes), rest
