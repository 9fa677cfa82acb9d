"""Causes found by the real-notebook corpus (issue 12), each pinned by a fast test."""

from __future__ import annotations

from helpers import notebook_from_text
from nb2aml.split.assign import from_headings


def test_headings_without_ascii_letters_get_a_numbered_name_and_accents_are_dropped():
    notebook = notebook_from_text(
        "# %% [markdown]\n# # 糖尿病データセット\n# %%\nx = 1\n"
        "# %% [markdown]\n# ## Données préparées\n# %%\nprint(x)\n"
    )
    assignment = from_headings(notebook, level=2)
    assert assignment.order == ("step_1", "donnees_preparees")
    assert assignment.cells[2] == "step_1" and assignment.cells[4] == "donnees_preparees"
