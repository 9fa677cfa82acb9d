"""`--input NAME=PATH`: the user names a path nb2aml cannot resolve (NB801), convert makes it an input.

Unit tests parse and validate the option and check what the analysis, NB801, the refusal and the
script make of it; the slow test converts, runs and verifies a notebook refused without it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nb2aml.analysis.named_inputs import NamedInput, parse_named_inputs
from nb2aml.api import analyze_path
from nb2aml.cli import main
from nb2aml.errors import ConfigError
from nb2aml.plan.refusals import refusals
from nb2aml.refactor.script import build_script
from nb2aml.types import NotebookError

CASE = Path(__file__).parent / "notebooks" / "files" / "named_input"

FUNCTION_BODY = (
    "# %%\nimport os\nimport pandas as pd\n"
    "def load():\n    try:\n        return pd.read_csv('data/b.csv')\n    except OSError:\n        return None\n"
    "print(load())\n"
)
MULTI_LINE_CWD = "# %%\nwhere = os.path.join(\n    os.getcwd(), 'y')\nprint(where)\n"


def _notebook(tmp_path: Path, text: str) -> Path:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "b.csv").write_text("a\n1\n")
    nb = tmp_path / "nb.py"
    nb.write_text(text)
    return nb


def test_parse_named_inputs():
    assert parse_named_inputs(["b=data/b.csv", " train = ../x/ "]) == (
        NamedInput("b", "data/b.csv"),
        NamedInput("train", "../x/"),
    )
    for bad, says in (
        ("b", "takes NAME=PATH"),
        ("=x", "takes NAME=PATH"),
        ("b=", "takes NAME=PATH"),
        ("2b=x", "must be a Python identifier"),
        ("class=x", "must be a Python identifier"),
    ):
        with pytest.raises(ConfigError, match=says):
            parse_named_inputs([bad])
    with pytest.raises(ConfigError, match="given twice"):
        parse_named_inputs(["b=x", "b=y"])
    with pytest.raises(ConfigError, match="--no-fix NB201 turns off"):
        parse_named_inputs(["b=x"], no_fix=frozenset({"NB201"}))


def test_nb801_prints_the_exact_option_and_a_named_path_becomes_an_input(tmp_path):
    nb = _notebook(tmp_path, FUNCTION_BODY)
    analysis, facts = analyze_path(nb)
    [error] = [f for f in analysis.findings if f.code == "NB801"]
    assert error.severity == "error" and "convert with `--input b=data/b.csv`" in error.message
    assert "--input b=data/b.csv" in refusals(analysis, facts)[0].message

    analysis, facts = analyze_path(nb, named_inputs=(NamedInput("b", "data/b.csv"),))
    [named] = [a for a in analysis.inputs if a.name == "b"]
    assert (named.path, named.type, named.uses) == ("data/b.csv", "uri_file", (error.pos,))
    [note] = [f for f in analysis.findings if f.code == "NB801"]
    assert note.severity == "warning" and "read from input --b (data/b.csv), given with --input" in note.message
    assert refusals(analysis, facts) == ()
    script = build_script(analysis, facts).text
    assert "        return pd.read_csv(args.b)\n" in script
    assert "parser.add_argument('--b', type=str, default='data/b.csv'" in script


def test_a_name_of_ones_own_matches_by_path(tmp_path):
    nb = _notebook(tmp_path, FUNCTION_BODY)
    analysis, _ = analyze_path(nb, named_inputs=(NamedInput("train", "./data/b.csv"),))
    assert [(a.name, a.path) for a in analysis.inputs] == [("train", "./data/b.csv")]


def test_a_name_that_matches_nothing_is_refused_with_what_is_needed(tmp_path):
    nb = _notebook(tmp_path, FUNCTION_BODY)
    with pytest.raises(NotebookError, match=r"--input zz=x.csv: no path .* \(it needs: --input b=data/b.csv\)"):
        analyze_path(nb, named_inputs=(NamedInput("zz", "x.csv"),))
    plain = _notebook(tmp_path, "# %%\nimport pandas as pd\nprint(pd.read_csv('data/b.csv').shape)\n")
    with pytest.raises(NotebookError, match="it has none: leave the option out"):
        analyze_path(plain, named_inputs=(NamedInput("b", "data/b.csv"),))
    # NB801 never suggests a name the notebook's own inputs hold; one given anyway is refused.
    both = _notebook(tmp_path, FUNCTION_BODY + "# %%\nprint(pd.read_csv('b.csv').shape)\n")
    analysis, _ = analyze_path(both)
    assert "`--input b_2=data/b.csv`" in next(f.message for f in analysis.findings if f.code == "NB801")
    with pytest.raises(NotebookError, match="--input b=data/b.csv: b already names an input, output or parameter"):
        analyze_path(both, named_inputs=(NamedInput("b", "data/b.csv"),))


def test_two_names_for_one_path_or_no_argument_for_it_are_refused_naming_cell_and_line(tmp_path):
    nb = _notebook(tmp_path, FUNCTION_BODY)
    with pytest.raises(NotebookError, match=r"nb.py:cell 1:5:28: both --input b=data/b.csv and --input c=data/b.csv"):
        analyze_path(nb, named_inputs=(NamedInput("b", "data/b.csv"), NamedInput("c", "data/b.csv")))
    raw = _notebook(tmp_path, "# %%\nimport os\nwhere = os.path.join(\n    os.getcwdb(), b'y')\nprint(where)\n")
    with pytest.raises(NotebookError, match=r"nb.py:cell 1:3:5: --input workdir=\.: `os.getcwdb\(\)` cannot be"):
        analyze_path(raw, named_inputs=(NamedInput("workdir", "."),))


def test_a_working_folder_call_is_replaced_by_the_folder_argument(tmp_path):
    nb = _notebook(tmp_path, FUNCTION_BODY + MULTI_LINE_CWD)
    analysis, facts = analyze_path(nb)
    found = refusals(analysis, facts)
    # Several paths nb2aml cannot resolve: the first refusal names every option convert needs.
    assert "convert needs all of: --input b=data/b.csv --input workdir=." in found[0].message
    named = (NamedInput("b", "data/b.csv"), NamedInput("workdir", "."))
    analysis, facts = analyze_path(nb, named_inputs=named)
    assert refusals(analysis, facts) == ()
    assert [(a.name, a.type) for a in analysis.inputs] == [("b", "uri_file"), ("workdir", "uri_folder")]
    script = build_script(analysis, facts)
    assert "where = os.path.join(\n    os.path.abspath(args.workdir), 'y')" in script.text
    assert any(c.kind == "named_input" for c in script.changes)


def test_the_cli_option_refuses_with_one_line(tmp_path):
    nb = _notebook(tmp_path, FUNCTION_BODY)
    result = CliRunner().invoke(
        main, ["convert", str(nb), "-o", str(tmp_path / "out"), "-y", "--no-validate", "--input", "zz=x"]
    )
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "--input zz=x: no path" in lines[0]
    result = CliRunner().invoke(
        main, ["convert", str(nb), "-o", str(tmp_path / "out"), "-y", "--no-validate", "--input", "b"]
    )
    assert result.exit_code == 2 and "--input takes NAME=PATH" in result.output


@pytest.mark.slow
def test_a_notebook_refused_before_converts_runs_and_verifies(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(CASE, folder)

    def nb2aml(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "nb2aml.cli", *args], cwd=folder, capture_output=True, text=True, timeout=600
        )

    done = nb2aml("convert", "named_input.py", "-o", "out/job", "-y", "--no-validate")
    assert done.returncode == 2 and "`--input measurements=data/measurements.csv`" in done.stderr
    done = nb2aml("convert", "named_input.py", "-o", "out/job", "-y", "--input", "measurements=data/measurements.csv")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "measurements:\n    type: uri_file\n    path: ../../data/measurements.csv"
        in (folder / "out/job/job.yml").read_text()
    )
    # verify runs the job (here, on the local data) beside the notebook and compares what both write.
    done = nb2aml("verify", "named_input.py", "out/job")
    assert done.returncode == 0 and "equivalent" in done.stdout, done.stdout + done.stderr


def test_a_literal_that_is_only_part_of_the_path_cannot_be_named(tmp_path):
    nb = _notebook(
        tmp_path,
        "# %%\nimport pandas as pd\ndef load():\n    return pd.read_csv('data/b.csv'.replace('b', 'c'))\n"
        "print(load())\n",
    )
    analysis, _ = analyze_path(nb)
    [error] = [f for f in analysis.findings if f.code == "NB801"]
    assert "no --input can stand for `'data/b.csv'`" in error.message
    with pytest.raises(NotebookError, match=r"nb.py:cell 1:3:24: --input b=data/b.csv: `'data/b.csv'` cannot be"):
        analyze_path(nb, named_inputs=(NamedInput("b", "data/b.csv"),))
    # A path constructor around the whole path is fine: `Path(args.b)`.
    whole = _notebook(tmp_path, FUNCTION_BODY.replace("pd.read_csv('data/b.csv')", "pd.read_csv(Path('data/b.csv'))"))
    whole.write_text("# %%\nfrom pathlib import Path\n" + whole.read_text().removeprefix("# %%\n"))
    analysis, facts = analyze_path(whole, named_inputs=(NamedInput("b", "data/b.csv"),))
    assert "return pd.read_csv(Path(args.b))" in build_script(analysis, facts).text
