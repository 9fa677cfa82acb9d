"""`IPython.html.widgets` is the same as `ipywidgets` (issue 12, bug B): an `interact(...)` through the
old module only displays, so the job strips it, as it does through `ipywidgets`."""

from __future__ import annotations

import textwrap

import pytest
from helpers import notebook_from_text

from nb2aml.api import analyze_notebook
from nb2aml.refactor.script import ConvertOptions, build_script

NOTEBOOK = """\
# %%
{import_line}
import numpy as np
x = np.arange(5)
print(int(x.sum()))
# %%
def show(k):
    print(x[:k])
# %%
interact(show, k=[1, 3])
"""


@pytest.mark.parametrize(
    "import_line",
    ["from ipywidgets import interact", "from IPython.html.widgets import interact"],
)
def test_interact_is_stripped_whichever_module_it_comes_from(import_line):
    code = textwrap.dedent(NOTEBOOK.format(import_line=import_line))
    analysis, nb = analyze_notebook(notebook_from_text(code))
    script = build_script(analysis, nb, ConvertOptions()).text
    assert "interact(" not in script and "widgets" not in script
    assert "print(int(x.sum()))" in script
    old = [f for f in analysis.findings if f.code == "NB501"]
    assert len(old) == (1 if "IPython" in import_line else 0)  # the old import is still reported
