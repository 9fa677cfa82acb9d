"""Validation that overlaps planning: azure-ai-ml loads in a second process while nb2aml analyses.

Importing azure-ai-ml and building its marshmallow schemas takes seconds, several times what
analysing and rewriting a notebook takes. `convert` and `split` start this worker first thing:
it imports the SDK and validates a small job of its own (so the schemas are built), on another
core, while the notebook is analysed. When the output folder is staged, the worker validates it
with the same `validate_folder` `nb2aml validate` runs and answers with one line of JSON. Any
failure of the worker itself (it died, it cannot start) falls back to validating in-process.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import subprocess
import sys
from pathlib import Path

from .validate import InvalidYaml

_WARM_UP_ENVIRONMENT = (
    "$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\n"
    "name: warm\nimage: python:3.11-slim\n"
)
_WARM_UP_JOB = """$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
type: command
code: ./src
command: python main.py --alpha ${{inputs.alpha}} --data ${{inputs.data}} --out ${{outputs.out}}
inputs:
  alpha: 0.5
  data:
    type: uri_folder
    path: ./src
outputs:
  out:
    type: uri_folder
environment: file:environment.yml
compute: azureml:cpu-cluster
"""


# Commands that validate what they write, and the options that say they will not.
_VALIDATING_COMMANDS = {"convert", "split"}
_NOT_VALIDATING = {"--no-validate", "--dry-run", "-h", "--help"}
_EARLY: list[subprocess.Popen] = []


def start_early(argv: list[str]) -> None:
    """Start the worker before the CLI imports click and the rest of nb2aml, when `argv` is a command
    that validates. Its import is the longest thing `convert` waits for; the CLI's own imports and
    option parsing are a tenth of it. `BackgroundValidator()` then adopts this worker; one nobody
    adopts (the options refused, the command failed early) is stopped when the process exits."""
    words = argv[1:]
    if not words or words[0] not in _VALIDATING_COMMANDS or _NOT_VALIDATING & set(words):
        return
    process = _spawn()
    if process is not None:
        _EARLY.append(process)
        atexit.register(_stop, process)


def _spawn() -> subprocess.Popen | None:
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "nb2aml.emit.background"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
    except OSError:
        return None


def _stop(process: subprocess.Popen) -> None:
    """End a worker now, whatever it is doing: SIGTERM (it cleans up its warm-up folder), then SIGKILL."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class BackgroundValidator:
    """The CLI's side of the worker."""

    def __init__(self) -> None:
        # The worker `start_early` started when the CLI module loaded, else a new one.
        self._process: subprocess.Popen | None = _EARLY.pop() if _EARLY else _spawn()
        self._asked = False

    def validate_folder(self, folder: Path) -> list[Path]:
        """As `check.validate_folder`: raise `InvalidYaml` (one line) or return the files checked."""
        answer = self._ask(Path(folder).resolve())
        if answer is None:
            from .check import validate_folder

            return validate_folder(folder)
        if answer.get("error"):
            raise InvalidYaml(answer["error"])
        return [Path(p) for p in answer.get("checked", ())]

    def _ask(self, folder: Path) -> dict | None:
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            return None
        self._asked = True
        try:
            process.stdin.write(str(folder) + "\n")
            process.stdin.flush()
            line = process.stdout.readline()
            return json.loads(line) if line.strip() else None
        except (OSError, ValueError):
            return None

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if not self._asked:  # the command ended before it had a folder to check: do not wait for the import
            _stop(process)
        try:
            if process.stdin:
                process.stdin.close()
            process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def _warm_up() -> None:
    """Import the SDK and build the schemas of the files nb2aml writes most."""
    import tempfile  # only the worker warms up: the CLI's start-up does not pay for it

    from .check import validate_folder

    with tempfile.TemporaryDirectory(prefix="nb2aml-warm-") as tmp:
        folder = Path(tmp)
        (folder / "src").mkdir()
        (folder / "src" / "main.py").write_text("print(1)\n", encoding="utf-8")
        (folder / "environment.yml").write_text(_WARM_UP_ENVIRONMENT, encoding="utf-8")
        (folder / "job.yml").write_text(_WARM_UP_JOB, encoding="utf-8")
        with contextlib.suppress(Exception):  # only a warm-up: the real files are checked for real
            validate_folder(folder)


def _import_loaders() -> None:
    """Import azure-ai-ml's loaders without running its package `__init__` (the workspace client,
    its REST operations, aiohttp, storage, cryptography: a third of the import). The package module
    runs its real `__init__` the first time anything asks it for a name it lacks (PEP 562), so
    whatever the loaders need from it, they get. In this worker process only."""
    import importlib.util
    import os
    import types

    if "azure.ai.ml" in sys.modules:
        return
    try:
        import azure.ai

        folder = os.path.join(list(azure.ai.__path__)[0], "ml")
        spec = importlib.util.spec_from_file_location(
            "azure.ai.ml", os.path.join(folder, "__init__.py"), submodule_search_locations=[folder]
        )
        if spec is None or spec.loader is None:
            return
        package = types.ModuleType("azure.ai.ml")
        package.__path__ = [folder]
        package.__package__ = "azure.ai.ml"
        package.__spec__ = spec
        package.__file__ = spec.origin
        state = {"loaded": False}

        def complete(name: str):
            if not state["loaded"]:
                state["loaded"] = True
                spec.loader.exec_module(package)  # type: ignore[union-attr]
                return getattr(package, name)
            raise AttributeError(name)

        package.__getattr__ = complete  # type: ignore[attr-defined,method-assign]
        sys.modules["azure.ai.ml"] = package
        from azure.ai.ml.entities._load_functions import (
            load_component,
            load_environment,
            load_job,
        )

        package.load_job, package.load_component, package.load_environment = load_job, load_component, load_environment  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - the ordinary import then runs when validation asks for the SDK
        for name in [n for n in sys.modules if n == "azure.ai.ml" or n.startswith("azure.ai.ml.")]:
            del sys.modules[name]


def _request_waiting() -> bool:
    """A folder is already asked for: the convert finished its planning before this worker its imports."""
    import select

    try:
        return bool(select.select([sys.stdin], [], [], 0)[0])
    except (OSError, ValueError):
        return False


def _serve() -> None:
    import gc
    import signal

    # Stopped by the CLI (`_stop`): leave through SystemExit, so that the warm-up's folder is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    # The SDK's import makes hundreds of thousands of objects and few cycles: a collection pass every
    # few hundred allocations is a third of its time. The imported modules live as long as the worker;
    # `freeze` keeps later collections from walking them again.
    gc.disable()
    _import_loaders()
    gc.freeze()
    gc.enable()
    if not _request_waiting():  # the warm-up uses the time the worker would wait; never delays an answer
        _warm_up()
    for line in sys.stdin:
        folder = line.strip()
        if not folder:
            continue
        from .check import validate_folder

        answer: dict[str, object]
        try:
            answer = {"checked": [str(p) for p in validate_folder(Path(folder))]}
        except InvalidYaml as exc:
            answer = {"error": str(exc)}
        except Exception as exc:  # noqa: BLE001 - reported as the in-process check would raise it
            answer = {"error": f"{folder}: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
