"""Run every real notebook of corpus.toml through nb2aml as a user would and write docs/corpus.md.

Usage (from the repository root)::

    python tests/notebooks/real/make_table.py            # rewrite docs/corpus.md
    python tests/notebooks/real/make_table.py --check    # exit 1 when docs/corpus.md differs
    python tests/notebooks/real/make_table.py --only NAME[,NAME...] --output -   # a few, to stdout

Per notebook, each through the real command line in a subprocess: `nb2aml analyze --format json`
(findings by code), `convert` into a job, `split` (at the cells recorded in corpus.toml, or at
its headings) into a pipeline, `verify --format json` of both (which runs the notebook and the
conversion), and `nb2aml run` of the job when the notebook itself fails here (so "the job runs
here" is known either way). The notebooks run in a copy of this folder in a temporary directory,
so nothing is written beside them. Two notebooks run at a time.

The table is deterministic: no timings, no absolute paths (the copy's path is replaced by the
notebook's relative one), rows in corpus.toml order, reasons reduced to one normalised line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
MANIFEST = HERE / "corpus.toml"
DOC = ROOT / "docs" / "corpus.md"
NB2AML = [sys.executable, "-m", "nb2aml.cli"]
TIMEOUT = 300  # seconds for one command; a notebook that takes longer is reported as timed out
COMMAND = "python tests/notebooks/real/make_table.py"


@dataclass(frozen=True)
class Entry:
    name: str
    path: str
    repository: str
    license: str
    style: str
    data: str  # shipped | generated | library | none
    split: str  # "headings" or a `--cells` argument


@dataclass
class Row:
    entry: Entry
    findings: dict[str, int] = field(default_factory=dict)
    convert: str = "-"
    split: str = "-"
    job_runs: str = "-"
    verify_job: str = "-"
    verify_pipeline: str = "-"
    reasons: list[str] = field(default_factory=list)


def load_manifest() -> list[Entry]:
    with MANIFEST.open("rb") as handle:
        data = tomllib.load(handle)
    return [Entry(n["name"], n["path"], n["repository"], n["license"], n["style"], n["data"],
                  n.get("split", "headings")) for n in data["notebook"]]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # PYTHONHASHSEED: error messages that print a set list it in the same order on every run.
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="200", NO_COLOR="1", TERM="dumb", PYTHONHASHSEED="0")
    env.pop("NB2AML_DEBUG", None)
    try:
        return subprocess.run([*NB2AML, *args], capture_output=True, text=True, cwd=cwd, env=env,
                              stdin=subprocess.DEVNULL, timeout=TIMEOUT, errors="replace")
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, 124, "", f"timed out after {TIMEOUT}s")


def normalise(text: str, work: Path, notebook: str = "") -> str:
    """One line, no temporary paths, no addresses: the same on every machine and every run.

    A traceback is reduced to its last line (the exception), and the notebook's own path to its
    cell: the row already names the notebook.
    """
    text = text.replace(str(work) + os.sep, "").replace(str(work), ".")
    if "Traceback (most recent call last)" in text:
        head, _, tail = text.partition("Traceback (most recent call last)")
        lines = [line.strip() for line in tail.splitlines() if line.strip()]
        text = head.rstrip(": ") + ": " + (lines[-1] if lines else "traceback")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) > 1 and any(line.startswith('File "') for line in lines):
        # a traceback's tail without its header: keep `step X: ` and the exception line
        step = re.match(r"^(conversion fails: )?step [^:]*: ", lines[0])
        raised = [line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception)\b", line)]
        text = (step.group(0) if step else "") + (raised[-1] if raised else lines[-1])
    elif len(lines) > 1:
        # an exception whose message goes on: its first line says what failed (the next one too when the
        # first ends with the exception's name, `ValueError:` followed by the message)
        text = lines[0] + (" " + lines[1] if lines[0].endswith(":") else "")
    for prefix, name in ((str(ROOT), "<repo>"), (sys.prefix, "<python>"), (sys.base_prefix, "<python>")):
        text = text.replace(prefix, name)
    text = re.sub(r"^nb2aml: error: ", "", text.strip())
    if notebook:
        text = text.replace(notebook + ":", "").replace(notebook, "the notebook")
    text = re.sub(r"[^\s:]*\.ipynb:", "", text)
    text = re.sub(r"/tmp/[^\s:'\"]+", "<tmp>", text)
    text = re.sub(r"0x[0-9a-fA-F]+", "0x…", text)
    text = re.sub(r"\d{8}-\d{6}(-\d+)?", "<run>", text)  # run folder timestamps
    text = " ".join(text.split())
    text = text.replace("|", "\\|")
    return text if len(text) <= 160 else text[:157] + "..."


def last_error_line(process: subprocess.CompletedProcess) -> str:
    lines = [line.strip() for line in (process.stderr + "\n" + process.stdout).splitlines() if line.strip()]
    for line in reversed(lines):
        if "error" in line.lower() or "refus" in line.lower():
            return line
    return lines[-1] if lines else f"exit {process.returncode}"


def verdict_reason(verdict: dict) -> str:
    if verdict.get("baseline_error"):
        return "notebook fails here: " + verdict["baseline_error"]
    if verdict.get("converted_error"):
        return "conversion fails: " + verdict["converted_error"]
    if verdict.get("reason"):  # verify's own one-line reason, where it gives one
        return str(verdict["reason"])
    differing = [m for m in verdict.get("metrics", []) if not m.get("match")]
    if differing:
        m = differing[0]
        return f"metric {m['name']} differs: notebook {m.get('notebook')} vs {m.get('converted')}"
    files = [f for f in verdict.get("files", []) if not f.get("match")]
    if files:
        f = files[0]
        return f"output {f['output']}/{f['file']} differs: {f.get('detail') or f.get('how')}"
    if not verdict.get("metrics") and not verdict.get("files"):
        return "nothing comparable: no metric and no output file"
    return "not equivalent"


def verify(kind: str, entry: Entry, folder: Path, work: Path, row: Row) -> dict | None:
    """`nb2aml verify --format json`; the verdict, or None when verify printed none (its reason recorded)."""
    process = run_cli("verify", entry.path, str(folder.relative_to(work)), "--format", "json", cwd=work)
    try:
        verdict = json.loads(process.stdout)
    except json.JSONDecodeError:
        row.reasons.append(f"verify {kind}: " + normalise(last_error_line(process), work, entry.path))
        return None
    if not (verdict.get("equivalent") and process.returncode == 0):
        row.reasons.append(f"verify {kind}: " + normalise(verdict_reason(verdict), work, entry.path))
    return verdict


def verdict_cell(verdict: dict | None) -> str:
    if verdict is None:
        return "error"
    if verdict.get("equivalent"):
        return "equivalent"
    return "notebook fails" if verdict.get("baseline_error") else "not equivalent"


def run_job(entry: Entry, folder: Path, work: Path, row: Row) -> str:
    ran = run_cli("run", str(folder.relative_to(work)), cwd=work)
    if ran.returncode != 0:
        row.reasons.append("run job: " + normalise(last_error_line(ran), work, entry.path))
    return "yes" if ran.returncode == 0 else "no"


def process_entry(entry: Entry, work: Path) -> Row:
    """Every command a user would run on this notebook, in the copy of the corpus at `work`."""
    row = Row(entry)
    out = work / "_out" / entry.name
    analyzed = run_cli("analyze", entry.path, "--format", "json", cwd=work)
    try:
        report = json.loads(analyzed.stdout)
        row.findings = dict(Counter(f["code"] for f in report.get("findings", [])))
    except json.JSONDecodeError:
        row.reasons.append("analyze: " + normalise(last_error_line(analyzed), work, entry.path))
    # The YAML files are validated with azure-ai-ml afterwards, in this process (one import of the SDK).
    made = run_cli("convert", entry.path, "-o", str((out / "job").relative_to(work)), "--yes", "--no-validate",
                   cwd=work)
    row.convert = "ok" if made.returncode == 0 else f"exit {made.returncode}"
    if made.returncode != 0:
        row.reasons.append("convert: " + normalise(last_error_line(made), work, entry.path))
    how = ["--split-on", "headings"] if entry.split == "headings" else ["--cells", entry.split]
    split = run_cli("split", entry.path, *how, "-o", str((out / "pipeline").relative_to(work)), "--yes",
                    "--no-validate", cwd=work)
    row.split = "ok" if split.returncode == 0 else f"exit {split.returncode}"
    if split.returncode != 0:
        row.reasons.append("split: " + normalise(last_error_line(split), work, entry.path))
    job = None
    if made.returncode == 0:
        job = verify("job", entry, out / "job", work, row)
        row.verify_job = verdict_cell(job)
        if job is None or job.get("baseline_error"):
            row.job_runs = run_job(entry, out / "job", work, row)  # verify did not get as far as the job
        else:
            row.job_runs = "no" if job.get("converted_error") else "yes"
    elif made.returncode == 2:
        row.job_runs = "refused"
    if split.returncode == 0:
        if job is not None and job.get("baseline_error"):
            row.verify_pipeline = "notebook fails"  # the same notebook run would fail the same way
        else:
            row.verify_pipeline = verdict_cell(verify("pipeline", entry, out / "pipeline", work, row))
    return row


def validate(rows: list[Row], work: Path) -> None:
    """azure-ai-ml's own validation of every folder written, as `convert` does without --no-validate."""
    from nb2aml.emit.check import validate_folder

    for row in rows:
        for kind, attribute in (("job", "convert"), ("pipeline", "split")):
            folder = work / "_out" / row.entry.name / kind
            if getattr(row, attribute) != "ok":
                continue
            try:
                validate_folder(folder)
            except Exception as exc:  # noqa: BLE001 - any failure is a row of the table, not a crash
                setattr(row, attribute, "invalid YAML")
                row.reasons.append(f"validate {kind}: " + normalise(str(exc).splitlines()[0] if str(exc) else
                                                                     type(exc).__name__, work, row.entry.path))


def copy_corpus(work: Path) -> None:
    ignore = shutil.ignore_patterns("make_*.py", "__pycache__", "*.md", "corpus.toml")
    shutil.copytree(HERE, work, dirs_exist_ok=True, ignore=ignore)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}% ({part}/{whole})" if whole else "n/a"


def render(rows: list[Row]) -> str:
    with_data = [r for r in rows if r.entry.data != "none"]
    runs = [r for r in with_data if r.job_runs in ("yes", "refused")]
    equivalent = [r for r in with_data if r.verify_job == "equivalent"]
    pipelines = [r for r in with_data if r.verify_pipeline == "equivalent"]
    lines = [
        "# The real-notebook corpus",
        "",
        f"Generated by `{COMMAND}` (about 7 minutes of CPU: some 4 minutes on two idle cores); do not edit by hand. "
        "`tests/test_real_corpus.py` (slow tier) regenerates it and fails when it differs, on a machine that "
        "holds the notebooks: they are never committed (the research tools they were read through keep their code "
        "out of this repository), so a fresh checkout and CI skip that check.",
        "",
        f"{len(rows)} public notebooks, as their authors wrote them, from the repositories listed in "
        "[tests/notebooks/real/corpus.toml](../tests/notebooks/real/corpus.toml) (repository, commit, path, "
        "license and what was changed, for each). Data: `shipped` by the repository, `generated` with the same "
        "schema by tests/notebooks/real/make_data.py, `library` (a scikit-learn data set), `none` (the notebook "
        "reads a URL, an absolute path or an Azure ML workspace we cannot provide: listed, not counted).",
        "",
        "## Totals",
        "",
        f"- notebooks with data whose job runs here, or that are refused clearly: {percent(len(runs), len(with_data))}",
        f"- notebooks with data whose job `verify` proves equivalent: {percent(len(equivalent), len(with_data))}",
        f"- notebooks with data whose pipeline `verify` proves equivalent: {percent(len(pipelines), len(with_data))}",
        "",
        "## Per notebook",
        "",
        "| notebook | style | data | findings | convert | split | job runs | verify job | verify pipeline |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        findings = ", ".join(f"{code}×{n}" for code, n in sorted(row.findings.items())) or "none"
        split = row.split if row.entry.split == "headings" else f"{row.split} (`{row.entry.split}`)"
        lines.append(f"| {row.entry.name} | {row.entry.style} | {row.entry.data} | {findings} | {row.convert} | "
                     f"{split} | {row.job_runs} | {row.verify_job} | {row.verify_pipeline} |")
    lines += ["", "## Reasons", ""]
    for row in rows:
        for reason in row.reasons:
            lines.append(f"- **{row.entry.name}** {reason}")
    counter = Counter(_reason_kind(reason) for row in rows for reason in row.reasons)
    lines += ["", "## Most frequent reasons", "", "| count | reason |", "|---|---|"]
    for kind, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| {count} | {kind} |")
    return "\n".join(lines) + "\n"


def _reason_kind(reason: str) -> str:
    """The reason without the notebook-specific part: `cell 7: NameError: name 'x' ...` -> `NameError`."""
    stage, _, text = reason.partition(": ")
    text = re.sub(r"^cell \d+(:\d+)*(, line \d+)?: ", "", text)
    text = re.sub(r"^notebook fails here: (cell \d+(, line \d+)?|the notebook): ", "notebook fails here: ", text)
    text = re.sub(r"^conversion fails: step [^:]*: ", "conversion fails: ", text)
    text = re.sub(r"'[^']*'", "'…'", text)
    text = re.sub(r"(?<![\w.])-?\d+(\.\d+)?(e-?\d+)?\b", "N", text)
    return f"{stage}: {text[:100]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with docs/corpus.md instead of writing it")
    parser.add_argument("--only", help="comma-separated names from corpus.toml")
    parser.add_argument("--output", help="where to write (default docs/corpus.md; - for stdout)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    entries = load_manifest()
    if args.only:
        wanted = set(args.only.split(","))
        entries = [e for e in entries if e.name in wanted]
    with tempfile.TemporaryDirectory(prefix="nb2aml-corpus-") as tmp:
        work = Path(tmp)
        copy_corpus(work)
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            rows = list(pool.map(lambda entry: process_entry(entry, work), entries))
        validate(rows, work)
    text = render(rows)
    if args.check:
        current = DOC.read_text(encoding="utf-8") if DOC.is_file() else ""
        if current != text:
            sys.stdout.write(text)
            print(f"{DOC.relative_to(ROOT)} is out of date: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    if args.output == "-":
        sys.stdout.write(text)
    else:
        target = Path(args.output) if args.output else DOC
        target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
