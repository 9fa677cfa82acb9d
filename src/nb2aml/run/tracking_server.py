"""An MLflow tracking server on 127.0.0.1 for jobs that run in an environment of their own.

A job in its own environment has the MLflow its requirements pin (often years older than nb2aml's),
and an older MLflow cannot open a store a newer one created. In Azure ML the job's MLflow talks to
the workspace over MLflow's REST API; here it talks over the same API to this server, which serves
the run's store with nb2aml's MLflow. Usage: python -m nb2aml.run.tracking_server STORE_URI
(prints the server's URL on its first line, then serves until it is stopped).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator

from ..errors import JobError

STARTUP_SECONDS = 60


def main(store_uri: str) -> int:
    from mlflow.server import constants

    os.environ[constants.BACKEND_STORE_URI_ENV_VAR] = store_uri
    from mlflow.server import app
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()
    return 0


class _Server:
    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self._url: str | None = None

    def url(self) -> str:
        """The http:// tracking URI, once the server answers (it starts in the background)."""
        if self._url is None:
            self._url = _first_line(self.process)
        return self._url


@contextlib.contextmanager
def tracking_server(store_uri: str) -> Iterator[_Server]:
    """Serve `store_uri` for the duration of the block; `.url()` waits for the server and gives its URI.

    The server starts at once and importing MLflow's server takes seconds: ask for the URL last.
    """
    import tempfile

    # The server logs every request on stderr: a file, not a pipe nobody drains.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "nb2aml.run.tracking_server", store_uri],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        process.log = log  # type: ignore[attr-defined]
        try:
            yield _Server(process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()


def _first_line(process: subprocess.Popen) -> str:
    import selectors

    selector = selectors.DefaultSelector()
    assert process.stdout is not None
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if selector.select(timeout=0.5):
            line = process.stdout.readline().strip()
            if line.startswith("http://"):
                return line
            break
        if process.poll() is not None:
            break
    process.kill()
    process.wait()
    log = process.log  # type: ignore[attr-defined]
    log.seek(0)
    error = log.read() or "no answer"
    tail = " ".join(error.strip().splitlines()[-1:])[:300]
    raise JobError(f"the local MLflow tracking server did not start: {tail}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
