"""One step's process, as `run` (a job), `run` (a pipeline's steps) and the fork server start it.

What they share: the environment a step gets (the caller's, plus the MLflow run Azure ML would
name, plus the job's own variables), how its stdout and stderr reach the caller line by line while
the last lines of stderr are kept as the error of a failed step, and how the step's MLflow run is
closed and read back into a `StepResult`. Starting the process differs: `execute_step` here runs a
subprocess, `ForkServer.execute` (run/forkserver.py) forks a pre-imported parent.
"""

from __future__ import annotations

import collections
import os
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Protocol

from .result import StepResult

ERROR_LINES = 20  # lines of stderr kept as the error of a failed step

Outcome = tuple[int | None, str | None]  # (returncode, error text); returncode None: it could not start


def step_environment(uri: str, run_id: str, experiment_id: str, *overrides: Mapping[str, str] | None) -> dict:
    """This process's environment with the step's MLflow run, then `overrides` in order (the job's own first).

    Azure ML sets `MLFLOW_TRACKING_URI` and `MLFLOW_RUN_ID` in a job's environment; MLflow's fluent
    API resumes the run named by `MLFLOW_RUN_ID` on its first call.
    """
    env = dict(os.environ)
    env.update(MLFLOW_TRACKING_URI=uri, MLFLOW_RUN_ID=run_id, MLFLOW_EXPERIMENT_ID=experiment_id, PYTHONUNBUFFERED="1")
    env.pop("MLFLOW_EXPERIMENT_NAME", None)  # would contradict MLFLOW_EXPERIMENT_ID
    for extra in overrides:
        env.update(extra or {})
    return env


class StepOutput:
    """Drain a step's stdout and stderr to `stream`, a line at a time; keep stderr's last lines."""

    def __init__(self, stdout: IO[str], stderr: IO[str], stream: Callable[[str], object]) -> None:
        self._tail: collections.deque[str] = collections.deque(maxlen=ERROR_LINES)
        self._lock = threading.Lock()  # the two pipes' lines reach `stream` one at a time
        self._stream = stream
        self._broken = False
        self._readers = [
            threading.Thread(target=self._pump, args=(pipe, keep), daemon=True)
            for pipe, keep in ((stdout, False), (stderr, True))
        ]
        for reader in self._readers:
            reader.start()

    def _pump(self, pipe: IO[str], keep: bool) -> None:
        # Drain the pipe to the end whatever `stream` does: a full pipe would block the script.
        with pipe:
            for line in pipe:
                line = line.rstrip("\r\n")
                with self._lock:
                    if keep:
                        self._tail.append(line)
                    if not self._broken:
                        try:
                            self._stream(line)
                        except Exception:  # noqa: BLE001 - e.g. a closed stdout
                            self._broken = True

    def finish(self, returncode: int) -> Outcome:
        """Wait for the end of both pipes; (returncode, the last lines of stderr when it failed)."""
        for reader in self._readers:
            reader.join()
        if returncode == 0:
            return 0, None
        lines = [line for line in self._tail if line.strip()]
        return returncode, "\n".join(lines) if lines else f"exited with code {returncode}"


def execute_step(argv: list[str], shell: bool, cwd: Path, env: dict, stream: Callable[[str], object]) -> Outcome:
    """Run as a subprocess, streaming each line of stdout and stderr to `stream`."""
    try:
        process = subprocess.Popen(
            argv[0] if shell else argv,
            shell=shell,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
        )
    except OSError as exc:
        return None, f"cannot start {argv[0]}: {exc.strerror or exc}"
    assert process.stdout is not None and process.stderr is not None
    output = StepOutput(process.stdout, process.stderr, stream)
    try:
        returncode = process.wait()
    except BaseException:
        process.kill()
        process.wait()
        output.finish(-9)
        raise
    return output.finish(returncode)


class RunRecorder(Protocol):
    """What `tracked_step` needs of the MLflow side (`local.Tracker`)."""

    def finish(self, run_id: str, status: str) -> None: ...

    def read(self, run_id: str) -> tuple[dict, dict]: ...


def tracked_step(
    tracker: RunRecorder, run_id: str, name: str, outputs: dict[str, str], execute: Callable[[], Outcome]
) -> StepResult:
    """Run `execute()` as the step `name` of MLflow run `run_id`: close the run with the step's status, read it back."""
    started = time.monotonic()
    try:
        returncode, error = execute()
    except BaseException:  # Ctrl-C: the child is gone, record the run as killed, then stop
        tracker.finish(run_id, "KILLED")
        raise
    seconds = time.monotonic() - started
    ok = returncode == 0
    tracker.finish(run_id, "FINISHED" if ok else "FAILED")
    params_logged, metrics_logged = tracker.read(run_id)
    return StepResult(
        name=name,
        status="succeeded" if ok else "failed",
        params=params_logged,
        metrics=metrics_logged,
        outputs=outputs,
        error=None if ok else error,
        returncode=returncode,
        run_id=run_id,
        seconds=seconds,
    )
