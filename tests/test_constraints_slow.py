"""The nyc_taxi job with its freeze's constraints, for real: uv's resolver against the package index
for the image's Python 3.8 (and, where Python 3.8 is here, a fresh environment running the job).

Slow: they reach the index and build environments. They skip, saying why, where the index cannot
be reached or the image's Python is not on this machine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from nb2aml.cli import main
from nb2aml.envtools.resolve import resolve_requirements
from nb2aml.envtools.uvtool import IndexUnreachable
from nb2aml.run.isolated import find_interpreter
from nb2aml.types import NotebookError

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
NYC = ROOT / "examples" / "nyc_taxi"


@pytest.fixture(scope="module")
def index_reachable(tmp_path_factory) -> None:
    probe = tmp_path_factory.mktemp("probe") / "requirements.txt"
    probe.write_text("six==1.16.0\n")
    try:
        resolve_requirements(probe, "3.8")
    except IndexUnreachable as exc:
        pytest.skip(f"the package index cannot be reached: {exc}")


@pytest.fixture(scope="module")
def nyc_job(index_reachable, tmp_path_factory) -> Path:
    """Converted with --resolve: the freeze's pins that cannot hold in the image are left out, and said so."""
    out = tmp_path_factory.mktemp("nyc") / "job"
    result = CliRunner().invoke(main, ["convert", str(NYC / "notebook.ipynb"), "-o", str(out), "--yes", "--resolve"])
    assert result.exit_code == 0, result.output
    return out


# The freeze is what was installed, not what resolves: alembic upgraded past mlflow 1.20.2's `alembic<=1.4.1`,
# and databricks-cli 0.16.2, which has no wheel (the image installs wheels only).
UNRESOLVABLE = ("alembic==1.7.4", "databricks-cli==0.16.2")


def test_plain_convert_then_resolve_names_each_freeze_pin_that_cannot_hold(index_reachable, tmp_path):
    out = tmp_path / "job"
    assert CliRunner().invoke(main, ["convert", str(NYC / "notebook.ipynb"), "-o", str(out), "--yes"]).exit_code == 0
    result = CliRunner().invoke(main, ["validate", str(out), "--resolve"])
    assert result.exit_code == 1, result.output
    flat = " ".join(result.output.split())
    for pin in UNRESOLVABLE:
        assert f"constraints.txt: {pin}: the freeze's pin cannot hold in the image" in flat
    assert flat.count("cannot hold in the image") == len(UNRESOLVABLE)  # mlflow-skinny, protobuf & co. hold


def test_convert_resolve_leaves_out_only_the_pins_that_cannot_hold(nyc_job):
    constraints = (nyc_job / "environment" / "constraints.txt").read_text()
    for pin in UNRESOLVABLE:
        assert f"# left out: {pin}: " in constraints
        assert f"\n{pin}\n" not in constraints
    kept = [line for line in constraints.splitlines() if not line.startswith("#")]
    assert len(kept) == len(_freeze_pins()) - len(UNRESOLVABLE)
    assert "mlflow-skinny==1.20.2" in kept and "protobuf==3.19.0" in kept


def _freeze_pins() -> dict[str, str]:
    pins = {}
    for line in (NYC / "requirements.txt").read_text().splitlines():
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)", line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_the_nyc_taxi_job_resolves_with_its_freezes_versions(index_reachable, nyc_job):
    result = CliRunner().invoke(main, ["validate", str(nyc_job), "--resolve"])
    assert result.exit_code == 0, result.output
    assert "| passed" in (nyc_job / "README.md").read_text()
    # What uv resolved is the freeze wherever the freeze names the package, but for the two pins left out.
    from nb2aml.envtools.resolve import resolve_folder

    (resolution,) = resolve_folder(nyc_job)
    assert resolution.ok
    resolved = {line.split("==")[0].lower().replace("_", "-"): line.split("==")[1] for line in resolution.pinned}
    freeze = _freeze_pins()
    assert resolved["mlflow-skinny"] == resolved["mlflow"] == "1.20.2"
    assert resolved["protobuf"] == "3.19.0"
    differing = {
        name: (version, freeze[name])
        for name, version in resolved.items()
        if name in freeze and freeze[name] != version
    }
    assert set(differing) == {"alembic", "databricks-cli"}, differing


def test_the_nyc_taxi_job_runs_in_a_fresh_environment_of_its_requirements_and_constraints(index_reachable, nyc_job):
    try:
        find_interpreter("3.8")
    except NotebookError as exc:
        pytest.skip(f"the image's Python 3.8 is not on this machine: {exc}")
    result = CliRunner().invoke(main, ["run", str(nyc_job), "--isolated"])
    assert result.exit_code == 0, result.output
    assert "| succeeded in a fresh Python 3.8." in (nyc_job / "README.md").read_text()
