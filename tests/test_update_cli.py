"""Re-converting into a folder nb2aml wrote keeps the engineer's edits (issue 16), through the real CLI.

Each test converts a real notebook, edits the output by hand as an engineer would, changes the
notebook as the data scientist would, and converts (or splits) again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from nb2aml.cli import main

pytestmark = pytest.mark.slow

NOTEBOOK = """\
# %% [markdown]
# # Tiny regression
# %%
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
# %%
df = pd.read_csv("data/train.csv")
df.head()
# %%
alpha = 0.5
model = Ridge(alpha=alpha)
model.fit(df[["x"]], df["y"])
# %%
preds = model.predict(df[["x"]])
print("R2:", r2_score(df["y"], preds))
# %%
import os
os.makedirs("out", exist_ok=True)
pd.DataFrame({"pred": preds}).to_csv("out/preds.csv")
"""


def _newer(text: str) -> str:
    """The data scientist's next version: a new hyperparameter, and a changed cell."""
    return text.replace(
        "model = Ridge(alpha=alpha)", "max_iter = 200\nmodel = Ridge(alpha=alpha, max_iter=max_iter)"
    ).replace('print("R2:", ', 'print("R2 score:", ')


@pytest.fixture()
def project(tmp_path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "train.csv").write_text("x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n6,12\n")
    (tmp_path / "nb.py").write_text(NOTEBOOK)
    return tmp_path


def _nb2aml(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], env={"COLUMNS": "200"}, catch_exceptions=False)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _backups(folder: Path) -> dict[str, bytes]:
    """Backed-up files by their path in the output folder (all backup folders together)."""
    found: dict[str, bytes] = {}
    for path, data in _tree(folder / ".nb2aml" / "backup").items():
        found.setdefault(path.split("/", 1)[1], data)
    return found


SCRIPT = "src/tiny_regression.py"
TO_CSV = "pd.DataFrame({\"pred\": preds}).to_csv(os.path.join(args.out, 'preds.csv'))"


def _edit_by_hand(out: Path) -> None:
    """The engineer: a bigger compute in job.yml, a fix in the script, notes of their own, a run."""
    job = out / "job.yml"
    job.write_text(job.read_text().replace("compute: azureml:cpu-cluster", "compute: azureml:gpu-cluster"))
    script = out / SCRIPT
    assert TO_CSV in script.read_text()
    script.write_text(script.read_text().replace(TO_CSV, TO_CSV[:-1] + ", index=False)"))
    (out / "NOTES.md").write_text("tuned for the GPU cluster\n")
    (out / ".runs" / "20260101-000000").mkdir(parents=True)
    (out / ".runs" / "20260101-000000" / "metrics.json").write_text('{"r2_score": 1.0}')
    (out / ".nb2aml" / "mlflow.db").write_bytes(b"SQLite format 3\x00 earlier runs")


def test_reconvert_keeps_hand_edits_and_brings_the_notebooks_change(project):
    out = project / "job"
    assert _nb2aml("convert", project / "nb.py", "-o", out, "-y").exit_code == 0
    manifest = json.loads((out / ".nb2aml" / "manifest.json").read_text())
    assert manifest["command"] == "convert" and manifest["notebook"]["name"] == "nb.py"
    assert set(manifest["files"]) == {
        "README.md",
        "environment.yml",
        "environment/Dockerfile",
        "environment/requirements.txt",
        "job.yml",
        SCRIPT,
    }
    _edit_by_hand(out)
    (project / "nb.py").write_text(_newer(NOTEBOOK))
    edited = _tree(out)

    # --diff --dry-run: every change, file by file, and nothing written.
    review = _nb2aml("convert", project / "nb.py", "-o", out, "-y", "--diff", "--dry-run")
    assert review.exit_code == 0, review.output
    assert _tree(out) == edited
    text = review.output
    assert "job.yml: merged" in text and f"{SCRIPT}: merged" in text and "README.md: replaced" in text
    job_part = text[text.index("job.yml: merged") : text.index(f"{SCRIPT}: merged")]
    assert "+  --max_iter ${{inputs.max_iter}}" in job_part and "+  max_iter: 200" in job_part  # the notebook's change
    assert "+compute: azureml:gpu-cluster" in job_part  # the hand edit, shown as kept
    script_part = text[text.index(f"{SCRIPT}: merged") :]
    assert "+max_iter = args.max_iter" in script_part and '+print("R2 score:"' in script_part
    assert "index=False" in script_part
    assert "NOTES.md" in text  # stays, said so

    result = _nb2aml("convert", project / "nb.py", "-o", out, "-y")
    assert result.exit_code == 0, result.output
    job = yaml.safe_load((out / "job.yml").read_text())
    assert job["compute"] == "azureml:gpu-cluster"  # the hand edit survives
    assert (
        job["inputs"]["max_iter"] == 200 and "--max_iter ${{inputs.max_iter}}" in job["command"]
    )  # the notebook's change arrives
    script = (out / SCRIPT).read_text()
    assert "index=False)" in script and "max_iter = args.max_iter" in script and 'print("R2 score:"' in script
    compile(script, SCRIPT, "exec")
    after = _tree(out)
    for kept in ("NOTES.md", ".runs/20260101-000000/metrics.json", ".nb2aml/mlflow.db"):
        assert after[kept] == edited[kept]
    backups = _backups(out)
    assert backups["job.yml"] == edited["job.yml"] and backups[SCRIPT] == edited[SCRIPT]
    assert "Moved 2 files" in result.output and ".nb2aml/backup/" in result.output
    assert _nb2aml("validate", out).exit_code == 0

    # Once more with nothing new: nothing changes, no new backup.
    again = _nb2aml("convert", project / "nb.py", "-o", out, "-y")
    assert again.exit_code == 0 and _tree(out) == after


def test_a_conflicting_edit_gives_markers_and_exit_1_until_resolved(project):
    out = project / "job"
    assert _nb2aml("convert", project / "nb.py", "-o", out, "-y", "--no-validate").exit_code == 0
    script = out / SCRIPT
    script.write_text(script.read_text().replace("default=0.5)", "default=0.3)"))  # the same line the notebook changes
    (project / "nb.py").write_text(
        NOTEBOOK.replace("alpha = 0.5", "alpha = 0.7").replace('print("R2:", ', 'print("R2 score:", ')
    )
    edited = script.read_text()
    for _ in range(2):  # exit 1 until resolved: a rerun with the markers untouched is still a conflict
        result = _nb2aml("convert", project / "nb.py", "-o", out, "-y", "--no-validate")
        assert result.exit_code == 1, result.output
        assert f"conflict: {out}/{SCRIPT}" in " ".join(result.output.split())
        text = script.read_text()
        assert "<<<<<<< yours" in text and ">>>>>>> nb2aml (from nb.py)" in text
        marked = text[text.index("<<<<<<<") : text.index(">>>>>>>")]
        assert "default=0.3)" in marked and "default=0.7)" in marked
        assert 'print("R2 score:"' in text  # the clean part of the merge is applied
    assert _backups(out)[SCRIPT] == edited.encode()

    theirs = project / "theirs"
    ours = project / "ours"
    import shutil

    shutil.copytree(out, theirs)
    shutil.copytree(out, ours)
    settled = _nb2aml("convert", project / "nb.py", "-o", theirs, "-y", "--no-validate", "--theirs")
    assert settled.exit_code == 0, settled.output
    assert "default=0.7)" in (theirs / SCRIPT).read_text() and "<<<<<<<" not in (theirs / SCRIPT).read_text()
    settled = _nb2aml("convert", project / "nb.py", "-o", ours, "-y", "--no-validate", "--ours")
    assert settled.exit_code == 0, settled.output
    text = (ours / SCRIPT).read_text()
    assert "default=0.3)" in text and "<<<<<<<" not in text and 'print("R2 score:"' in text

    # Resolved by hand: exit 0, and the resolution is kept.
    resolved = script.read_text()
    start, end = resolved.index("<<<<<<<"), resolved.index("\n", resolved.index(">>>>>>>")) + 1
    resolved = resolved[:start] + "    parser.add_argument('--alpha', type=float, default=0.4)\n" + resolved[end:]
    script.write_text(resolved)
    result = _nb2aml("convert", project / "nb.py", "-o", out, "-y", "--no-validate")
    assert result.exit_code == 0, result.output
    assert script.read_text() == resolved


def test_force_on_a_folder_nb2aml_did_not_write_backs_up_every_replaced_file(project):
    out = project / "handmade"
    (out / "src").mkdir(parents=True)
    (out / "job.yml").write_text("compute: mine\n")
    (out / "README.md").write_bytes("notes \xe9\n".encode("latin-1"))  # not even UTF-8
    (out / "src" / "helper.py").write_text("x = 1\n")
    before = _tree(out)
    refused = _nb2aml("convert", project / "nb.py", "-o", out, "-y")
    assert refused.exit_code == 2 and "output folder is not empty (use --force to replace it)" in refused.stderr
    assert _tree(out) == before
    result = _nb2aml("convert", project / "nb.py", "-o", out, "-y", "--force")
    assert result.exit_code == 0, result.output
    backups = _backups(out)
    assert backups == {"job.yml": before["job.yml"], "README.md": before["README.md"]}
    assert "Moved 2 files" in result.output and ".nb2aml/backup/" in result.output
    assert _tree(out)["src/helper.py"] == before["src/helper.py"]  # the engineer's own file stays
    assert (out / ".nb2aml" / "manifest.json").is_file()  # from now on, an update
    _edit_by_hand(out)
    assert _nb2aml("convert", project / "nb.py", "-o", out, "-y", "--no-validate").exit_code == 0
    assert "azureml:gpu-cluster" in (out / "job.yml").read_text()


def test_split_update_with_a_component_removed_and_added(project):
    out = project / "pipe"
    assert (
        _nb2aml(
            "split", project / "nb.py", "--cells", "prep=2,train=4,score=5", "-o", out, "-y", "--no-validate"
        ).exit_code
        == 0
    )
    train = out / "src" / "train.py"
    train.write_text("# reviewed by the engineer\n" + train.read_text())
    score = out / "src" / "score.py"
    score.write_text(score.read_text() + "# the engineer's fix\n")
    edited_score = score.read_bytes()
    untouched_component = (out / "components" / "score.yml").read_bytes()

    result = _nb2aml("split", project / "nb.py", "--cells", "prep=2,train=4", "-o", out, "-y", "--no-validate")
    assert result.exit_code == 0, result.output
    assert not score.exists() and not (out / "components" / "score.yml").exists()
    backups = _backups(out)
    assert (
        backups["src/score.py"] == edited_score and "components/score.yml" not in backups
    )  # edited: in the backup; untouched: removed
    assert set(backups) == {
        "src/score.py",
        "src/train.py",
    }  # train.py: merged, its version before the merge is kept too
    assert "src/score.py: nb2aml no longer writes it; your edited copy is in" in " ".join(result.output.split())
    assert "score" not in yaml.safe_load((out / "pipeline.yml").read_text())["jobs"]
    assert train.read_text().startswith("# reviewed by the engineer\n")
    assert untouched_component not in backups.values()

    (project / "nb.py").write_text(_newer(NOTEBOOK))
    result = _nb2aml("split", project / "nb.py", "--cells", "prep=2,train=4,score=5", "-o", out, "-y")
    assert result.exit_code == 0, result.output
    assert "score" in yaml.safe_load((out / "pipeline.yml").read_text())["jobs"]
    assert score.is_file() and 'print("R2 score:"' in score.read_text()  # added back, the notebook's version
    assert train.read_text().startswith("# reviewed by the engineer\n") and "max_iter" in train.read_text()
    manifest = json.loads((out / ".nb2aml" / "manifest.json").read_text())
    assert manifest["command"] == "split" and manifest["options"]["cells"] == ["prep=2,train=4,score=5"]
    assert "components/score.yml" in manifest["files"]


def test_a_merged_yaml_file_the_sdk_rejects_is_written_and_reported(project):
    out = project / "job"
    assert _nb2aml("convert", project / "nb.py", "-o", out, "-y").exit_code == 0
    with (out / "job.yml").open("a") as handle:
        handle.write("retries_per_node: 3\n")  # not a field of a command job: azure-ai-ml rejects it
    (project / "nb.py").write_text(_newer(NOTEBOOK))
    result = _nb2aml("convert", project / "nb.py", "-o", out, "-y")
    assert result.exit_code == 1, result.output
    assert f"invalid: {out}/job.yml: retries_per_node: Unknown field" in " ".join(result.output.split())
    text = (out / "job.yml").read_text()
    assert "retries_per_node: 3" in text and "max_iter: 200" in text  # the edit is kept, the notebook's change arrived
    assert _nb2aml("convert", project / "nb.py", "-o", out, "-y").exit_code == 1  # until it is fixed
    (out / "job.yml").write_text(text.replace("retries_per_node: 3\n", ""))
    assert _nb2aml("convert", project / "nb.py", "-o", out, "-y").exit_code == 0
