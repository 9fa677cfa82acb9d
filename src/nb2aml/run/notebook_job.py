"""`nb2aml run NOTEBOOK`: the notebook converted into a job in a new temporary folder, to run there."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..api import analyze_path, env_spec
from ..plan.job import plan_job
from ..plan.refusals import check_convertible
from ..refactor.script import ConvertOptions
from ..writer import write_tree
from .fixes import fixes_of_changes


def convert_for_run(notebook: Path, unsafe_fixes: bool = False) -> tuple[Path, tuple[str, ...]]:
    """The job's folder (kept: the run's outputs are written in it) and the fixes its script needed."""
    env = env_spec(notebook)
    analysis, facts = analyze_path(notebook, env=env)
    check_convertible(analysis, facts)  # before the temporary folder is made; plan_job refuses the same
    out_dir = Path(tempfile.mkdtemp(prefix=f"nb2aml-run-{notebook.stem}-")) / "job"
    plan = plan_job(analysis, facts, out_dir, env=env, convert=ConvertOptions(unsafe_fixes=unsafe_fixes))
    write_tree(plan.files, out_dir, force=False, check=None, protect=[notebook])
    return out_dir, fixes_of_changes(plan.script.changes)
