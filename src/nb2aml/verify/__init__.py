"""`nb2aml verify`: run the notebook and its conversion on the same data, compare what they compute."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import Nb2amlError

EXIT_NOTHING_COMPARABLE = 4


def verify_command(
    notebook: Path,
    out_dir: Path,
    *,
    seed: int = 0,
    rtol: float = 1e-9,
    fmt: str = "text",
    unsafe_fixes: bool = False,
    **where,
) -> int:
    """Exit code: 0 equivalent, 1 not equivalent, 2 the baseline (or the input) fails, 4 nothing comparable
    (the notebook computes no metric the job keeps, its kept code prints nothing, it writes no output).

    Equivalent: every metric, every output file and every line the kept code prints match.

    `where`: how the conversion runs (`isolated=True, python=...`), as `run_folder` takes it."""
    from rich.console import Console

    from ..api import analyze_path
    from ..types import NotebookError
    from .report import print_verdict
    from .run import verify

    console = Console(stderr=fmt == "json")
    try:
        if not Path(out_dir).is_dir():
            raise NotebookError(f"{out_dir}: not a folder")
        analysis, facts = analyze_path(notebook)
        with (
            console.status("running the notebook and its conversion...")
            if fmt == "text" and console.is_terminal
            else _null()
        ):
            verdict = verify(
                analysis,
                facts,
                Path(out_dir),
                seed=seed,
                rtol=rtol,
                unsafe_fixes=unsafe_fixes,
                placement=where,
                stream=(lambda line: console.print(line, highlight=False, markup=False)) if fmt == "text" else None,
            )
    except Nb2amlError as exc:
        print(f"nb2aml: error: {exc}", file=sys.stderr)
        return 2
    if fmt == "json":
        print(json.dumps(verdict.to_json(), indent=2))
    else:
        print_verdict(console, verdict, rtol)
    if verdict.baseline_error is not None:
        return 2
    if verdict.converted_status == "succeeded" and not verdict.comparable:
        return EXIT_NOTHING_COMPARABLE
    return 0 if verdict.equivalent else 1


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
