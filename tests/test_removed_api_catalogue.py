"""Every entry of the removed-API catalogue is a test: reported where it says, not on the valid
form, rewritten to `fixed`, and checked against the versions the job meets (pinned and here)."""

from __future__ import annotations

import os

import libcst as cst
import pytest
from helpers import notebook_from_text

from nb2aml.analysis.catalogue import by_key, catalogue
from nb2aml.analysis.versions import LibraryVersions, verdict
from nb2aml.api import analyze_notebook
from nb2aml.refactor.cell import CellEdits, apply_cell_edits
from nb2aml.refactor.fixes import removed_api_edits

ENTRIES = [pytest.param(entry, id=entry.key) for entry in catalogue()]


def _findings(code: str, entry, versions: LibraryVersions | None = None):
    notebook = notebook_from_text(code)
    analysis, nb = analyze_notebook(notebook, select=("NB501",), versions=versions)
    return analysis, nb, [f for f in analysis.findings if f.message.startswith(entry.message)]


def _fixed(analysis, nb, unsafe: bool) -> str:
    fixes = removed_api_edits(analysis.findings, nb.facts, "pd", unsafe, [])
    cells = []
    for cell in analysis.notebook.code_cells:
        module = apply_cell_edits(
            cst.parse_module(cell.python), fixes.edits.get(cell.number, CellEdits()), lambda n, v: None
        )
        cells.append(module.code.rstrip("\n"))
    return "\n".join(cells) + "\n"


def _position(code: str, at: str) -> tuple[int, int]:
    before = code[: code.index(at)]
    return before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1


def test_the_catalogue_is_large_and_covers_every_library():
    entries = catalogue()
    assert len(entries) >= 40
    assert {e.library for e in entries} == {
        "pandas",
        "numpy",
        "scikit-learn",
        "matplotlib",
        "seaborn",
        "xgboost",
        "lightgbm",
        "statsmodels",
        "ipython",
    }
    assert {e.fix for e in entries} == {"safe", "unsafe", "none"}


def _pinned_at_removal(entry) -> LibraryVersions:
    """The data scientist pinned the release that removed it: reported whatever is installed here."""
    return LibraryVersions(pins={entry.library: entry.removed_in})


@pytest.mark.parametrize("entry", ENTRIES)
def test_invalid_is_reported_at_its_place(entry):
    _, _, found = _findings(entry.invalid, entry, _pinned_at_removal(entry))
    assert found, f"{entry.key}: not reported"
    line, col = _position(entry.invalid, entry.at)
    assert (found[0].pos.line, found[0].pos.col) == (line, col)
    assert found[0].severity == ("warning" if entry.changed else "error")
    assert f"pinned {entry.removed_in}" in found[0].message


@pytest.mark.parametrize("entry", ENTRIES)
def test_reported_for_the_libraries_here_only_when_they_lack_it(entry):
    _, _, found = _findings(entry.invalid, entry)
    where = verdict(LibraryVersions(), entry.library, entry.removed_in, None, entry.deprecated_in, entry.restored_in)
    assert bool(found) == (where.reported or where.deprecated_here)
    if found:
        assert found[0].severity == ("error" if where.reported and not entry.changed else "warning")


@pytest.mark.parametrize("entry", ENTRIES)
def test_valid_is_not_reported(entry):
    assert _findings(entry.valid, entry, _pinned_at_removal(entry))[2] == []


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.values[0].fixed])
def test_fix_gives_the_fixed_code_which_is_not_reported(entry):
    analysis, nb, found = _findings(entry.invalid, entry, _pinned_at_removal(entry))
    assert found and found[0].fix == entry.fix
    assert _fixed(analysis, nb, unsafe=False) == (entry.fixed if entry.fix == "safe" else entry.invalid)
    assert _fixed(analysis, nb, unsafe=True) == entry.fixed
    if entry.rewrite != "scaled_pipeline":  # its fixed form names `sklearn.pipeline` the script imports
        assert _findings(entry.fixed, entry, _pinned_at_removal(entry))[2] == []


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRIES)
def test_the_examples_run_here_as_the_catalogue_says(entry):
    """Against the libraries installed here: the invalid form fails exactly when the entry says it
    was removed here; the valid and the fixed forms run."""
    import contextlib
    import importlib.util
    import io
    import warnings

    if importlib.util.find_spec(entry.library.replace("scikit-learn", "sklearn")) is None:
        pytest.skip(f"{entry.library} is not installed here")
    os.environ.setdefault("MPLBACKEND", "Agg")

    def error(code: str) -> str | None:
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                exec(code, {})
        except Exception as exc:  # noqa: BLE001 - which exception is the point
            return f"{type(exc).__name__}: {exc}"
        return None

    where = verdict(LibraryVersions(), entry.library, entry.removed_in, None, entry.deprecated_in, entry.restored_in)
    if not entry.changed:
        assert (error(entry.invalid) is not None) == where.removed_here, error(entry.invalid)
    assert error(entry.valid) is None
    if entry.fixed:
        assert error("import sklearn.pipeline\nimport sklearn.preprocessing\n" + entry.fixed) is None


def test_an_api_removed_after_the_pinned_version_is_reported_for_here_with_both_versions():
    entry = by_key()["pandas.DataFrame.iteritems"]
    _, _, (finding,) = _findings(entry.invalid, entry, LibraryVersions(pins={"pandas": "1.3.3"}))
    assert finding.severity == "error" and finding.fix == "safe"
    assert "your pinned 1.3.3 still has it" in finding.message and "here does not" in finding.message


def test_an_api_the_pinned_version_lacks_is_reported_for_the_pin():
    entry = by_key()["pandas.DataFrame.ix"]
    _, _, (finding,) = _findings(entry.invalid, entry, LibraryVersions(pins={"pandas": "1.3.3"}))
    assert "removed in pandas 1.0" in finding.message and "pinned 1.3.3" in finding.message


def test_a_replacement_newer_than_the_pin_makes_the_fix_unsafe():
    entry = by_key()["pandas.DataFrame.applymap"]
    _, _, (finding,) = _findings(entry.invalid, entry, LibraryVersions(pins={"pandas": "1.3.3"}))
    assert finding.fix == "unsafe" and "needs pandas>=2.1" in finding.message
    _, _, (finding,) = _findings(entry.invalid, entry, LibraryVersions(pins={"pandas": "2.2.0"}))
    assert finding.fix == "safe"


def test_not_reported_when_neither_version_lacks_it(monkeypatch):
    from nb2aml.analysis import versions

    monkeypatch.setattr(versions, "installed_version", lambda name: "1.5.3" if name == "pandas" else None)
    entry = by_key()["pandas.DataFrame.iteritems"]
    assert _findings(entry.invalid, entry, LibraryVersions(pins={"pandas": "1.3.3"}))[2] == []


def test_append_of_an_unknown_argument_is_unsafe():
    entry = by_key()["pandas.DataFrame.append"]
    code = "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf = df.append({'a': 2}, ignore_index=True)\n"
    _, _, (finding,) = _findings(code, entry)
    assert finding.fix == "unsafe" and "not known to be a DataFrame" in finding.message


def test_a_moved_module_with_names_of_other_signatures_is_unsafe():
    entry = by_key()["sklearn.cross_validation"]
    _, _, (finding,) = _findings("from sklearn.cross_validation import KFold, train_test_split\n", entry)
    assert finding.fix == "unsafe" and "other arguments" in finding.message
