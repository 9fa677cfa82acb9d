"""An import nobody reads is still kept when running it registers something (issue 12, bug E):
`from sklearn.experimental import enable_iterative_imputer` makes `IterativeImputer` importable."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from helpers import notebook_from_text

from nb2aml.analysis import knowledge as K
from nb2aml.analysis.imports import kept_modules
from nb2aml.api import analyze_notebook
from nb2aml.refactor.script import ConvertOptions, build_script

IMPUTER = """\
# %%
import numpy as np
from sklearn.experimental import enable_iterative_imputer
from sklearn.impute import IterativeImputer
# %%
X = np.array([[1.0, 2.0], [np.nan, 3.0], [7.0, 6.0]])
print(IterativeImputer(random_state=0).fit_transform(X).round(3).tolist())
"""


def _convert(code: str) -> tuple[str, object, object]:
    analysis, nb = analyze_notebook(notebook_from_text(textwrap.dedent(code)))
    return build_script(analysis, nb, ConvertOptions()).text, analysis, nb


def test_the_enabling_import_is_kept_not_reported_and_its_package_required():
    script, analysis, nb = _convert(IMPUTER)
    assert "from sklearn.experimental import enable_iterative_imputer\n" in script
    assert not [f for f in analysis.findings if f.code == "NB703"]
    assert "sklearn.experimental" in kept_modules(nb)


def test_an_unused_plain_library_import_is_still_dropped():
    script, analysis, _ = _convert("import json\nfrom sklearn.experimental import enable_halving_search_cv\nx = 1\n")
    assert "import json" not in script and "enable_halving_search_cv" in script
    assert [f.message.split("`")[1] for f in analysis.findings if f.code == "NB703"] == ["json"]


@pytest.mark.parametrize(
    ("module", "registers"),
    [
        ("sklearn.experimental.enable_iterative_imputer", True),
        ("sklearn.experimental.enable_hist_gradient_boosting", True),
        ("janitor", True),
        ("janitor.functions", True),
        ("janitorial", False),
        ("sklearn.experimental", False),
        ("seaborn", False),
        ("pandas", False),
    ],
)
def test_which_modules_register_on_import(module, registers):
    assert K.registers_on_import(module) is registers


@pytest.mark.slow
def test_the_converted_script_runs_in_a_fresh_interpreter(tmp_path):
    # A fresh process: in this one another test may already have imported the enabling module.
    script, _, _ = _convert(IMPUTER)
    (tmp_path / "main.py").write_text(script)
    ran = subprocess.run([sys.executable, "main.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip().startswith("[[1.0, 2.0], [")
