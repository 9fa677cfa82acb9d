"""Run the notebook (the baseline) and the converted folder, seeded alike, and compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis import NotebookFacts
from ..refactor.baseline import baseline_cells
from ..run.seeding import FOLDER as SEEDING_FOLDER
from ..types import Analysis
from .compare import FileComparison, MetricComparison, compare_folders, compare_metrics
from .printed import PrintedComparison, StepLines, compare_printed, printed_lines


@dataclass(frozen=True)
class BaselineResult:
    metrics: dict
    error: str | None
    cell: int | None
    line: int | None
    fixes: tuple[str, ...]
    outputs: dict  # output name -> folder
    skipped: tuple[dict, ...] = ()  # stripped statements that fail here: {"cell", "line", "text", "error"}
    kept_metrics: tuple[str, ...] = ()  # metrics the job computes too
    printed: str = ""  # what the kept statements printed (the job prints it too)


@dataclass(frozen=True)
class Verdict:
    equivalent: bool
    metrics: tuple[MetricComparison, ...]
    files: tuple[FileComparison, ...]
    fixes_applied: tuple[str, ...]
    baseline_error: str | None
    converted_status: str | None = None
    converted_error: str | None = None
    unseeded: tuple[str, ...] = field(default=())
    reason: str = ""  # why: which metric or file differs and by how much, or that nothing is comparable
    comparable: bool = True  # False: the notebook computes no metric the job keeps and writes no output
    skipped: tuple[dict, ...] = ()  # stripped statements that fail here, run around
    printed: PrintedComparison | None = None  # None: the kept code prints nothing (or the run failed)

    def to_json(self) -> dict:
        return {
            "equivalent": self.equivalent,
            "comparable": self.comparable,
            "reason": self.reason,
            "skipped": list(self.skipped),
            "printed": None
            if self.printed is None
            else {"lines": self.printed.lines, "match": self.printed.match, "detail": self.printed.detail},
            "metrics": [
                {"name": m.name, "notebook": m.notebook, "converted": m.converted, "match": m.match}
                for m in self.metrics
            ],
            "files": [
                {"output": f.output, "file": f.file, "how": f.how, "match": f.match, "detail": f.detail}
                for f in self.files
            ],
            "fixes_applied": list(self.fixes_applied),
            "baseline_error": self.baseline_error,
            "converted_error": self.converted_error,
        }


def seeded_environment(seed: int) -> dict:
    path = os.environ.get("PYTHONPATH")
    return {
        "NB2AML_SEED": str(seed),
        "PYTHONPATH": SEEDING_FOLDER + (os.pathsep + path if path else ""),
        "MPLBACKEND": "Agg",
    }


def run_baseline(
    analysis: Analysis, nb: NotebookFacts, workdir: Path, *, seed: int, stream=None, unsafe_fixes: bool = False
) -> BaselineResult:
    outputs = {a.name: str(workdir / "notebook_outputs" / a.name) for a in analysis.outputs}
    for folder in outputs.values():
        Path(folder).mkdir(parents=True, exist_ok=True)
    baseline = baseline_cells(analysis, nb, outputs, unsafe_fixes=unsafe_fixes)
    prelude = f"import pandas as {baseline.needs_pandas_as}\n" if baseline.needs_pandas_as else ""
    prelude += "".join(f"import {module}\n" for module in baseline.imports)
    if baseline.modules:
        # The notebook's modules with the job's fixes, found before the originals beside the notebook.
        modules_dir = workdir / "notebook_modules"
        for relative, text in baseline.modules:
            (modules_dir / relative).parent.mkdir(parents=True, exist_ok=True)
            (modules_dir / relative).write_text(text, encoding="utf-8")
        prelude += f"__import__('sys').path.insert(0, {str(modules_dir)!r})\n"
    spec_path, result_path = workdir / "baseline.json", workdir / "baseline_result.json"
    spec_path.write_text(
        json.dumps({"cells": [[c.cell, c.code] for c in baseline.cells], "prelude": prelude}), encoding="utf-8"
    )
    env = dict(os.environ)
    env.update(seeded_environment(seed))
    # A notebook that logs to MLflow itself logs into a store of its own here (not beside the
    # notebook), read back below: the job logs the same values under the same names.
    uses_mlflow = any(qual.split(".")[0] == "mlflow" for s in nb.facts.statements for _, qual in s.imports)
    if uses_mlflow:
        from ..run.local import default_tracking_uri

        env["MLFLOW_TRACKING_URI"] = default_tracking_uri(workdir / "notebook_mlflow")
        env.pop("MLFLOW_RUN_ID", None)
    notebook_dir = Path(analysis.notebook.path).resolve().parent
    process = subprocess.run(
        [sys.executable, "-m", "nb2aml.verify.baseline_runner", str(spec_path), str(result_path)],
        cwd=notebook_dir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
    )
    if stream is not None:
        for line in (process.stdout + process.stderr).splitlines():
            stream(f"[notebook] {line}")
    if not result_path.is_file():
        tail = " ".join((process.stderr or "").strip().splitlines()[-1:])
        return BaselineResult(
            {},
            f"the notebook's process died: {tail or process.returncode}",
            None,
            None,
            baseline.fixes,
            outputs,
            kept_metrics=baseline.kept_metrics,
        )
    data = json.loads(result_path.read_text(encoding="utf-8"))
    logged = logged_in_store(env["MLFLOW_TRACKING_URI"]) if uses_mlflow else {}
    metrics = {**logged, **data["metrics"]}
    # What the notebook logs itself is kept code (logging is an effect), so it is the job's to reproduce.
    return BaselineResult(
        metrics,
        data["error"],
        data["cell"],
        data.get("line"),
        baseline.fixes,
        outputs,
        tuple(data.get("skipped", ())),
        tuple(dict.fromkeys((*baseline.kept_metrics, *logged))),
        data.get("printed", ""),
    )


def logged_in_store(uri: str) -> dict:
    """Every metric logged in the store at `uri`, the last value of each, runs in start order.

    For the notebook: what its own MLflow calls logged. For the conversion, in a store of its own:
    also what it logged into runs it started itself (a notebook that opens and closes a run before it
    logs, the job's run is over and MLflow starts another one)."""
    from mlflow.tracking import MlflowClient

    metrics: dict = {}
    client = MlflowClient(
        tracking_uri=uri
    )  # a store copied from a migrated one (`default_tracking_uri`): no migration noise
    for experiment in client.search_experiments():
        for run in client.search_runs([experiment.experiment_id], order_by=["attributes.start_time ASC"]):
            metrics.update(run.data.metrics)
    return metrics


def verify(
    analysis: Analysis,
    nb: NotebookFacts,
    out_dir: Path,
    *,
    seed: int = 0,
    rtol: float = 1e-9,
    stream=None,
    unsafe_fixes: bool = False,
    placement: dict | None = None,
) -> Verdict:
    from ..run.folder import run_folder
    from ..run.pipeline import find_pipeline_yaml

    unseeded = tuple(f.pos.render(analysis.notebook.path) for f in analysis.findings if f.code == "NB401")
    with tempfile.TemporaryDirectory(prefix="nb2aml-verify-") as tmp:
        baseline = run_baseline(analysis, nb, Path(tmp), seed=seed, stream=stream, unsafe_fixes=unsafe_fixes)
        if baseline.error is not None:
            where = (
                f"cell {baseline.cell}" + (f", line {baseline.line}" if baseline.line else "")
                if baseline.cell
                else "the notebook"
            )
            error = f"{analysis.notebook.path}:{where}: {baseline.error}"
            return Verdict(
                False,
                (),
                (),
                baseline.fixes,
                error,
                unseeded=unseeded,
                reason=f"the notebook itself fails: {error}",
                skipped=baseline.skipped,
            )
        from ..run.local import default_tracking_uri

        # A store of its own, new for each verification: what an earlier run (or the notebook's
        # run) logged or created (`mlflow.create_experiment`) must not make this one differ.
        job_store = (
            {} if (placement or {}).get("docker") else {"tracking_uri": default_tracking_uri(Path(tmp) / "job_mlflow")}
        )
        lines = StepLines(stream or (lambda line: None), pipeline=find_pipeline_yaml(out_dir) is not None)
        result = run_folder(
            out_dir,
            env_extra=seeded_environment(seed),
            stream=lines,
            **job_store,
            **(placement or {}),
        )
        # Read the same way as the notebook's: every run of the conversion's own store, then the steps' runs.
        converted_metrics = logged_in_store(job_store["tracking_uri"]) if job_store else {}
        converted_outputs = {}
        for step in result.steps:
            converted_metrics.update(step.metrics)
            converted_outputs.update(step.outputs)
        # A metric only stripped code computes (a score printed while exploring) is not the job's to reproduce.
        notebook_metrics = {k: v for k, v in baseline.metrics.items() if k in baseline.kept_metrics}
        metrics = compare_metrics(notebook_metrics, converted_metrics if result.status == "succeeded" else {}, rtol)
        files = []
        for name, folder in baseline.outputs.items():
            if name in converted_outputs:
                files += compare_folders(name, Path(folder), Path(converted_outputs[name]))
        error = next((f"step {s.name}: {s.error}" for s in result.steps if s.error), None)
        # What the kept code prints is the job's to print, exactly: compared like a metric (all must match).
        printed = (
            compare_printed(baseline.printed, lines.in_order([s.name for s in result.steps]))
            if result.status == "succeeded" and printed_lines(baseline.printed)
            else None
        )
        comparable = bool(notebook_metrics) or bool(files) or bool(printed_lines(baseline.printed))
        equivalent = (
            result.status == "succeeded"
            and all(m.match for m in metrics)
            and all(f.match for f in files)
            and (printed is None or printed.match)
            and comparable
        )
        reason = verdict_reason(result.status, error, metrics, files, comparable, printed)
        if result.status == "succeeded" and comparable and not equivalent:
            # A number that differs next to a draw without a seed: say where, in the one line the table keeps.
            cells = sorted({f.pos.cell for f in analysis.findings if f.code == "NB401"})
            if cells:
                reason += f"; randomness without a seed (NB401) in cell{'s' if len(cells) > 1 else ''} " + ", ".join(
                    map(str, cells)
                )
        return Verdict(
            equivalent,
            tuple(metrics),
            tuple(files),
            baseline.fixes,
            None,
            result.status,
            error,
            unseeded,
            reason=reason,
            comparable=comparable,
            skipped=baseline.skipped,
            printed=printed,
        )


def verdict_reason(
    status: str,
    error: str | None,
    metrics: list[MetricComparison],
    files: list[FileComparison],
    comparable: bool,
    printed: PrintedComparison | None = None,
) -> str:
    """One line: the first difference and how large it is, or what was compared."""
    if status != "succeeded":
        return f"the converted run {status}" + (f": {error}" if error else "")
    if not comparable:
        return (
            "nothing comparable: the notebook computes no metric the job keeps, "
            "its kept code prints nothing and it writes no output"
        )
    for m in metrics:
        if m.match:
            continue
        if m.notebook is None:
            return f"metric {m.name}: the job logs it, the notebook does not compute it"
        if m.converted is None:
            return f"metric {m.name}: the notebook computes {m.notebook:.10g}, the job does not log it"
        relative = abs(m.difference) / max(abs(m.notebook), abs(m.converted)) if m.difference else 0.0
        return (
            f"metric {m.name}: notebook {m.notebook:.10g}, job {m.converted:.10g} "
            f"(difference {m.difference:.3g}, relative {relative:.3g})"
        )
    for f in files:
        if not f.match:
            return f"output {f.output}/{f.file} differs" + (f": {f.detail}" if f.detail else "")
    if printed is not None and not printed.match:
        return printed.detail
    parts = [
        f"{len(metrics)} metric{'s' if len(metrics) != 1 else ''}" if metrics else "",
        f"{len(files)} file{'s' if len(files) != 1 else ''}" if files else "",
        f"{printed.lines} printed line{'s' if printed.lines != 1 else ''}" if printed is not None else "",
    ]
    present = [p for p in parts if p]
    return (", ".join(present[:-1]) + " and " + present[-1] if len(present) > 1 else present[0]) + " match"
