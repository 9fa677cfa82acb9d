"""The fork server the pipeline runner starts steps from: own process, argv, cwd and environment each; no leaks."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from nb2aml.cli import main
from nb2aml.run.forkserver import ForkServer
from nb2aml.run.pipeline import run_pipeline

pytestmark = pytest.mark.slow

CONFIGS = Path(__file__).parent / "notebooks" / "sweep" / "configs" / "notebook.py"


@pytest.fixture()
def server():
    started = ForkServer(sys.executable, {"PATH": "/usr/bin:/bin", "PYTHONUNBUFFERED": "1"}, ["csv", "json"])
    yield started
    started.close()


def _run(server: ForkServer, folder: Path, script: str, *args: str, env: dict | None = None):
    (folder / "step.py").write_text(textwrap.dedent(script))
    lines: list[str] = []
    code, error = server.execute(
        [sys.executable, "step.py", *args], folder, env or {"PATH": "/usr/bin:/bin"}, lines.append
    )
    return code, error, lines


def test_each_step_gets_its_argv_working_folder_environment_and_exit_code(server, tmp_path):
    code, error, lines = _run(
        server,
        tmp_path,
        """\
        import os, sys
        print("argv", sys.argv[1:])
        print("cwd", os.getcwd())
        print("env", os.environ.get("STEP_NAME"), "HOME" in os.environ)
        print("main", __name__, os.path.basename(__file__))
        print("oops", file=sys.stderr)
        sys.exit(3)
    """,
        "--alpha",
        "0.5",
        env={"STEP_NAME": "train"},
    )
    # stdout and stderr are two pipes drained side by side: "oops" may come before, between or after
    # the printed lines, whose own order is kept.
    printed = [line for line in lines if line != "oops"]
    assert printed[:4] == ["argv ['--alpha', '0.5']", f"cwd {tmp_path}", "env train False", "main __main__ step.py"]
    assert code == 3 and error == "oops"


def test_nothing_a_step_changes_reaches_the_next(server, tmp_path):
    first = tmp_path / "first"
    second = tmp_path / "second"
    first.mkdir()
    second.mkdir()
    code, _, _ = _run(
        server,
        first,
        """\
        import csv, os, sys
        csv.LEAKED = True
        os.environ["LEAKED"] = "1"
        sys.modules["leaked_module"] = sys
        import random; random.seed(1)
    """,
    )
    assert code == 0
    code, _, lines = _run(
        server,
        second,
        """\
        import os, sys
        print("preloaded", "csv" in sys.modules)
        import csv
        print(hasattr(csv, "LEAKED"), "LEAKED" in os.environ, "leaked_module" in sys.modules)
    """,
    )
    assert code == 0 and lines == ["preloaded True", "False False False"]


def test_an_uncaught_exception_fails_the_step_with_its_traceback(server, tmp_path):
    code, error, _ = _run(server, tmp_path, "raise ValueError('bad value in step')\n")
    assert code == 1 and error.splitlines()[-1] == "ValueError: bad value in step"


def test_the_global_generators_are_seeded_as_a_fresh_interpreter_would_be(server, tmp_path):
    script = "import random\nimport numpy as np\nprint(random.random(), np.random.rand())\n"
    _, _, forked = _run(server, tmp_path, script, env={"NB2AML_SEED": "7"})
    import subprocess

    seeding = Path(__import__("nb2aml.run.seeding", fromlist=["x"]).__file__).parent
    fresh = subprocess.run(
        [sys.executable, "step.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"NB2AML_SEED": "7", "PYTHONPATH": str(seeding)},
    ).stdout.strip()
    assert forked == [fresh]


def test_pipeline_from_the_fork_server_computes_what_separate_processes_compute(tmp_path, monkeypatch):
    out = tmp_path / "pipe"
    result = CliRunner().invoke(
        main, ["split", str(CONFIGS), "--cells", "setup=1,train=4", "-o", str(out), "--yes", "--no-validate"]
    )
    assert result.exit_code == 0, result.output
    forked_lines: list[str] = []
    forked = run_pipeline(out, stream=forked_lines.append)
    monkeypatch.setenv("NB2AML_NO_FORK_SERVER", "1")
    separate_lines: list[str] = []
    separate = run_pipeline(out, stream=separate_lines.append)
    assert forked.status == separate.status == "succeeded"
    assert [(s.name, s.metrics, s.params) for s in forked.steps] == [
        (s.name, s.metrics, s.params) for s in separate.steps
    ]
    assert sorted(forked_lines) == sorted(separate_lines)
    assert forked.steps[-1].metrics["loss"] == pytest.approx(0.2701093062376199)


def test_a_step_that_starts_loky_workers_ends_when_its_script_ends(server, tmp_path):
    # joblib's loky workers stay idle for 300 s holding the step's stdout and stderr unless the
    # interpreter's shutdown stops them (`threading._register_atexit`); a forked child that skips
    # that step waits with them. Before the fix this step never ended: a short deadline shows it.
    import threading

    outcome: list = []
    script = """\
        import time
        import joblib
        print(joblib.Parallel(n_jobs=2)(joblib.delayed(time.sleep)(0.2) for _ in range(4)))
    """
    worker = threading.Thread(target=lambda: outcome.append(_run(server, tmp_path, script)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert outcome, "the step did not end within 30 s of starting"
    code, error, lines = outcome[0]
    assert (code, error, lines) == (0, None, ["[None, None, None, None]"])
