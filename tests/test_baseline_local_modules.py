"""verify's baseline runs the notebook with the job's fixed copies of its own modules (issue 12, bug C):
a helper beside the notebook importing `sklearn.datasets.samples_generator` fails here unfixed, while
the job's copy in src/ is fixed; the user's file is never changed."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from nb2aml.api import analyze_path
from nb2aml.refactor.baseline import baseline_cells
from nb2aml.verify.run import run_baseline

HELPER = (
    "from sklearn.datasets.samples_generator import make_blobs\n\n\n"
    "def blobs():\n"
    "    return make_blobs(n_samples=20, random_state=0)[0]\n"
)


def _project(folder: Path, helper: str = HELPER) -> Path:
    (folder / "helper.py").write_text(helper)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from helper import blobs"),
        nbformat.v4.new_code_cell("X = blobs()\nprint(round(float(X.sum()), 3))"),
    ]
    path = folder / "nb.ipynb"
    nbformat.write(notebook, str(path))
    return path


def test_the_baseline_carries_the_fixed_copy_and_the_users_file_stays(tmp_path):
    analysis, nb = analyze_path(_project(tmp_path))
    baseline = baseline_cells(analysis, nb, {})
    modules = dict(baseline.modules)
    assert list(modules) == ["helper.py"]
    assert modules["helper.py"].startswith("from sklearn.datasets import make_blobs\n")
    assert (tmp_path / "helper.py").read_text() == HELPER


def test_no_fixed_copy_when_the_module_needs_no_fix(tmp_path):
    fine = HELPER.replace("sklearn.datasets.samples_generator", "sklearn.datasets")
    analysis, nb = analyze_path(_project(tmp_path, fine))
    assert baseline_cells(analysis, nb, {}).modules == ()


@pytest.mark.slow
def test_the_notebook_runs_with_the_fixed_module(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    analysis, nb = analyze_path(_project(project))
    work = tmp_path / "work"
    work.mkdir()
    result = run_baseline(analysis, nb, work, seed=0)
    assert result.error is None, result.error
    assert result.printed.strip() and float(result.printed.strip()) != 0
    assert (project / "helper.py").read_text() == HELPER
    assert not (project / "__pycache__").exists() or not list((project / "__pycache__").glob("helper*"))
