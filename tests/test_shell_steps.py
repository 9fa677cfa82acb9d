"""Shell escapes that make files later cells read become pure-Python steps the job runs.

Unit tests of the lowering (`analysis.shell_steps.lower`), of what the analysis makes of it (inputs,
files later reads see, NB802), and of the rewrite (before/after, libcst); the slow differential test
runs the notebook with the real `cp`, `unzip` and `mkdir` and the converted job side by side.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from nb2aml.analysis.shell_steps import Lowered, lower, shell_steps, with_shell_steps
from nb2aml.api import analyze_path
from nb2aml.notebook import load_notebook
from nb2aml.refactor.script import build_script

CASE = Path(__file__).parent / "notebooks" / "files" / "shell_steps"


def test_cp_mv_mkdir_lower_to_shutil_and_os(tmp_path):
    (tmp_path / "raw").mkdir()
    assert lower("cp a.csv b.csv", tmp_path) == Lowered(("shutil.copyfile('a.csv', 'b.csv')",), ("shutil",))
    # Into a folder: named by a trailing slash, found here, or made by an earlier `!mkdir`.
    assert lower("cp a.csv out/", tmp_path).statements == ("shutil.copyfile('a.csv', 'out/a.csv')",)
    assert lower("cp a.csv made", tmp_path, frozenset({"made"})).statements == (
        "shutil.copyfile('a.csv', 'made/a.csv')",
    )
    assert lower("cp -r raw copy", tmp_path) == Lowered(
        ("shutil.copytree('raw', 'copy', dirs_exist_ok=True)",), ("shutil",), ("copy",)
    )
    assert "is a folder and `-r` is not given" in str(lower("cp raw copy", tmp_path))
    # Not here to look at: `-r` says the source is a folder.
    assert lower("cp -r elsewhere copy", tmp_path).statements[0].startswith("shutil.copytree('elsewhere', 'copy'")
    # `mv` copies: in a job its source is an input, mounted read-only.
    assert lower("mv a.csv b.csv", tmp_path).statements == ("shutil.copyfile('a.csv', 'b.csv')",)
    assert lower("mkdir -p d e/f", tmp_path) == Lowered(
        ("os.makedirs('d', exist_ok=True)", "os.makedirs('e/f', exist_ok=True)"), ("os",), made=("d", "e/f")
    )
    assert "only `mkdir [-p] FOLDER...`" in str(lower("mkdir -m 700 d", tmp_path))


def test_archives_lower_to_unpack_archive_and_gzip(tmp_path):
    with zipfile.ZipFile(tmp_path / "data.zip", "w") as archive:
        archive.writestr("data/a.csv", "x\n1\n")
        archive.writestr("notes.txt", "hi")
    # Into a folder: what the archive holds is written there wholesale.
    assert lower("unzip -q data.zip -d out", tmp_path) == Lowered(
        ("shutil.unpack_archive('data.zip', 'out')",), ("shutil",), ("out/data", "out/notes.txt")
    )
    # Into the working folder: only the entries it holds are the step's.
    assert lower("unzip data.zip", tmp_path).whole == ("data", "notes.txt")
    assert "is not here to list; add -d FOLDER" in str(lower("unzip missing.zip", tmp_path))
    assert lower("unzip missing.zip -d out", tmp_path).whole == ("out",)
    with tarfile.open(tmp_path / "d.tgz", "w:gz") as archive:
        archive.add(tmp_path / "data.zip", arcname="inner/data.zip")
    assert lower("tar -xzf d.tgz -C x", tmp_path).statements == ("shutil.unpack_archive('d.tgz', 'x')",)
    assert lower("tar xf d.tgz", tmp_path).whole == ("inner",)
    assert "only extracting" in str(lower("tar czf d.tgz inner", tmp_path))
    assert lower("gunzip -k a.csv.gz", tmp_path) == Lowered(
        ("shutil.copyfileobj(gzip.open('a.csv.gz'), open('a.csv', 'wb'))",), ("gzip", "shutil")
    )
    assert "compresses" in str(lower("gzip a.csv", tmp_path))


@pytest.mark.parametrize(
    "command",
    ["cp $src b.csv", "cp {src} b.csv", "cp *.csv out/", "unzip a.zip && rm a.zip", "kaggle datasets download x"],
)
def test_what_the_shell_would_expand_is_not_modelled(command, tmp_path):
    assert isinstance(lower(command, tmp_path), str)


def test_the_step_replaces_the_magic_on_its_own_line(tmp_path):
    nb = tmp_path / "nb.py"
    nb.write_text("# %%\nimport pandas as pd\n!cp a.csv b.csv\nprint(pd.read_csv('b.csv').shape)\n")
    notebook = load_notebook(nb)
    assert notebook.code_cells[0].python.split("\n")[1] == "pass"
    [step] = shell_steps(notebook)
    lowered = with_shell_steps(notebook).code_cells[0].python.split("\n")
    assert lowered[1] == "import shutil; shutil.copyfile('a.csv', 'b.csv')" == step.python
    assert (step.import_cols, step.call_col) == ((1,), len("import shutil; ") + 1)
    # Idempotent: the analysis and the rewrite find the same step in the prepared notebook.
    assert shell_steps(with_shell_steps(notebook)) == (step,)


def test_sources_are_inputs_and_what_steps_make_is_read_back(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(CASE, folder)
    analysis, _ = analyze_path(folder / "shell_steps.py")
    assert [(a.name, a.path) for a in analysis.inputs] == [("raw", "raw.csv"), ("data", "data.zip")]
    outputs = {a.name: a for a in analysis.outputs}
    assert set(outputs) == {"work", "extracted", "result"}
    assert outputs["work"].reads and outputs["extracted"].reads and not outputs["result"].reads
    notes = [f for f in analysis.findings if f.code == "NB802"]
    assert [f.severity for f in notes] == ["warning"] * 3
    assert "becomes a step the job runs at the same place: `shutil.unpack_archive('data.zip', 'extracted')`" in (
        notes[2].message
    )


def test_a_step_nb2aml_cannot_model_stays_an_error_naming_cell_and_line(tmp_path):
    nb = tmp_path / "nb.py"
    nb.write_text("# %%\nimport pandas as pd\nsrc = 'a.csv'\n!cp $src b.csv\nprint(pd.read_csv('b.csv').shape)\n")
    analysis, _ = analyze_path(nb)
    [error] = [f for f in analysis.findings if f.code == "NB802"]
    assert (error.severity, error.pos.cell, error.pos.line) == ("error", 1, 3)
    assert "shell syntax (variables, pipes, globs, redirection)" in error.message


def test_pip_install_joins_the_requirements(tmp_path):
    nb = tmp_path / "nb.py"
    nb.write_text("# %%\n!pip install tabulate==0.9.0\nimport tabulate\nprint(tabulate.tabulate([[1]]))\n")
    analysis, _ = analyze_path(nb, requirements=True)
    assert [f.severity for f in analysis.findings if f.code == "NB802"] == ["warning"]
    assert ("tabulate", "0.9.0") in {(r.name, r.version) for r in analysis.requirements}


def test_the_rewrite_before_and_after(tmp_path):
    nb = tmp_path / "nb.py"
    nb.write_text(
        "# %%\nimport pandas as pd\n!mkdir -p work\n!unzip -q data.zip -d work\n"
        "# %%\nprint(pd.read_csv('work/data/a.csv').shape)\n"
    )
    analysis, facts = analyze_path(nb)
    script = build_script(analysis, facts)
    body = script.text.split("args = parse_args()\n", 1)[1]
    assert "os.makedirs(args.work, exist_ok=True)\nshutil.unpack_archive(args.data, args.work)\n" in body
    assert "pd.read_csv(os.path.join(args.work, 'data/a.csv'))" in body
    assert "import shutil;" not in script.text and "\nimport shutil\n" in script.text
    assert [c.kind for c in script.changes].count("shell_step") == 2


def _notebook_with_its_shell(folder: Path, notebook: str) -> str:
    """Run the notebook's cells here, each `!cmd` through the real shell as IPython runs it; what it printed."""
    printed = io.StringIO()
    scope: dict = {"__name__": "__main__"}
    cells = load_notebook(folder / notebook).code_cells
    back = os.getcwd()
    os.chdir(folder)  # contextlib.chdir is Python 3.11+
    try:
        with contextlib.redirect_stdout(printed):
            for cell in cells:
                lines = [
                    f"__import__('subprocess').run({line.strip()[1:]!r}, shell=True, check=True)"
                    if line.strip().startswith("!")
                    else line
                    for line in cell.source.split("\n")
                ]
                exec(compile("\n".join(lines), f"cell {cell.number}", "exec"), scope)
    finally:
        os.chdir(back)
    return printed.getvalue()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("unzip"), reason="the differential runs the real unzip")
def test_differential_real_cp_unzip_mkdir_against_the_job(tmp_path):
    by_notebook = tmp_path / "notebook"
    shutil.copytree(CASE, by_notebook)
    before = set(_files(by_notebook))
    printed = _notebook_with_its_shell(by_notebook, "shell_steps.py")
    made = {name: data for name, data in _files(by_notebook).items() if name not in before}
    assert set(made) == {"work/raw_copy.csv", "extracted/data/extra.csv", "result.csv"}

    by_job = tmp_path / "job"
    shutil.copytree(CASE, by_job)
    command = [sys.executable, "-m", "nb2aml.cli"]
    done = subprocess.run(
        [*command, "convert", "shell_steps.py", "-o", "out", "-y", "--no-validate"],
        cwd=by_job,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [*command, "run", "out", "--format", "json"], cwd=by_job, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert printed.strip() and all(line in done.stderr.splitlines() for line in printed.splitlines())
    outputs = json.loads(done.stdout)["steps"][0]["outputs"]
    where = {a.name: a.path for a in analyze_path(by_job / "shell_steps.py")[0].outputs}
    written = {
        (Path(where[name]) / relative).as_posix().removeprefix("./"): data
        for name, folder in outputs.items()
        for relative, data in _files(Path(folder)).items()
    }
    assert written == made
    # The job wrote into its outputs, never beside the notebook.
    assert set(_files(by_job)) - before <= {n for n in _files(by_job) if n.startswith("out/")}


def test_in_a_split_the_step_runs_in_its_component_and_its_files_are_an_edge(tmp_path):
    from nb2aml.plan.pipeline import plan_pipeline
    from nb2aml.split.assign import from_cells_option

    folder = tmp_path / "case"
    shutil.copytree(CASE, folder)
    analysis, facts = analyze_path(folder / "shell_steps.py")
    assignment = from_cells_option(analysis.notebook, ("prep=2", "use=3"))
    plan = plan_pipeline(analysis, facts, assignment, folder / "out")
    prep, use = plan.files["src/prep.py"], plan.files["src/use.py"]
    assert "shutil.unpack_archive(args.data, args.extracted)" in prep and "shutil" not in use
    assert "pd.read_csv(os.path.join(args.extracted, 'data/extra.csv'))" in use
    pipeline = plan.files["pipeline.yml"]
    assert "extracted: ${{parent.jobs.prep.outputs.extracted}}" in pipeline
    assert "work: ${{parent.jobs.prep.outputs.work}}" in pipeline
