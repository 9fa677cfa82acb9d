"""The notebook model: .ipynb v4 and v3, percent-format .py, magics set aside with lines kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nb2aml.notebook import load_notebook, separate_magics
from nb2aml.types import NotebookError

EXAMPLES = Path(__file__).parent.parent / "examples"


def _ipynb(tmp_path: Path, cells: list[dict], name: str = "nb.ipynb", **top) -> Path:
    data = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells, **top}
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _code(source, count=None, tags=None) -> dict:
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": {"tags": tags} if tags else {},
        "outputs": [],
        "source": source,
    }


def _lines_kept(cell) -> None:
    assert cell.foreign or cell.python.count("\n") == cell.source.count("\n"), (cell.source, cell.python)


# --- .ipynb ----------------------------------------------------------------------------------------


def test_ipynb_v4(tmp_path):
    path = _ipynb(
        tmp_path,
        [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "text"]},
            _code(["import pandas as pd\n", "df = pd.read_csv('a.csv')"], count=1, tags=["parameters", "other"]),
            {"cell_type": "raw", "metadata": {}, "source": "raw"},
            _code("print(df)", count=2),
        ],
        metadata={"kernelspec": {"name": "python3"}, "language_info": {"name": "python", "version": "3.8.5"}},
    )
    nb = load_notebook(path)
    assert nb.fmt == "ipynb" and nb.path == str(path) and nb.name == "nb"
    assert nb.language_version == "3.8.5" and nb.kernel_name == "python3"
    assert [c.kind for c in nb.cells] == ["markdown", "code", "raw", "code"]
    assert [c.number for c in nb.cells] == [1, 2, 3, 4]
    assert [c.number for c in nb.code_cells] == [2, 4]
    second = nb.cells[1]
    assert second.source == "import pandas as pd\ndf = pd.read_csv('a.csv')" == second.python
    assert second.tags == ("parameters", "other") and second.execution_count == 1
    assert nb.cells[0].source == "# Title\ntext" and nb.cells[0].python == ""
    assert nb.cells[3].execution_count == 2


def test_bundled_examples_load():
    for name in ("nyc_taxi", "churn", "housing"):
        nb = load_notebook(EXAMPLES / name / "notebook.ipynb")
        assert nb.code_cells
        for cell in nb.code_cells:
            _lines_kept(cell)
    churn = load_notebook(EXAMPLES / "churn" / "notebook.ipynb")
    packages = [m.packages for c in churn.cells for m in c.magics if m.packages]
    assert packages == [("seaborn==0.11.2",)]


def test_ipynb_v3_is_upgraded(tmp_path):
    v3 = {
        "metadata": {"name": "old"},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [
            {
                "metadata": {},
                "cells": [
                    {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Old notebook"]},
                    {
                        "cell_type": "code",
                        "collapsed": False,
                        "language": "python",
                        "metadata": {},
                        "outputs": [],
                        "prompt_number": 1,
                        "input": ["%matplotlib inline\n", "import pandas as pd\n", "df = pd.read_csv('data.csv')"],
                    },
                    {"cell_type": "markdown", "metadata": {}, "source": ["Some *text*"]},
                    {
                        "cell_type": "code",
                        "collapsed": False,
                        "language": "python",
                        "metadata": {},
                        "outputs": [],
                        "prompt_number": 2,
                        "input": "print(df.shape)",
                    },
                ],
            }
        ],
    }
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(v3), encoding="utf-8")
    nb = load_notebook(path)
    assert [c.kind for c in nb.cells] == ["markdown", "code", "markdown", "code"]
    assert nb.cells[0].source == "# Old notebook"
    code = nb.cells[1]
    assert code.source == "%matplotlib inline\nimport pandas as pd\ndf = pd.read_csv('data.csv')"
    assert code.python == "pass\nimport pandas as pd\ndf = pd.read_csv('data.csv')"
    assert code.execution_count == 1 and nb.cells[3].execution_count == 2
    assert nb.cells[3].source == "print(df.shape)"


def test_odd_metadata_is_ignored(tmp_path):
    path = _ipynb(
        tmp_path,
        [
            {
                "cell_type": "code",
                "metadata": {"tags": "parameters"},
                "source": "x = 1",
                "execution_count": None,
                "outputs": [],
            },
            {"cell_type": "code", "metadata": ["not", "a", "dict"], "source": "y = 2"},
        ],
        metadata={"language_info": "python", "kernelspec": ["x"]},
    )
    nb = load_notebook(path)
    assert [c.tags for c in nb.cells] == [(), ()]
    assert nb.language_version is None and nb.kernel_name is None


# --- percent format --------------------------------------------------------------------------------


PERCENT = """# ---
# jupyter:
#   jupytext:
#     text_representation:
#       format_name: percent
# ---

# %% [markdown]
# # Title
# some text

# %% tags=["parameters"]
alpha = 0.1

# %%
# %matplotlib inline
# !pip install xgboost
import xgboost

# %% Train the model
print(alpha)
"""


def test_percent_format(tmp_path):
    path = tmp_path / "nb.py"
    path.write_text(PERCENT, encoding="utf-8")
    nb = load_notebook(path)
    assert nb.fmt == "percent"
    assert [(c.number, c.kind) for c in nb.cells] == [(1, "markdown"), (2, "code"), (3, "code"), (4, "code")]
    assert nb.cells[0].source == "# Title\nsome text"
    assert nb.cells[1].tags == ("parameters",) and nb.cells[1].source == "alpha = 0.1"
    third = nb.cells[2]
    assert third.source == "%matplotlib inline\n!pip install xgboost\nimport xgboost"
    assert third.python == "pass\npass\nimport xgboost"
    assert [(m.line, m.kind, m.packages) for m in third.magics] == [(1, "line_magic", ()), (2, "shell", ("xgboost",))]
    assert nb.cells[3].source == "print(alpha)"


def test_percent_format_without_markers_is_one_code_cell(tmp_path):
    path = tmp_path / "script.py"
    path.write_text("\n\nx = 1\nprint(x)\n", encoding="utf-8")
    (cell,) = load_notebook(path).cells
    assert cell.kind == "code" and cell.source == "x = 1\nprint(x)"


def test_percent_format_crlf(tmp_path):
    path = tmp_path / "crlf.py"
    path.write_bytes(b"x = 1\r\n# %%\r\n%matplotlib inline\r\ny = x\r\n")
    first, second = load_notebook(path).cells
    assert first.source == "x = 1"
    assert second.python == "pass\ny = x"


# --- magics ---------------------------------------------------------------------------------------


def test_line_magic():
    python, magics, foreign = separate_magics(1, "%matplotlib inline\nx = 1")
    assert python == "pass\nx = 1" and not foreign
    assert [(m.cell, m.line, m.kind, m.text) for m in magics] == [(1, 1, "line_magic", "%matplotlib inline")]


def test_pip_install_names_packages():
    _, (magic,), _ = separate_magics(1, "!pip install -q seaborn==0.11.2 xgboost")
    assert magic.kind == "shell" and magic.packages == ("seaborn==0.11.2", "xgboost")
    _, (magic,), _ = separate_magics(1, "%pip install -r requirements.txt lightgbm")
    assert magic.kind == "line_magic" and magic.packages == ("lightgbm",)
    _, (magic,), _ = separate_magics(1, "!conda install -y -c conda-forge lightgbm")
    assert magic.packages == ("lightgbm",)
    _, (magic,), _ = separate_magics(1, "!ls data")
    assert magic.packages == ()


def test_shell_assignment_binds_the_name():
    python, (magic,), _ = separate_magics(3, "files = !ls\nprint(files)")
    assert magic.assigns == "files" and magic.kind == "shell" and magic.line == 1
    assert python == "files = []\nprint(files)"


def test_python_cell_magic_keeps_the_body():
    python, (magic,), foreign = separate_magics(1, "%%time\nmodel = 1\nprint(model)")
    assert not foreign and magic.kind == "cell_magic" and magic.text == "%%time"
    assert python == "pass\nmodel = 1\nprint(model)"
    python, _, _ = separate_magics(1, "\n%%capture out\nimport os")
    assert python == "\npass\nimport os"


def test_foreign_cell_magic():
    python, (magic,), foreign = separate_magics(1, "%%bash\necho hi\nls")
    assert foreign and python == "" and magic.text == "%%bash"


def test_help_queries():
    python, magics, _ = separate_magics(1, "df?\n?df\ndf.head??\nx = 1")
    assert python == "pass\npass\npass\nx = 1"
    assert [(m.line, m.kind) for m in magics] == [(1, "help"), (2, "help"), (3, "help")]


def test_timed_statement_is_kept():
    python, (magic,), _ = separate_magics(1, "%time model.fit(X, y)")
    assert python == "model.fit(X, y)" and magic.kind == "line_magic"
    python, _, _ = separate_magics(1, "for i in range(3):\n    %timeit f(i)\n    !echo hi")
    assert python == "for i in range(3):\n    f(i)\n    pass"


def test_line_continuation():
    source = "!pip install \\\n    pandas \\\n    numpy\nx = 1"
    python, (magic,), _ = separate_magics(1, source)
    assert python == "pass\n\n\nx = 1"
    assert magic.packages == ("pandas", "numpy") and magic.text == "!pip install pandas numpy"


def test_magic_like_text_inside_strings_is_python():
    source = 'template = """\n%d rows\n!important\nready?\n"""\nprint(template % 3)'
    assert separate_magics(1, source) == (source, (), False)
    # ...also next to a real magic, and when the string closes on the magic-like line.
    source = "%matplotlib inline\ns = '''\n%d items'''\nprint(s)"
    python, magics, _ = separate_magics(1, source)
    assert python == "pass\ns = '''\n%d items'''\nprint(s)"
    assert [m.line for m in magics] == [1]


def test_python_that_looks_like_magic_is_not():
    for source in ("x = 5 % 3\ny = x if x else 2", "print('what?')", "a = b % c", "if a != b:\n    pass"):
        assert separate_magics(1, source) == (source, (), False)


@pytest.mark.parametrize(
    "source",
    [
        "%matplotlib inline\nx = 1",
        "!pip install \\\n  a \\\n  b\ny = 2",
        "%%time\nx = 1\n\n%time f(x)",
        "%%bash\necho 1\necho 2",
        "files = !ls\ndf?\n  %load_ext autoreload\nprint(files)",
        's = """\n%d\n"""\n!ls',
    ],
)
def test_line_numbers_are_preserved(tmp_path, source):
    path = _ipynb(tmp_path, [_code(source)])
    (cell,) = load_notebook(path).cells
    _lines_kept(cell)
    if not cell.foreign:
        for number, (before, after) in enumerate(
            zip(cell.source.split("\n"), cell.python.split("\n"), strict=False), start=1
        ):
            if number not in {m.line for m in cell.magics} and after:
                assert after == before


# --- bad input ------------------------------------------------------------------------------------


def _bad(tmp_path: Path, name: str, data: bytes | None) -> Path:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    return path


BAD = [
    ("empty.ipynb", b"", "empty"),
    ("blank.ipynb", b"  \n\n", "empty"),
    ("truncated.ipynb", b'{"nbformat": 4, "cells": [{"cell_type": "co', "not valid JSON"),
    ("object.ipynb", b'{"name": "not a notebook"}', "not a Jupyter notebook"),
    ("list.ipynb", b"[1, 2, 3]", "not a Jupyter notebook"),
    ("v5.ipynb", b'{"nbformat": 5, "nbformat_minor": 0, "cells": []}', "unsupported nbformat 5"),
    ("latin1.ipynb", '{"nbformat": 4, "cells": [], "metadata": {"a": "café"}}'.encode("latin-1"), "not UTF-8"),
    ("latin1.py", "x = 'café'\n".encode("latin-1"), "not UTF-8"),
    ("cell.ipynb", b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [42]}', "cell 1: not a cell object"),
    (
        "kind.ipynb",
        b'{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "widget", "source": ""}]}',
        "cell 1: unknown cell type",
    ),
    (
        "source.ipynb",
        b'{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": [1, 2]}]}',
        "cell 1: source is not text",
    ),
    ("nocells.ipynb", b'{"nbformat": 4, "metadata": {}}', "no 'cells' list"),
    ("badv3.ipynb", b'{"nbformat": 3, "nbformat_minor": 0, "worksheets": 5}', "nbformat 3"),
    ("deep.ipynb", b"[" * 50000 + b"]" * 50000, "not a Jupyter notebook"),
    ("missing.ipynb", None, "no such file"),
]


@pytest.mark.parametrize("name, data, why", BAD, ids=[b[0] for b in BAD])
def test_bad_input_raises_one_line_naming_the_file(tmp_path, name, data, why):
    path = _bad(tmp_path, name, data)
    with pytest.raises(NotebookError) as info:
        load_notebook(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert why in message


def test_directory_is_not_a_notebook(tmp_path):
    folder = tmp_path / "folder.ipynb"
    folder.mkdir()
    with pytest.raises(NotebookError, match="is a directory") as info:
        load_notebook(folder)
    assert str(info.value).startswith(str(folder)) and "\n" not in str(info.value)
