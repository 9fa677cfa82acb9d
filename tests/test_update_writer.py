"""writer.write_tree with `carry` (what an update uses): still the whole folder or nothing."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from nb2aml.errors import Nb2amlError
from nb2aml.writer import write_tree


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _engineers_folder(tmp_path: Path) -> Path:
    dest = tmp_path / "out"
    write_tree(
        {
            "job.yml": "old: 1\n",
            "src/a.py": "x = 1\n",
            ".nb2aml/manifest.json": "{}\n",
            ".nb2aml/base/job.yml": "old: 1\n",
        },
        dest,
    )
    (dest / "NOTES.md").write_text("mine\n")
    (dest / "src" / "helper.py").write_text("y = 2\n")
    (dest / ".runs" / "1").mkdir(parents=True)
    (dest / ".runs" / "1" / "metrics.json").write_text("{}")
    (dest / ".nb2aml" / "mlflow.db").write_text("db")
    (dest / ".nb2aml" / "backup" / "T1").mkdir(parents=True)
    (dest / ".nb2aml" / "backup" / "T1" / "job.yml").write_text("older\n")
    return dest


CARRY = {"NOTES.md": "NOTES.md", "src/helper.py": "src/helper.py", "job.yml": ".nb2aml/backup/T2/job.yml"}
NEW = {
    "job.yml": "new: 1\n",
    "src/a.py": "x = 2\n",
    ".nb2aml/manifest.json": '{"new": 1}\n',
    ".nb2aml/base/job.yml": "new: 1\n",
}


def test_carry_moves_the_engineers_files_and_backups_and_keeps_runs(tmp_path):
    dest = _engineers_folder(tmp_path)
    write_tree(NEW, dest, force=True, carry=CARRY)
    assert _tree(dest) == {
        ".nb2aml/backup/T1/job.yml": b"older\n",
        ".nb2aml/backup/T2/job.yml": b"old: 1\n",
        ".nb2aml/base/job.yml": b"new: 1\n",
        ".nb2aml/manifest.json": b'{"new": 1}\n',
        ".nb2aml/mlflow.db": b"db",
        ".runs/1/metrics.json": b"{}",
        "NOTES.md": b"mine\n",
        "job.yml": b"new: 1\n",
        "src/a.py": b"x = 2\n",
        "src/helper.py": b"y = 2\n",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_write_without_records_drops_the_old_ones_and_keeps_the_rest(tmp_path):
    dest = _engineers_folder(tmp_path)
    write_tree({"job.yml": "plain\n"}, dest, force=True)
    tree = _tree(dest)
    assert ".nb2aml/manifest.json" not in tree and ".nb2aml/base/job.yml" not in tree
    assert tree[".nb2aml/mlflow.db"] == b"db" and tree[".nb2aml/backup/T1/job.yml"] == b"older\n"


def test_ctrl_c_during_a_carrying_swap_rolls_everything_back(tmp_path, monkeypatch):
    import nb2aml.writer as writer

    dest = _engineers_folder(tmp_path)
    before = _tree(dest)
    real_replace = writer.os.replace
    calls = []

    def replace_and_press_ctrl_c(src, dst):
        real_replace(src, dst)
        calls.append(dst)
        if len(calls) == 3:  # in the middle of carrying the engineer's files over
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(writer.os, "replace", replace_and_press_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        write_tree(NEW, dest, force=True, carry=CARRY)
    monkeypatch.undo()
    assert _tree(dest) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failing_carry_restores_the_old_folder(tmp_path, monkeypatch):
    import nb2aml.writer as writer

    dest = _engineers_folder(tmp_path)
    before = _tree(dest)
    real_replace = writer.os.replace

    def fail_on_the_mlflow_store(src, dst):
        if Path(src).name == "mlflow.db" and ".nb2aml-old-" in str(src):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", fail_on_the_mlflow_store)
    with pytest.raises(Nb2amlError, match="cannot write the output"):
        write_tree(NEW, dest, force=True, carry=CARRY)
    monkeypatch.undo()
    assert _tree(dest) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
