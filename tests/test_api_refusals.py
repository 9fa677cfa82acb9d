"""The library refuses what the command line refuses: `nb2aml.api` (plan, then write) and `plan_job` /
`plan_pipeline` called directly raise the same one-line `Nb2amlError` that `nb2aml convert` / `split`
print, write nothing, and with `--force` write the same files.

Differential: each notebook goes through the CLI (in-process, `--no-validate`) and through the
library, and the two must agree line for line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nb2aml import api
from nb2aml.cli import main
from nb2aml.errors import Nb2amlError, NotebookError, NotebookRefused
from nb2aml.plan.job import plan_job
from nb2aml.plan.pipeline import plan_pipeline
from nb2aml.split.assign import from_cells_option

BAD = Path(__file__).parent / "bad_inputs"
ENV = {"COLUMNS": "400", "NO_COLOR": "1"}

# (notebook, --cells for split, the error the library raises)
REFUSED = [
    ("no_code_cells.ipynb", None, NotebookRefused),
    ("python2_cell.ipynb", "a=1,b=3", NotebookRefused),
    ("top_level_await.ipynb", "a=1,b=2", NotebookRefused),
    ("undefined_names.ipynb", "a=2,b=3", NotebookRefused),
    ("nothing_useful.ipynb", "a=2,b=3", NotebookRefused),
    ("shell_makes_files.ipynb", "a=2,b=3", NotebookRefused),
    # Not a refusal of the notebook as a whole: an input the plan cannot place. Same line all the same.
    ("outside_tree.ipynb", "a=2,b=3", NotebookError),
]


def _cli_error(args: list[str]) -> str:
    result = CliRunner().invoke(main, [*args, "-y", "--no-validate"], env=ENV, catch_exceptions=False)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("nb2aml: error: "), result.stderr
    return lines[0].removeprefix("nb2aml: error: ")


def _library_error(call, expected: type[Nb2amlError]) -> str:
    with pytest.raises(Nb2amlError) as caught:
        call()
    assert type(caught.value) is expected, f"{type(caught.value).__name__}: {caught.value}"
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(("name", "cells", "expected"), REFUSED, ids=[case[0] for case in REFUSED])
def test_api_convert_refuses_with_the_cli_line(tmp_path, name, cells, expected):
    shutil.copy(BAD / name, tmp_path)
    notebook, out = tmp_path / name, tmp_path / "out"
    printed = _cli_error(["convert", str(notebook), "-o", str(out)])
    assert not out.exists()

    assert _library_error(lambda: api.convert_notebook(notebook, out, validate=False), expected) == printed
    assert not out.exists()
    # Planning alone, as a library caller that writes its own way would: the same refusal.
    env = api.env_spec(notebook)
    analysis, facts = api.analyze_path(notebook, env=env)
    assert _library_error(lambda: plan_job(analysis, facts, out, env=env), expected) == printed
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize(("name", "cells", "expected"), REFUSED, ids=[case[0] for case in REFUSED])
def test_api_split_refuses_with_the_cli_line(tmp_path, name, cells, expected):
    shutil.copy(BAD / name, tmp_path)
    notebook, out = tmp_path / name, tmp_path / "out"
    given = ("--cells", cells) if cells else ()
    printed = _cli_error(["split", str(notebook), *given, "-o", str(out)])

    split = lambda: api.split_notebook(notebook, out, cells=(cells,) if cells else (), validate=False)  # noqa: E731
    assert _library_error(split, expected) == printed
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    if cells:
        analysis, facts = api.analyze_path(notebook, env=api.env_spec(notebook))
        assignment = from_cells_option(analysis.notebook, (cells,))
        assert _library_error(lambda: plan_pipeline(analysis, facts, assignment, out), expected) == printed


def _tree(root: Path) -> dict[str, bytes]:
    # The manifest records the command line's options; a library call has none to record.
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).as_posix() != ".nb2aml/manifest.json"
    }


def test_force_writes_the_same_folder_from_the_library_and_the_cli(tmp_path):
    shutil.copy(BAD / "undefined_names.ipynb", tmp_path)
    notebook = tmp_path / "undefined_names.ipynb"
    result = CliRunner().invoke(
        main,
        ["convert", str(notebook), "-o", str(tmp_path / "cli"), "-y", "--no-validate", "--force"],
        env=ENV,
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    plan = api.convert_notebook(notebook, tmp_path / "library", force=True, validate=False)
    written = _tree(tmp_path / "library")
    assert written == _tree(tmp_path / "cli")
    readme = written["README.md"].decode()
    assert "## Written with --force despite these findings" in readme and "NB702 `pd`" in readme
    assert plan.files["README.md"] == readme


def test_split_without_markers_or_cells_is_the_same_line_from_the_library(tmp_path):
    shutil.copy(BAD / "good.ipynb", tmp_path)
    notebook, out = tmp_path / "good.ipynb", tmp_path / "out"
    printed = _cli_error(["split", str(notebook), "-o", str(out)])
    assert printed == f"{notebook}: no component markers: give --cells NAME=START,... or --split-on headings"
    assert _library_error(lambda: api.split_notebook(notebook, out, validate=False), NotebookError) == printed
    assert not out.exists()
