"""The validation worker (emit/background.py): started early only for commands that validate, and it
answers exactly what validating in-process answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nb2aml.cli import main
from nb2aml.emit import background
from nb2aml.emit.background import BackgroundValidator, start_early
from nb2aml.emit.check import validate_folder
from nb2aml.emit.validate import InvalidYaml

NYC = Path(__file__).resolve().parents[1] / "examples" / "nyc_taxi" / "notebook.ipynb"


@pytest.mark.parametrize(
    "argv",
    [
        ["nb2aml", "convert", "nb.ipynb", "--no-validate"],
        ["nb2aml", "split", "nb.ipynb", "--dry-run"],
        ["nb2aml", "convert", "--help"],
        ["nb2aml", "run", "out"],
        ["nb2aml", "validate", "out"],
        ["nb2aml"],
    ],
)
def test_no_worker_starts_for_a_command_that_will_not_validate(argv, monkeypatch):
    monkeypatch.setattr(background, "_spawn", lambda: pytest.fail(f"a worker started for {argv}"))
    start_early(argv)
    assert background._EARLY == []


@pytest.mark.slow
def test_the_early_worker_is_adopted_and_answers_as_in_process_validation(tmp_path):
    out = tmp_path / "job"
    result = CliRunner().invoke(main, ["convert", str(NYC), "-o", str(out), "--yes", "--no-validate"])
    assert result.exit_code == 0, result.output
    start_early(["nb2aml", "convert", str(NYC)])
    early = list(background._EARLY)
    validator = BackgroundValidator()
    try:
        assert len(early) == 1 and validator._process is early[0] and background._EARLY == []
        assert validator.validate_folder(out) == validate_folder(out)
        job = out / "job.yml"
        job.write_text(job.read_text().replace("type: command", "type: command\nresources_typo: 1"))
        with pytest.raises(InvalidYaml) as in_process:
            validate_folder(out)
        with pytest.raises(InvalidYaml) as in_worker:
            validator.validate_folder(out)
        assert str(in_worker.value) == str(in_process.value) and "resources_typo" in str(in_worker.value)
    finally:
        validator.close()
    assert early[0].poll() is not None  # closed: the worker has exited
