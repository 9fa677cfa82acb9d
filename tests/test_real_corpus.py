"""The real-notebook corpus (tests/notebooks/real/): provenance, data, and the generated table.

The notebooks are public ones, as their authors wrote them (outputs stripped at most). They are
read through the research tools, whose terms keep their code out of this repository: corpus.toml
records where each comes from (repository, commit, path, license), and a developer places them at
their `path` to run the corpus (git ignores them there). Their data is stand-in data with the same
schema from make_data.py (ours, committed). docs/corpus.md is what make_table.py writes after
running every notebook through nb2aml; where the notebooks are present, the slow test regenerates
it and requires the committed file to match. Without them (a fresh checkout, CI) that test skips.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REAL = Path(__file__).parent / "notebooks" / "real"
ROOT = Path(__file__).parents[1]
LICENSES = {"MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "CC0-1.0", "CC-BY-4.0", "Unlicense"}
DATA_KINDS = {"shipped", "generated", "library", "none"}
MAX_DATA_BYTES = 2_000_000
# the data make_data.py writes: CSV files, and LightGBM's tab-separated regression.train / .test
DATA_SUFFIXES = {".csv", ".train", ".test"}


def _manifest() -> list[dict]:
    with (REAL / "corpus.toml").open("rb") as handle:
        return tomllib.load(handle)["notebook"]


def _present() -> list[dict]:
    return [entry for entry in _manifest() if (REAL / entry["path"]).is_file()]


def _require_the_corpus() -> None:
    missing = [entry["name"] for entry in _manifest() if not (REAL / entry["path"]).is_file()]
    if missing:
        pytest.skip(
            f"{len(missing)} corpus notebooks are not here (they are never committed): place each at its "
            "corpus.toml path, see tests/notebooks/real/README.md"
        )


def test_every_notebook_has_its_provenance():
    entries = _manifest()
    on_disk = {p.relative_to(REAL).as_posix() for p in REAL.rglob("*.ipynb")}
    listed = [entry["path"] for entry in entries]
    assert on_disk <= set(listed), f"notebooks without provenance: {sorted(on_disk - set(listed))}"
    assert len(set(listed)) == len(listed) and len({e["name"] for e in entries}) == len(entries)
    assert len(entries) >= 30
    for entry in entries:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", entry["repository"]), entry["name"]
        assert re.fullmatch(r"[0-9a-f]{40}", entry["commit"]), entry["name"]
        assert entry["source"] and entry["changes"] and entry["style"], entry["name"]
        assert entry["license"] in LICENSES, f"{entry['name']}: {entry['license']} is not a license we accept"
        assert entry["data"] in DATA_KINDS, entry["name"]


def test_notebooks_are_readable_notebooks():
    import nbformat

    present = _present()
    if not present:
        pytest.skip("no corpus notebook is here (they are never committed): see tests/notebooks/real/README.md")
    for entry in present:
        notebook = nbformat.read(str(REAL / entry["path"]), as_version=4)
        assert any(cell.cell_type == "code" for cell in notebook.cells), entry["name"]


def test_make_data_reproduces_the_committed_data(tmp_path):
    made = subprocess.run([sys.executable, str(REAL / "make_data.py"), str(tmp_path)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    generated = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(REAL).as_posix() for p in REAL.rglob("*") if p.is_file() and p.suffix in DATA_SUFFIXES}
    assert generated == committed
    for relative in sorted(generated):
        data = (REAL / relative).read_bytes()
        assert data == (tmp_path / relative).read_bytes(), f"{relative} differs from what make_data.py writes"
        assert len(data) <= MAX_DATA_BYTES, f"{relative} is {len(data)} bytes"


def test_the_table_lists_every_notebook():
    table = (ROOT / "docs" / "corpus.md").read_text(encoding="utf-8")
    assert "python tests/notebooks/real/make_table.py" in table.splitlines()[2]
    for entry in _manifest():
        assert f"| {entry['name']} |" in table, entry["name"]


@pytest.mark.slow
def test_the_committed_table_is_what_make_table_writes():
    _require_the_corpus()
    checked = subprocess.run(
        [sys.executable, str(REAL / "make_table.py"), "--check"], capture_output=True, text=True, cwd=ROOT, timeout=3600
    )
    assert checked.returncode == 0, checked.stderr[-3000:] + "\n" + checked.stdout[-6000:]


def _make_table():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_table", REAL / "make_table.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_reasons_are_one_line_without_machine_specific_parts(tmp_path):
    make_table = _make_table()
    work = tmp_path / "nb2aml-corpus-x1"
    error = (
        f'step tut4: Traceback (most recent call last):\n  File "{work}/_out/a/job/src/tut4.py", line 57\n'
        "    mean_absolute_error(y, p)\nValueError: Input contains NaN at 0x7f3a9c2b\n"
    )
    reason = make_table.normalise(error, work, "kaggle_learn/a/tut4.ipynb")
    assert reason == "step tut4: ValueError: Input contains NaN at 0x…"
    refused = make_table.normalise(
        "nb2aml: error: dir x/nb 1.ipynb:cell 4:2:5: cell does not parse", work, "dir x/nb 1.ipynb"
    )
    assert refused == "cell 4:2:5: cell does not parse"
    assert make_table._reason_kind("verify job: " + refused) == "verify job: cell does not parse"
    assert (
        make_table._reason_kind("convert: metric r2 differs: notebook 0.25 vs 0.5")
        == "convert: metric r2 differs: notebook N vs N"
    )
