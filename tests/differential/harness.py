"""Run a tiny notebook three ways and compare what each prints and writes.

1. the notebook's code as one script;
2. the job `nb2aml convert` writes, run with its default arguments;
3. (where asked) the pipeline `nb2aml split` writes with one component per cell, run by `nb2aml run`.

The first two run in this process (a fresh namespace, a fresh folder, the global random generators
reseeded alike, figures closed), which keeps a case to milliseconds; the pipeline runs its steps as
subprocesses, as `nb2aml run` always does. The outcome is "same", "refused" (convert or split
exited 2 with one line) or "differs" with what differs.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

SEED = 12345


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # aliasing, views, write-through, stateful, globals, writes, helpers, unknown
    cells: tuple[tuple[str, ...], ...]  # each cell a list of lines
    data: tuple[tuple[str, str], ...] = ()  # files beside the notebook: (relative path, text)
    split: bool = False  # also run the pipeline split at every cell boundary


@dataclass
class Outcome:
    name: str
    status: str  # same / refused / differs
    detail: str = ""
    ran: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RunResult:
    printed: str
    files: dict


def case(name: str, kind: str, *cells: str, data: dict | None = None, split: bool = False) -> Case:
    """Cells written as text blocks, stored as lists of lines."""
    return Case(name, kind, tuple(tuple(c.strip("\n").split("\n")) for c in cells), tuple((data or {}).items()), split)


def percent_text(cells) -> str:
    return "".join("# %%\n" + "\n".join(lines) + "\n" for lines in cells)


def script_text(cells) -> str:
    return "\n".join("\n".join(lines) for lines in cells) + "\n"


def _reset_process_state() -> None:
    import numpy as np

    np.random.seed(SEED)
    random.seed(SEED)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def _content(path: Path) -> bytes:
    """What a file holds; a gzip file's header carries the time it was written, so its data stands for it."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _snapshot(folder: Path, skip: set[str]) -> dict:
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative.split("/")[0] not in skip and "__pycache__" not in relative:
            files[relative] = _content(path)
    return files


def run_in_process(code: str, folder: Path, filename: str, argv: list[str] | None = None) -> RunResult:
    """Run `code` as `__main__` with `folder` as the working directory; what it prints (and the
    exception it ends with, if any) and every file the folder then holds."""
    buffer = io.StringIO()
    cwd = os.getcwd()
    saved_argv = sys.argv
    os.chdir(folder)
    sys.argv = argv or [filename]
    _reset_process_state()
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
            try:
                exec(compile(code, filename, "exec", dont_inherit=True), {"__name__": "__main__", "__file__": filename})
            except SystemExit as exc:
                print(f"<exit {exc.code}>")
            except BaseException as exc:  # noqa: BLE001 - the notebook's own error is part of its result
                print(f"<raised {type(exc).__name__}>")
    finally:
        os.chdir(cwd)
        sys.argv = saved_argv
        _reset_process_state()
    return RunResult(buffer.getvalue(), _snapshot(folder, {"mlruns", "job", "pipeline", ".nb2aml"}))


def _fresh(base: Path, name: str, data) -> Path:
    folder = base / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for relative, text in data:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder


def _cli(args: list[str]) -> tuple[int, str]:
    from click.testing import CliRunner

    from nb2aml.cli import main

    result = CliRunner().invoke(main, args)
    return result.exit_code, (result.stdout or "") + (getattr(result, "stderr", "") or "")


def _refusal(output: str) -> str | None:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1] if lines else None


def _diff(left: RunResult, right: RunResult, label: str) -> str:
    if left.printed != right.printed:
        return f"{label} prints {right.printed[-300:]!r}, the notebook {left.printed[-300:]!r}"
    if left.files != right.files:
        missing = sorted(set(left.files) - set(right.files))
        extra = sorted(set(right.files) - set(left.files))
        changed = sorted(k for k in set(left.files) & set(right.files) if left.files[k] != right.files[k])
        return f"{label} files differ: missing {missing}, extra {extra}, changed {changed}"
    return ""


def check(case: Case, base: Path, *, with_split: bool | None = None) -> Outcome:
    """Run the case the two or three ways; the outcome says whether they agree."""
    outcome = Outcome(case.name, "same")
    home = _fresh(base, case.name + "-notebook", case.data)
    notebook = home / "nb.py"
    notebook.write_text(percent_text(case.cells), encoding="utf-8")
    expected = run_in_process(script_text(case.cells), _fresh(base, case.name + "-script", case.data), "nb_script.py")
    outcome.ran.append("script")
    code, output = _cli(["convert", str(notebook), "-o", str(home / "job"), "--yes", "--no-validate"])
    if code == 2 and len(output.strip().splitlines()) >= 1:
        outcome.status, outcome.detail = "refused", _refusal(output) or ""
        return outcome
    if code != 0:
        outcome.status, outcome.detail = "differs", f"convert exited {code}: {_refusal(output)}"
        return outcome
    script = home / "job" / "src" / "nb.py"
    job = run_in_process(script.read_text(encoding="utf-8"), _fresh(base, case.name + "-job", case.data), str(script))
    outcome.ran.append("job")
    difference = _diff(expected, job, "the job")
    if difference:
        outcome.status, outcome.detail = "differs", difference
        return outcome
    if with_split if with_split is not None else case.split:
        difference = _check_split(case, home, expected)
        outcome.ran.append("pipeline")
        if difference.startswith("refused"):
            outcome.status, outcome.detail = "refused", difference.split(": ", 1)[-1]
        elif difference:
            outcome.status, outcome.detail = "differs", difference
    return outcome


def _check_split(case: Case, home: Path, expected: RunResult) -> str:
    """Split at every cell boundary, run the pipeline, compare what it prints and the files it writes
    (by name: a pipeline writes into its outputs' folders)."""
    from nb2aml.run.pipeline import run_pipeline

    cells = ",".join(f"c{i}={i}" for i in range(1, len(case.cells) + 1))
    code, output = _cli(
        ["split", str(home / "nb.py"), "--cells", cells, "-o", str(home / "pipeline"), "--yes", "--no-validate"]
    )
    if code == 2:
        return "refused: " + (_refusal(output) or "")
    if code != 0:
        return f"split exited {code}: {_refusal(output)}"
    lines: list[str] = []
    result = run_pipeline(
        home / "pipeline",
        stream=lines.append,
        tracking_uri=f"sqlite:///{home / 'mlflow.db'}",
        env_extra={"NB2AML_SEED": str(SEED)},
    )
    if result.status != "succeeded":
        return "the pipeline failed: " + " ".join(s.error or "" for s in result.steps if s.error)
    printed = "".join(line.split("] ", 1)[-1] + "\n" for line in lines if line.startswith("[") and "] " in line)
    written = {}
    for step in result.steps:
        for folder in step.outputs.values():
            for path in Path(folder).rglob("*"):
                if path.is_file() and not path.name.startswith(("nb2aml_", ".")) and "handoff" not in path.as_posix():
                    written[path.name] = _content(path)
    wanted = {Path(k).name: v for k, v in expected.files.items() if k not in {r for r, _ in case.data}}
    if not printed.endswith(expected.printed):
        return f"the pipeline prints {printed[-300:]!r}, the notebook {expected.printed[-300:]!r}"
    if any(written.get(name) != content for name, content in wanted.items()):
        return f"the pipeline's files differ: {sorted(wanted)} against {sorted(written)}"
    return ""
