"""The library entry points the CLI and tests use: notebook in, `Analysis` out."""

from __future__ import annotations

from pathlib import Path

from .analysis import NotebookFacts, analyse
from .analysis.slice import plan_cells
from .config import find_config
from .notebook import load_notebook
from .rules import run_rules
from .types import Analysis, Notebook


def analyze_notebook(notebook: Notebook, *, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
                     strip_prints: bool = False) -> tuple[Analysis, NotebookFacts]:
    nb = analyse(notebook, strip_prints=strip_prints)
    findings = run_rules(nb, select=select, ignore=ignore)
    by_cell: dict[int, list[str]] = {}
    for finding in findings:
        codes = by_cell.setdefault(finding.pos.cell, [])
        if finding.code not in codes:
            codes.append(finding.code)
    cells = plan_cells(notebook, nb.facts, nb.kept, nb.removed_nested, {k: tuple(sorted(v)) for k, v in by_cell.items()})
    analysis = Analysis(
        notebook=notebook, findings=findings, cells=cells, inputs=nb.inputs, outputs=nb.outputs,
        parameters=nb.parameters, metrics=nb.metrics, python_version=notebook.language_version,
    )
    return analysis, nb


def analyze_path(path: str | Path, *, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
                 strip_prints: bool = False) -> tuple[Analysis, NotebookFacts]:
    path = Path(path)
    notebook = load_notebook(path)
    config = find_config(path.parent)
    return analyze_notebook(notebook, select=select or config.select, ignore=ignore or config.ignore, strip_prints=strip_prints)
