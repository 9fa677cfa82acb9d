"""Runs a notebook's cells in one namespace, in a process of its own, for `verify`.

Usage: python -m nb2aml.verify.baseline_runner SPEC.json RESULT.json
SPEC: {"cells": [[number, code], ...], "prelude": code}. RESULT: {"metrics": {name: value},
"error": null | text, "cell": null | number, "skipped": [{"cell", "line", "text", "error"}],
"printed": text}: the statements the job strips run guarded, and those that fail here are listed,
not fatal. "printed" is what the kept statements wrote to `sys.stdout` (the job prints it too):
stripped ones run inside `__nb2aml_stripped__()`, whose output still goes to this process's stdout
but not into "printed". Plots go to matplotlib's Agg backend; IPython's `display` and
`get_ipython` are stand-ins that do nothing.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback
import types
from typing import Any


class _IPython:
    def __getattr__(self, name):
        return lambda *args, **kwargs: None


class KeptOutput(io.TextIOBase):
    """sys.stdout: everything goes on to the real stdout; outside stripped statements, also into `kept`."""

    def __init__(self, real) -> None:
        self.real = real
        self.kept = io.StringIO()
        self.stripped_depth = 0

    def write(self, text: str) -> int:
        if self.stripped_depth == 0:
            self.kept.write(text)
        return self.real.write(text)

    def flush(self) -> None:
        self.real.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.real.fileno()

    @property
    def encoding(self):  # type: ignore[override]
        return self.real.encoding

    @property
    def buffer(self):
        return self.real.buffer  # bytes written there bypass the record: the comparison tolerates extra lines

    def __getattr__(self, name: str):
        return getattr(self.real, name)  # `reconfigure`, `errors`, ...: the real stream's

    @contextlib.contextmanager
    def stripped(self):
        self.stripped_depth += 1
        try:
            yield
        finally:
            self.stripped_depth -= 1


def main(spec_path: str, result_path: str) -> int:
    os.environ.setdefault("MPLBACKEND", "Agg")
    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    metrics: dict[str, float] = {}

    def record(name, value):
        metrics[name] = float(value)
        return value

    # The cells run in a module registered as `__main__`, as in a Jupyter kernel: pickle and joblib
    # find a class or function the notebook defines as `__main__.<name>` when they save an instance.
    main_module = types.ModuleType("__main__")
    sys.modules["__main__"] = main_module
    namespace = main_module.__dict__
    skipped: list[dict] = []
    current = None

    def skip(line, text, error):
        skipped.append(
            {"cell": current, "line": line, "text": text, "error": f"{type(error).__name__}: {error}".strip()[:300]}
        )

    output = KeptOutput(sys.stdout)
    sys.stdout = output
    namespace.update(
        {
            "__nb2aml_record__": record,
            "__nb2aml_skipped__": skip,
            "__nb2aml_stripped__": output.stripped,
            "display": lambda *a, **k: None,
            "get_ipython": _IPython,
        }
    )
    result: dict[str, Any] = {"metrics": metrics, "error": None, "cell": None, "skipped": skipped}
    try:
        if spec.get("prelude"):
            exec(compile(spec["prelude"], "<nb2aml prelude>", "exec"), namespace)
        for number, code in spec["cells"]:
            current = number
            exec(compile(code, f"<cell {number}>", "exec"), namespace)
    except BaseException as exc:  # noqa: BLE001 - any failure of the notebook is the result
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith("<cell ")]
        line = frames[-1].lineno if frames else None
        result["error"] = f"{type(exc).__name__}: {exc}".strip()
        result["cell"] = current
        result["line"] = line
    # The notebook may have replaced sys.stdout itself (`contextlib.redirect_stdout`): ours keeps its record.
    result["printed"] = output.kept.getvalue()
    sys.stdout = output.real
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0 if result["error"] is None else 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
