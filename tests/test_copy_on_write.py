"""NB502: chained assignment and chained inplace=True, found, fixed by convert, and the fix shown
to change the DataFrame the way the notebook's pandas did (differential: both run here)."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import notebook_from_text

from nb2aml.analysis.versions import LibraryVersions
from nb2aml.api import analyze_notebook
from nb2aml.refactor.script import ConvertOptions, build_script

SETUP = "import numpy as np\nimport pandas as pd\ndf = pd.DataFrame({'a': [1.0, np.nan, 3.0], 'b': [1, 2, 3]})\n"
CASES = [
    ("df['a'].fillna(0, inplace=True)", "df['a'] = df['a'].fillna(0)"),
    ("df.a.fillna(df.a.mean(), inplace=True)", "df['a'] = df.a.fillna(df.a.mean())"),
    ("df['b'][df['b'] > 1] = 0", "df.loc[df['b'] > 1, 'b'] = 0"),
    ("df['b'].loc[0] += 10", "df.loc[0, 'b'] += 10"),
]


def _analysed(statement: str, pins: dict | None = None):
    code = SETUP + statement + "\nprint(df)\n"
    return analyze_notebook(notebook_from_text(code), versions=LibraryVersions(pins=pins or {}))


@pytest.mark.parametrize("statement, fixed", CASES)
def test_reported_with_the_rewrite(statement, fixed):
    analysis, _ = _analysed(statement)
    (finding,) = [f for f in analysis.findings if f.code == "NB502"]
    assert finding.fix == "safe" and f"`{fixed}`" in finding.message
    assert (finding.pos.line, finding.pos.col) == (4, 1)
    # pandas here is 3.x: copy-on-write, so the statement silently does nothing: an error.
    assert finding.severity == ("error" if int(pd.__version__.split(".")[0]) >= 3 else "warning")


@pytest.mark.parametrize("statement, fixed", CASES)
def test_convert_applies_the_fix(statement, fixed):
    analysis, nb = _analysed(statement)
    script = build_script(analysis, nb, ConvertOptions())
    assert fixed in script.text and statement not in script.text
    assert any(c.code == "NB502" for c in script.changes)


@pytest.mark.parametrize("statement, fixed", CASES)
def test_the_fix_changes_the_frame_the_way_old_pandas_did(statement, fixed):
    # What pandas < 3 gave: the column changed in the frame. Spelled with .loc, which means the same everywhere.
    expected = {
        CASES[0][0]: {"a": [1.0, 0.0, 3.0], "b": [1, 2, 3]},
        CASES[1][0]: {"a": [1.0, 2.0, 3.0], "b": [1, 2, 3]},
        CASES[2][0]: {"a": [1.0, float("nan"), 3.0], "b": [1, 0, 0]},
        CASES[3][0]: {"a": [1.0, float("nan"), 3.0], "b": [11, 2, 3]},
    }[statement]
    fixed_namespace: dict = {}
    exec(SETUP + fixed, fixed_namespace)
    pd.testing.assert_frame_equal(fixed_namespace["df"], pd.DataFrame(expected))
    if int(pd.__version__.split(".")[0]) >= 3:
        # Under copy-on-write the notebook's own statement leaves the frame as it was: the trap is real.
        import warnings

        original: dict = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(SETUP + statement, original)
        assert not original["df"].equals(pd.DataFrame(expected))


def test_not_reported_on_assignments_that_work():
    for statement in ("df['a'] = df['a'].fillna(0)", "df.loc[df['b'] > 1, 'b'] = 0", "df.fillna(0, inplace=True)"):
        analysis, _ = _analysed(statement)
        assert [f for f in analysis.findings if f.code == "NB502"] == []


def test_length_changing_inplace_call_has_no_rewrite():
    analysis, _ = _analysed("df['a'].dropna(inplace=True)")
    (finding,) = [f for f in analysis.findings if f.code == "NB502"]
    assert finding.fix == "none"


def test_a_warning_when_neither_version_has_copy_on_write(monkeypatch):
    from nb2aml.analysis import versions

    monkeypatch.setattr(versions, "installed_version", lambda name: "2.2.3" if name == "pandas" else None)
    analysis, _ = _analysed(CASES[0][0], pins={"pandas": "1.3.3"})
    (finding,) = [f for f in analysis.findings if f.code == "NB502"]
    assert finding.severity == "warning"
