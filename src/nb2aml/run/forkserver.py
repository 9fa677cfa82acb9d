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

import collections
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
from collections.abc import Callable
from pathlib import Path

ERROR_LINES = 20
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
        self._stream_lock = threading.Lock()  # one step's stdout and stderr lines reach `stream` one at a time

    def _wait_ready(self) -> None:
        with self._lock:
            if self._ready is None:
                line = self._process.stdout.readline() if self._process.stdout else b""
                self._ready = line.strip() == b"ready"
        if not self._ready:
            raise ForkServerUnavailable("the fork server did not start")

    def execute(
        self, argv: list[str], cwd: Path, env: dict, stream: Callable[[str], object]
    ) -> tuple[int | None, str | None]:
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
        tail: collections.deque[str] = collections.deque(maxlen=ERROR_LINES)
        readers = [
            threading.Thread(target=_pump, args=(fd, keep, tail, stream, lock), daemon=True)
            for fd, keep, lock in ((out_read, False, self._stream_lock), (err_read, True, self._stream_lock))
        ]
        for reader in readers:
            reader.start()
        pid = None
        try:
            pid = json.loads(connection.recv(_MESSAGE) or b"{}").get("pid")
            reply = connection.recv(_MESSAGE)
        except BaseException:
            if pid:
                _kill(pid)
            raise
        finally:
            connection.close()
            for reader in readers:
                reader.join()
        returncode = json.loads(reply).get("returncode") if reply else None
        if returncode is None:
            returncode = -signal.SIGKILL  # the server went away: the child went with it
        if returncode == 0:
            return 0, None
        lines = [line for line in tail if line.strip()]
        return returncode, "\n".join(lines) if lines else f"exited with code {returncode}"

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


def _pump(fd: int, keep: bool, tail, stream, lock: threading.Lock) -> None:
    # Drain the pipe to the end whatever `stream` does: a full pipe would block the script.
    broken = False
    with open(fd, encoding="utf-8", errors="replace", newline=None) as pipe:
        for line in pipe:
            line = line.rstrip("\r\n")
            with lock:
                if keep:
                    tail.append(line)
                if not broken:
                    try:
                        stream(line)
                    except Exception:  # noqa: BLE001 - e.g. a closed stdout
                        broken = True


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
        readable, _, _ = select.select([listener, stdin, *waiting], [], [], 0.02)
        for source in readable:
            if source is listener:
                connection, _ = listener.accept()
                waiting.append(connection)
            elif source == stdin:
                if not os.read(stdin, 4096):
                    return
            else:
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
            connection = children.pop(pid, None)
            if connection is not None:
                with contextlib.suppress(OSError):
                    connection.send(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}).encode())
                connection.close()


def _child(request: dict, fds: list[int], connection: socket.socket) -> None:
    """In the forked child: become `python script.py args...` and exit with its status."""
    import atexit
    import io
    import runpy
    import traceback

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
        sys.path[0] = os.path.dirname(os.path.abspath(argv[0]))
        # The child's stdin for the rest of its life, over fd 0 it does not own: never closed here.
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = io.TextIOWrapper(
            io.FileIO(1, "w", closefd=False),
            encoding="utf-8",
            errors="backslashreplace",
            line_buffering=True,
            write_through=True,
        )
        sys.stderr = io.TextIOWrapper(
            io.FileIO(2, "w", closefd=False),
            encoding="utf-8",
            errors="backslashreplace",
            line_buffering=True,
            write_through=True,
        )
        _reseed(os.environ.get("NB2AML_SEED"))
        try:
            runpy.run_path(argv[0], run_name="__main__")
            code = 0
        except SystemExit as exc:
            code = _exit_code(exc.code)
        except BaseException:  # noqa: BLE001 - what the interpreter prints for an uncaught exception
            traceback.print_exc()
            code = 1
        with contextlib.suppress(BaseException):  # an exit handler's failure must not change the exit code
            atexit._run_exitfuncs()  # what interpreter shutdown runs: MLflow ends its run there
        for handle in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                handle.flush()
    finally:
        os._exit(code)


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
