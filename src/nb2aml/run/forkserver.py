"""Start scripts from a pre-imported parent: a fork server for the local pipeline runner.

A pipeline step is a new Python process that spends seconds importing pandas, scikit-learn and
MLflow before its first line runs; five steps pay that five times where the job pays it once.
The server is one process, started when the pipeline starts, that imports those modules once
(`preload`) and then forks a child for each step. Each child is still its own process: it gets
its own argv, working directory, environment (replaced whole), stdin from /dev/null and the
runner's pipes as stdout/stderr, and runs the script as `python script.py` would
(`runpy.run_path(..., run_name="__main__")`, exit handlers run at the end). Children are forked
from the server's clean state, never from one another, so nothing a step does reaches the next.
The global random generators are re-seeded in the child exactly as the seeding `sitecustomize`
of `nb2aml verify` seeds a fresh interpreter.

Protocol: one AF_UNIX SOCK_SEQPACKET connection per step. The runner sends a JSON request
`{"argv", "cwd", "env"}` with its two pipe ends attached (SCM_RIGHTS); the server answers
`{"pid"}` when the child is forked and `{"returncode"}` when it has exited.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from .step import Outcome, StepOutput

_MESSAGE = 1 << 20


class ForkServerUnavailable(RuntimeError):
    """The server could not start (no AF_UNIX, no fork, it died): run the step as a subprocess."""


class ForkServer:
    """The runner's side: start the server, run scripts through it, stop it."""

    def __init__(self, python: str, env: dict, preload: list[str]) -> None:
        if not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
            raise ForkServerUnavailable("no fork() here")
        self._folder = tempfile.mkdtemp(prefix="nb2aml-fork-")
        self.path = os.path.join(self._folder, "server.sock")
        server_env = dict(env)
        server_env["NB2AML_FORKSERVER_PRELOAD"] = ",".join(preload)
        try:
            self._process = subprocess.Popen(
                [python, "-m", "nb2aml.run.forkserver", self.path],
                env=server_env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise ForkServerUnavailable(str(exc)) from None
        self._ready: bool | None = None
        self._lock = threading.Lock()

    def _wait_ready(self) -> None:
        with self._lock:
            if self._ready is None:
                line = self._process.stdout.readline() if self._process.stdout else b""
                self._ready = line.strip() == b"ready"
        if not self._ready:
            raise ForkServerUnavailable("the fork server did not start")

    def execute(self, argv: list[str], cwd: Path, env: dict, stream: Callable[[str], object]) -> Outcome:
        """Run `argv` (`[python, script.py, ...]`) in a child of the server; same contract as a subprocess run."""
        self._wait_ready()
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            connection.connect(self.path)
            request = json.dumps({"argv": list(argv), "cwd": str(cwd), "env": dict(env)}).encode()
            socket.send_fds(connection, [request], [out_write, err_write])
        except OSError as exc:
            connection.close()
            for fd in (out_read, out_write, err_read, err_write):
                os.close(fd)
            raise ForkServerUnavailable(str(exc)) from None
        os.close(out_write)
        os.close(err_write)
        output = StepOutput(
            open(out_read, encoding="utf-8", errors="replace"),  # noqa: SIM115 - StepOutput closes it
            open(err_read, encoding="utf-8", errors="replace"),  # noqa: SIM115
            stream,
        )
        pid = None
        try:
            pid = json.loads(connection.recv(_MESSAGE) or b"{}").get("pid")
            reply = connection.recv(_MESSAGE)
        except BaseException:
            if pid:
                _kill(pid)
            connection.close()
            output.finish(-signal.SIGKILL)
            raise
        connection.close()
        returncode = json.loads(reply).get("returncode") if reply else None
        if returncode is None:
            returncode = -signal.SIGKILL  # the server went away: the child went with it
        return output.finish(returncode)

    def close(self) -> None:
        try:
            if self._process.stdin:
                self._process.stdin.close()  # the server leaves when its stdin ends
            self._process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()
        if self._process.stdout:
            self._process.stdout.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        with contextlib.suppress(OSError):
            os.rmdir(self._folder)


def _kill(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)


# --- the server ------------------------------------------------------------------------------------


def serve(path: str) -> None:
    """Preload, listen on `path`, fork a child per request; leave when stdin ends."""
    import importlib
    import warnings

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for module in filter(None, os.environ.pop("NB2AML_FORKSERVER_PRELOAD", "").split(",")):
            with contextlib.suppress(Exception):  # the step imports it itself and reports what fails
                importlib.import_module(module)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(16)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    waiting: list[socket.socket] = []
    children: dict[int, socket.socket] = {}
    stdin = sys.stdin.fileno()
    while True:
        readable = select.select([listener, stdin, *waiting], [], [], 0.02)[0]
        if stdin in readable and not os.read(stdin, 4096):
            return
        if listener in readable:
            waiting.append(listener.accept()[0])
        for source in [connection for connection in waiting if connection in readable]:
            waiting.remove(source)
            message, fds, _, _ = socket.recv_fds(source, _MESSAGE, 2)
            if not message or len(fds) != 2:
                source.close()
                for fd in fds:
                    os.close(fd)
                continue
            pid = os.fork()
            if pid == 0:
                for other in [listener, *waiting, *children.values()]:
                    other.close()
                _child(json.loads(message), fds, source)
            for fd in fds:
                os.close(fd)
            source.send(json.dumps({"pid": pid}).encode())
            children[pid] = source
        while children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            finished = children.pop(pid, None)
            if finished is not None:
                with contextlib.suppress(OSError):
                    finished.send(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}).encode())
                finished.close()


def _child(request: dict, fds: list[int], connection: socket.socket) -> None:
    """In the forked child: become `python script.py args...` and exit with its status."""
    import runpy

    connection.close()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(fds[0], 1)
    os.dup2(fds[1], 2)
    for fd in (null, *fds):
        os.close(fd)
    code = 1
    try:
        argv = request["argv"][1:]
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = list(argv)
        script = os.path.abspath(argv[0])  # `python x.py` sets `__file__` and the traceback paths absolute
        sys.path[0] = os.path.dirname(script)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's stdin until it ends
        sys.stdout = _text_stream(1)
        sys.stderr = _text_stream(2)
        _reseed(os.environ.get("NB2AML_SEED"))
        try:
            runpy.run_path(script, run_name="__main__")
            code = 0
        except SystemExit as exc:
            code = _exit_code(exc.code)
        except BaseException as exc:  # noqa: BLE001 - what the interpreter prints for an uncaught exception
            _print_uncaught(exc, script)
            code = 1
        _finalize()
        for handle in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                handle.flush()
    finally:
        os._exit(code)


def _text_stream(fd: int):
    """`sys.stdout` / `sys.stderr` as `PYTHONUNBUFFERED=1` gives them: each write reaches the pipe at once."""
    import io

    return io.TextIOWrapper(
        io.FileIO(fd, "w", closefd=False),
        encoding="utf-8",
        errors="backslashreplace",
        line_buffering=True,
        write_through=True,
    )


def _print_uncaught(exc: BaseException, script: str) -> None:
    """The traceback `python script.py` prints: from the script's first frame, without this module's and runpy's."""
    frames = exc.__traceback__
    while frames is not None and frames.tb_frame.f_code.co_filename != script:
        frames = frames.tb_next
    traceback.print_exception(type(exc), exc, frames)


def _finalize() -> None:
    """What interpreter shutdown runs before the process ends, in its order (`Py_FinalizeEx`).

    First `threading._shutdown()`: the hooks registered with `threading._register_atexit` (joblib's
    loky and `concurrent.futures` stop their worker processes there), then the join of non-daemon
    threads. Then the `atexit` functions (MLflow ends its run there). Skipping the first leaves
    loky's idle workers alive for their 300 s timeout holding the step's stdout and stderr, and the
    runner waits for the end of those pipes.
    """
    import atexit
    import threading

    try:
        threading._shutdown()  # type: ignore[attr-defined]
    except BaseException:  # noqa: BLE001 - as the interpreter, carry on to the atexit functions
        traceback.print_exc()
    with contextlib.suppress(BaseException):  # the interpreter prints and ignores what an exit function raises
        atexit._run_exitfuncs()


def _exit_code(value) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    print(value, file=sys.stderr)
    return 1


def _reseed(seed: str | None) -> None:
    """As `run/seeding/sitecustomize.py` seeds a fresh interpreter."""
    if seed is None:
        return
    import random

    random.seed(int(seed))
    try:
        import numpy
    except ImportError:
        return
    numpy.random.seed(int(seed))


if __name__ == "__main__":
    serve(sys.argv[1])
