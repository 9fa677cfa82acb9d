"""The job's world as the notebook saw it: files it reads back, its own modules, magics, paths.

Each notebook in tests/notebooks/files/ is copied into a fresh folder (so that no intermediate
file from an earlier run exists), converted and split, run here and verified against the notebook.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nb2aml.api import analyze_path

CASES = Path(__file__).parent / "notebooks" / "files"


def _copy(case: str, tmp_path: Path) -> Path:
    folder = tmp_path / case
    shutil.copytree(CASES / case, folder)
    return folder


def nb2aml(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nb2aml.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def _convert_split_verify(folder: Path, notebook: str, cells: str) -> None:
    before = sorted(p.name for p in folder.iterdir())
    done = nb2aml("convert", notebook, "-o", "out/job", "-y", cwd=folder)
    assert done.returncode == 0, done.stdout + done.stderr
    done = nb2aml("verify", notebook, "out/job", cwd=folder)
    assert done.returncode == 0 and "equivalent" in done.stdout, done.stdout + done.stderr
    done = nb2aml("split", notebook, "--cells", cells, "-o", "out/pipe", "-y", cwd=folder)
    assert done.returncode == 0, done.stdout + done.stderr
    done = nb2aml("verify", notebook, "out/pipe", cwd=folder)
    assert done.returncode == 0 and "equivalent" in done.stdout, done.stdout + done.stderr
    # The job wrote its intermediate files into its own outputs, never beside the notebook.
    after = sorted(p.name for p in folder.iterdir() if p.name != "out")
    assert after == before or set(after) - set(before) <= {"helper.py", "helper2.py", "__pycache__", "settings.txt"}


# -- files as values ---------------------------------------------------------------------------


def test_a_file_written_then_read_back_is_no_input(tmp_path):
    folder = _copy("roundtrip", tmp_path)
    analysis, _ = analyze_path(folder / "roundtrip.py")
    assert [a.path for a in analysis.inputs] == ["raw.csv"]
    outputs = {a.name: a for a in analysis.outputs}
    assert set(outputs) == {"clean", "model_pickle", "features"}
    assert all(len(a.reads) == 1 for a in outputs.values())


def test_a_file_path_held_in_a_variable_is_read_from_its_output(tmp_path):
    nb = tmp_path / "nb.py"
    nb.write_text(
        "# %%\nimport pandas as pd\nraw = pd.read_csv('raw.csv')\nname = 'tmp/clean.parquet'\nraw.to_parquet(name)\n"
        "# %%\nback = pd.read_parquet(name)\nprint(back.shape)\n"
    )
    analysis, _ = analyze_path(nb)
    assert [a.path for a in analysis.inputs] == ["raw.csv"]


def test_a_file_read_before_the_notebook_writes_it_stays_an_input(tmp_path):
    nb = tmp_path / "nb.py"
    nb.write_text("# %%\nimport pandas as pd\nold = pd.read_csv('state.csv')\nold.assign(n=1).to_csv('state.csv')\n")
    analysis, _ = analyze_path(nb)
    assert [a.path for a in analysis.inputs] == ["state.csv"]


@pytest.mark.slow
def test_roundtrip_job_and_pipeline_run_and_verify(tmp_path):
    folder = _copy("roundtrip", tmp_path)
    _convert_split_verify(folder, "roundtrip.py", "prep=3,train=4,score=5")
    pipeline = (folder / "out/pipe/pipeline.yml").read_text()
    assert "clean: ${{parent.jobs.prep.outputs.clean}}" in pipeline
    assert "model_pickle: ${{parent.jobs.train.outputs.model_pickle}}" in pipeline
    assert "prep -- clean --> train" in (folder / "out/pipe/README.md").read_text()
    job = (folder / "out/job/job.yml").read_text()
    assert "clean_2" not in job and "model_pickle_2" not in job


# -- local code travels ------------------------------------------------------------------------


def test_local_modules_are_shipped_transitively_and_only_those_imported(tmp_path):
    from nb2aml.analysis.local_modules import local_code
    from nb2aml.notebook import load_notebook

    folder = _copy("local_modules", tmp_path)
    notebook = load_notebook(folder / "notebooks" / "churn.py")
    local = local_code(notebook, ["churn_helpers", "mylib", "pandas", "sklearn.linear_model"])
    assert dict(local.files).keys() == {"churn_helpers.py", "mylib/__init__.py", "mylib/features.py", "mylib/util.py"}
    assert set(local.modules) == {"churn_helpers", "mylib"}
    # What the shipped files import joins the requirements; the local modules never do.
    assert {"numpy", "matplotlib.pyplot"} <= set(local.imports)


def test_a_plot_only_function_of_a_local_module_is_not_run(tmp_path):
    folder = _copy("local_modules", tmp_path)
    analysis, nb = analyze_path(folder / "notebooks" / "churn.py")
    plot = [s for s in nb.facts.statements if s.depth == 0 and s.role == "plot"]
    assert [s.cell for s in plot] == [3] and all(s.id not in nb.kept for s in plot)
    computed = [s for s in nb.facts.statements if s.cell == 4 and s.depth == 0]
    assert all(s.id in nb.kept for s in computed)


@pytest.mark.slow
def test_local_modules_job_and_pipeline_run_and_verify(tmp_path):
    folder = _copy("local_modules", tmp_path) / "notebooks"
    _convert_split_verify(folder, "churn.py", "prep=2-3,train=4")
    shipped = sorted(str(p.relative_to(folder / "out/job/src")) for p in (folder / "out/job/src").rglob("*.py"))
    assert shipped == ["churn.py", "churn_helpers.py", "mylib/__init__.py", "mylib/features.py", "mylib/util.py"]
    assert "show_distribution" not in (folder / "out/job/src/churn.py").read_text()
    assert (folder / "out/pipe/src/mylib/util.py").is_file()


# -- magics keep their meaning -----------------------------------------------------------------


def test_run_magic_imports_what_the_file_defines(tmp_path):
    folder = _copy("magics", tmp_path)
    analysis, nb = analyze_path(folder / "magics.ipynb")
    assert not [f for f in analysis.findings if f.code == "NB702"]
    assert "from helper2 import triple" in analysis.notebook.cells[3].python
    # `%cd data` then `read_csv('d.csv')`: the input is data/d.csv; `../settings.txt` is the file a cell wrote.
    assert sorted(a.path for a in analysis.inputs) == ["data/d.csv", "settings.txt"]
    assert [(a.path, a.members) for a in analysis.outputs] == [("data", ("doubled.csv",))]


@pytest.mark.slow
def test_magics_job_and_pipeline_run_and_verify(tmp_path):
    folder = _copy("magics", tmp_path)
    _convert_split_verify(folder, "magics.ipynb", "a=2-4,b=6,c=8")
    job = folder / "out/job"
    assert (job / "src/helper.py").read_text() == "def double(x):\n    return 2 * x\n"
    assert (job / "src/helper2.py").is_file() and (job / "written/settings.txt").read_text() == "scale=3\n"
    assert "path: ./written/settings.txt" in (job / "job.yml").read_text()
    assert (folder / "out/pipe/src/helper.py").is_file()


# -- one rule for refusals ---------------------------------------------------------------------

BAD = Path(__file__).parent / "bad_inputs"


def test_analyze_says_what_convert_will_do():
    from nb2aml.plan.refusals import analyze_verdict, refusals

    analysis, nb = analyze_path(BAD / "undefined_names.ipynb")
    found = refusals(analysis, nb)
    assert found and all(r.overridable for r in found) and "NB702 `pd`" in found[0].message
    assert analyze_verdict(analysis, nb).startswith("`nb2aml convert` will refuse: ")
    assert "fixed safely" not in analyze_verdict(analysis, nb)
    analysis, nb = analyze_path(BAD / "nothing_useful.ipynb")
    assert [r.overridable for r in refusals(analysis, nb)] == [False]
    assert "writes no file, logs nothing and prints nothing" in analyze_verdict(analysis, nb)
    analysis, nb = analyze_path(BAD / "good.ipynb")
    assert refusals(analysis, nb) == () and "fixed safely by `nb2aml convert`" in analyze_verdict(analysis, nb)


def test_force_writes_the_overridden_findings_into_the_readme(tmp_path):
    shutil.copy(BAD / "undefined_names.ipynb", tmp_path)
    done = nb2aml("convert", "undefined_names.ipynb", "-o", "out", "-y", "--no-validate", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    readme = (tmp_path / "out/README.md").read_text()
    assert "## Written with --force despite these findings" in readme and "NB702 `sns`" in readme
    done = nb2aml("analyze", "undefined_names.ipynb", cwd=tmp_path)
    assert done.returncode == 1 and "will refuse" in " ".join(done.stdout.split())


# -- paths resolve as in the notebook ----------------------------------------------------------


def test_paths_from_the_working_folder_are_found_with_where_they_pointed(tmp_path):
    (tmp_path / "project" / "notebooks").mkdir(parents=True)
    nb = tmp_path / "project" / "notebooks" / "nb.py"
    nb.write_text(
        "# %%\nimport os\nfrom pathlib import Path\nimport pandas as pd\n"
        "data = Path().absolute().parents[1] / 'regression'\nprint(pd.read_csv(data / 'a.csv').shape)\n"
        "# %%\nprint(os.path.join(os.getcwd(), 'x'))\n"
        "# %%\ndef load():\n    try:\n        return pd.read_csv('data/b.csv')\n    except OSError:\n"
        "        return None\nprint(load())\n"
    )
    nb.write_text(nb.read_text() + "# %%\nwhere = os.path.join(\n    os.getcwd(), 'y')\nprint(where)\n")
    analysis, _ = analyze_path(nb)
    found = [(f.pos.cell, f.pos.line, f.severity, f.message) for f in analysis.findings if f.code == "NB801"]
    assert [(c, line, severity) for c, line, severity, _ in found] == [
        (1, 4, "warning"),
        (2, 1, "warning"),
        (3, 3, "error"),
        (4, 1, "error"),
    ]
    # One-line expressions are read as the literal they named from the notebook's folder: an input.
    assert "read as `data = Path('../../regression')`" in found[0][3]
    assert [a.path for a in analysis.inputs] == ["../../regression"]
    assert "relative path 'data/b.csv' read inside a function body" in found[2][3]
    assert "here: 'y' from the notebook's folder" in found[3][3]


def test_outside_tree_input_that_exists_is_relative_to_the_output_folder(tmp_path):
    data = tmp_path / "elsewhere" / "train.csv"
    data.parent.mkdir()
    data.write_text("a\n1\n")
    (tmp_path / "proj").mkdir()
    nb = tmp_path / "proj" / "nb.py"
    nb.write_text(f"# %%\nimport pandas as pd\ntrain = pd.read_csv('{data}')\nprint(train.shape)\n")
    done = nb2aml("convert", "nb.py", "-o", "out/job", "-y", "--no-validate", cwd=tmp_path / "proj")
    assert done.returncode == 0, done.stderr
    assert "path: ../../../elsewhere/train.csv" in (tmp_path / "proj/out/job/job.yml").read_text()


def test_a_download_is_an_input_at_its_url(tmp_path):
    nb = tmp_path / "nb.py"
    nb.write_text(
        "# %%\n!wget https://example.org/data/iris.csv\nimport pandas as pd\n# %%\ndf = pd.read_csv('iris.csv')\n"
        "print(df.shape)\n"
    )
    analysis, _ = analyze_path(nb)
    assert [(a.name, a.path, a.type) for a in analysis.inputs] == [
        ("iris", "https://example.org/data/iris.csv", "uri_file")
    ]
    notes = [f for f in analysis.findings if f.code == "NB802"]
    assert notes and notes[0].severity == "warning" and "uri_file input at that URL" in notes[0].message


# -- a notebook in notebooks/ reaching the project root from its working folder ------------------


def test_project_paths_from_the_working_folder_become_literals(tmp_path):
    folder = _copy("project_paths", tmp_path) / "notebooks"
    analysis, _ = analyze_path(folder / "house_prices.ipynb")
    assert [(a.name, a.path, a.type) for a in analysis.inputs] == [("data_dir", "../data", "uri_folder")]
    notes = [f for f in analysis.findings if f.code == "NB801"]
    assert notes and all(f.severity == "warning" for f in notes)
    assert "read as `DATA_DIR = Path('../data')`" in notes[-1].message


@pytest.mark.slow
def test_project_paths_job_and_pipeline_run_and_verify(tmp_path):
    folder = _copy("project_paths", tmp_path) / "notebooks"
    _convert_split_verify(folder, "house_prices.ipynb", "prep=2-4,train=5")
    job = folder / "out/job"
    assert (job / "src/housing/features.py").is_file() and (job / "src/housing/__init__.py").is_file()
    assert "path: ../../../data" in (job / "job.yml").read_text()
    script = (job / "src/house_prices.py").read_text()
    assert "DATA_DIR = Path(args.data_dir)" in script and "absolute()" not in script


def test_a_script_named_like_a_shipped_module_is_refused(tmp_path):
    folder = _copy("project_paths", tmp_path) / "notebooks"
    shutil.copy(folder / "house_prices.ipynb", folder / "housing.ipynb")
    done = nb2aml("convert", "housing.ipynb", "-o", "out", "-y", "--no-validate", cwd=folder)
    assert done.returncode == 2 and "would shadow the notebook's own module 'housing'" in done.stderr
    assert not (folder / "out").exists()
