"""An emitted folder's YAML read back (envtools/yamlfile.py): one mapping, or one line naming the
file in the caller's own error kind (`run` reports a job error, `--isolated` an environment error)."""

from __future__ import annotations

import pytest

from nb2aml.envtools.targets import environment_of
from nb2aml.envtools.yamlfile import read_yaml_mapping
from nb2aml.errors import EnvironmentSetupError, JobError
from nb2aml.run.sweep import is_sweep_yaml


def test_a_mapping_is_read(tmp_path):
    path = tmp_path / "job.yml"
    path.write_text("type: command\ninputs:\n  alpha: 0.5\n", encoding="utf-8")
    assert read_yaml_mapping(path, JobError) == {"type": "command", "inputs": {"alpha": 0.5}}


@pytest.mark.parametrize(
    ("text", "said"),
    [("- a\n- b\n", "not a YAML mapping"), ("a: [1,\n", "cannot be read as YAML"), (None, "cannot be read as YAML")],
)
@pytest.mark.parametrize("error", [JobError, EnvironmentSetupError])
def test_anything_else_is_one_line_of_the_callers_kind(tmp_path, text, said, error):
    path = tmp_path / "job.yml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(error) as raised:
        read_yaml_mapping(path, error)
    message = str(raised.value)
    assert message.startswith(f"{path}: {said}") and "\n" not in message


def test_the_environment_lookup_and_the_sweep_runner_share_it(tmp_path):
    job = tmp_path / "job.yml"
    job.write_text("- not\n- a mapping\n", encoding="utf-8")
    with pytest.raises(EnvironmentSetupError, match="not a YAML mapping"):
        environment_of(job)
    sweep = tmp_path / "sweep.yml"
    sweep.write_text("type: sweep\n", encoding="utf-8")
    assert is_sweep_yaml(sweep)
    sweep.write_text("type: [sweep\n", encoding="utf-8")
    with pytest.raises(JobError, match="cannot be read as YAML"):
        is_sweep_yaml(sweep)
