"""Build notebooks from percent-format text, the way rule examples are written."""

from __future__ import annotations

from dataclasses import replace

from nb2aml.notebook import _from_percent
from nb2aml.rules.base import Example
from nb2aml.types import Notebook


def notebook_from_text(code: str, path: str = "example.ipynb", execution_counts=None, tags=None) -> Notebook:
    notebook = _from_percent(path, code)
    cells = list(notebook.cells)
    if execution_counts is not None:
        code_cells = [i for i, c in enumerate(cells) if c.kind == "code"]
        for index, count in zip(code_cells, execution_counts, strict=False):
            cells[index] = replace(cells[index], execution_count=count)
    if tags:
        for number, cell_tags in tags.items():
            cells[number - 1] = replace(cells[number - 1], tags=tuple(cell_tags))
    return replace(notebook, cells=tuple(cells), fmt="ipynb")


def notebook_from_example(example) -> Notebook:
    example = Example.of(example)
    return notebook_from_text(example.code, execution_counts=example.execution_counts)
