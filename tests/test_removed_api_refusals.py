"""A removed API with no fix, in code the job keeps, that the job's own versions lack blocks convert
and split like an undefined name (issue 12, bug D); the data scientist's pins decide when given."""

from __future__ import annotations

from helpers import notebook_from_text

from nb2aml.analysis.versions import LibraryVersions, installed_version
from nb2aml.api import analyze_notebook
from nb2aml.errors import NotebookRefused
from nb2aml.plan.refusals import analyze_verdict, check_convertible, refusals

IMPUTER = (
    "# %%\nimport numpy as np\nfrom sklearn.preprocessing import Imputer\n"
    "# %%\nX = np.array([[1.0, np.nan], [3.0, 4.0]])\nprint(Imputer().fit_transform(X))\n"
)


def _refused(text: str, pins: dict | None = None) -> list[str]:
    analysis, nb = analyze_notebook(notebook_from_text(text), versions=LibraryVersions(pins=pins or {}))
    return [r.message for r in refusals(analysis, nb)]


def test_the_installed_scikit_learn_lacks_imputer():
    assert installed_version("scikit-learn") is not None
    assert int(installed_version("scikit-learn").split(".")[0]) >= 1  # removed in 0.22


def test_no_pins_and_no_fix_blocks_with_the_cell_and_force_overrides():
    refused = _refused(IMPUTER)
    assert len(refused) == 1
    assert "cell 1" in refused[0] and "NB501" in refused[0] and "Imputer" in refused[0] and "--force" in refused[0]
    analysis, nb = analyze_notebook(notebook_from_text(IMPUTER), versions=LibraryVersions())
    assert analyze_verdict(analysis, nb).startswith("`nb2aml convert` will refuse")
    try:
        check_convertible(analysis, nb)
    except NotebookRefused:
        pass
    else:
        raise AssertionError("convert did not refuse")
    assert len(check_convertible(analysis, nb, force=True)) == 1


def test_a_pin_that_still_has_the_api_does_not_block():
    assert _refused(IMPUTER, {"scikit-learn": "0.21.3"}) == []


def test_a_pin_that_lacks_it_blocks():
    assert len(_refused(IMPUTER, {"scikit-learn": "0.24.2"})) == 1


def test_a_removed_api_in_stripped_code_does_not_block():
    text = "# %%\nfrom sklearn.preprocessing import Imputer\n# %%\nprint(1 + 1)\n"
    assert _refused(text) == []


def test_a_removed_api_with_a_safe_fix_does_not_block():
    text = "# %%\nimport numpy as np\nx = np.array([1, 2]).astype(np.float)\nprint(x)\n"
    assert _refused(text) == []
