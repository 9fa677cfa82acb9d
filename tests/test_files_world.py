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
    return subprocess.run([sys.executable, "-m", "nb2aml.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


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
    nb.write_text("# %%\nimport pandas as pd\nraw = pd.read_csv('raw.csv')\nname = 'tmp/clean.parquet'\nraw.to_parquet(name)\n"
                  "# %%\nback = pd.read_parquet(name)\nprint(back.shape)\n")
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
